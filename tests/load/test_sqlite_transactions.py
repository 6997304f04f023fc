"""SQLite's transactions as learnhub/db.py sets them up: writers queue for the lock instead of
failing, readers never wait for it, savepoints and schema changes roll back whole."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitKind


@pytest.fixture(autouse=True)
def _sqlite_only(app: Flask) -> Iterator[None]:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's locking only")
    yield


def count_units(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Unit))


def test_a_writer_that_read_first_waits_for_the_lock_instead_of_failing(app: Flask) -> None:
    holding = threading.Event()
    release = threading.Event()

    def first_writer() -> None:
        with app.app_context():
            db.session.add(Unit(name="Chi bộ một", kind=UnitKind.cell))
            db.session.flush()  # holds the write lock until the commit
            holding.set()
            release.wait(5)
            db.session.commit()
            db.session.remove()

    thread = threading.Thread(target=first_writer)
    thread.start()
    assert holding.wait(5)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) == 0  # reads, then writes
        threading.Timer(0.3, release.set).start()
        started = time.monotonic()
        db.session.add(Unit(name="Chi bộ hai", kind=UnitKind.cell))
        db.session.commit()  # queued behind the first writer: no "database is locked"
        waited = time.monotonic() - started
        db.session.remove()
    thread.join(5)
    assert count_units(app) == 2
    assert 0.2 < waited < 5


def test_a_reader_does_not_wait_for_a_writer(app: Flask) -> None:
    holding = threading.Event()
    release = threading.Event()

    def writer() -> None:
        with app.app_context():
            db.session.add(Unit(name="Chi bộ một", kind=UnitKind.cell))
            db.session.flush()
            holding.set()
            release.wait(5)
            db.session.commit()
            db.session.remove()

    thread = threading.Thread(target=writer)
    thread.start()
    assert holding.wait(5)
    started = time.monotonic()
    assert count_units(app) == 0  # the last commit, at once
    assert time.monotonic() - started < 1
    release.set()
    thread.join(5)
    assert count_units(app) == 1


def test_a_savepoint_that_opens_the_transaction_rolls_back_with_it(app: Flask) -> None:
    with app.app_context():
        with db.session.begin_nested():  # the first write of the transaction
            db.session.add(Unit(name="Chi bộ một", kind=UnitKind.cell))
        db.session.rollback()
        db.session.remove()
    assert count_units(app) == 0


def test_a_schema_change_rolls_back_whole(app: Flask) -> None:
    with app.app_context():
        with db.engine.connect() as connection:
            connection.exec_driver_sql("CREATE TABLE load_probe (id INTEGER PRIMARY KEY)")
            connection.exec_driver_sql("INSERT INTO load_probe (id) VALUES (1)")
            connection.rollback()
            assert not sa.inspect(connection).has_table("load_probe")
