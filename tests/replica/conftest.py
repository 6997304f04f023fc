"""The app of these tests reads reports from a real streaming replica (tests/replica/pair.py).

The pair is made once per test run, on the one pytest-xdist worker that runs this folder (its
tests are one ``xdist_group``). Without PostgreSQL's programs the tests are skipped, saying why,
unless LEARNHUB_REQUIRE_REPLICA_TESTS=1 (set by .ci/run), which makes that a failure; .ci/run's
second pass (on PostgreSQL) sets LEARNHUB_REPLICA_TESTS=done, as the pair is the same in both."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask

from learnhub import create_app
from learnhub.extensions import db
from learnhub.replica import forget_failures
from tests.conftest import reset_schema
from tests.replica.pair import Pair, postgres_bindir, start_pair, stop_pair


@pytest.fixture(scope="session")
def pair() -> Iterator[Pair]:
    """A primary and its replica, started for this run and removed after it."""
    if os.environ.get("LEARNHUB_REPLICA_TESTS") == "done":
        pytest.skip("the streaming replica tests ran in this CI run's SQLite pass (.ci/run)")
    if postgres_bindir() is None:
        reason = "PostgreSQL's initdb/pg_basebackup not found (set LEARNHUB_PG_BINDIR)"
        if os.environ.get("LEARNHUB_REQUIRE_REPLICA_TESTS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    started = start_pair()
    yield started
    stop_pair(started)


@pytest.fixture(scope="session")
def app(pair: Pair) -> Iterator[Flask]:
    """The app on the pair's primary, reading reports from its replica (lag shown past 60 s)."""
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": pair.primary_url,
        "REPLICA_DATABASE_URL": pair.replica_url,
        "SECRET_KEY": "tests-only-secret",
        "PUBLIC_URL": "http://localhost",
    })
    with app.app_context():
        reset_schema(db.engine)
        db.create_all()
    pair.wait_for_replica()
    yield app
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture(autouse=True)
def _replica_tried_again() -> None:
    """Each test starts with the replica not known to be down."""
    forget_failures()
