"""Migrations: build the schema from nothing, keep data through every step, match the models.

The step-by-step test knows no table by name: at each revision it writes one row into every table
that exists then (reading the schema), so a new migration is covered without editing it."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade

from learnhub.extensions import db, migrate
from learnhub.partitions import compare_filter, partition_tables
from tests.backup.alembic_logging import logging_kept

NOW = dt.datetime(2026, 1, 5, 8, 0)


@pytest.fixture(autouse=True)
def _logging_kept() -> Iterator[None]:
    with logging_kept():  # Alembic's env.py would silence the app's loggers for later tests
        yield


def revisions(app: Flask) -> list[str]:
    config = migrate.get_config()
    script = ScriptDirectory.from_config(config)
    return [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]


class Seeded:
    """The rows this test wrote, by table: their primary keys and the columns that must not change
    (keys, foreign keys and the free text written), and the last row of each table."""

    def __init__(self) -> None:
        self.keys: dict[str, list[str]] = {}
        self.rows: dict[str, set[tuple]] = {}
        self.watched: dict[str, set[str]] = {}
        self.last: dict[str, dict[str, Any]] = {}

    def add(self, table: sa.Table, row: dict[str, Any], watched: set[str]) -> None:
        keys = [column.name for column in table.primary_key.columns]
        self.last[table.name] = row
        if not keys:
            return
        self.keys[table.name] = keys
        self.rows.setdefault(table.name, set()).add(tuple(row[key] for key in keys))
        self.watched.setdefault(table.name, set()).update(watched, keys)


def reflect(connection: sa.Connection) -> sa.MetaData:
    """The tables of the schema; a partition is part of its table, written through it (PostgreSQL)."""
    metadata = sa.MetaData()
    partitions = partition_tables(connection)
    metadata.reflect(connection, only=lambda name, _metadata: name not in partitions)
    for table in list(metadata.tables.values()):
        if table.name in partitions:  # reached through the clones of a foreign key, one per partition
            metadata.remove(table)
            continue
        for foreign_key in [fk for fk in table.foreign_key_constraints if fk.referred_table.name in partitions]:
            table.constraints.discard(foreign_key)
            for element in foreign_key.elements:
                element.parent.foreign_keys.discard(element)
    return metadata


def sample(table: sa.Table, column: sa.Column, step: int) -> tuple[Any, bool]:
    """A value for ``column`` as the schema at this step stores it, and whether it is free text.

    The current models only say which strings are enums or JSON, so values stay meaningful."""
    model = db.metadata.tables.get(table.name)
    model_type = model.columns[column.name].type if model is not None and column.name in model.columns else None
    model_type = getattr(model_type, "impl_instance", model_type)
    if isinstance(model_type, sa.Enum):
        return model_type.enums[0], False
    if isinstance(model_type, sa.JSON):
        return ([] if isinstance(column.type, sa.JSON) else "[]"), False
    python_type = column.type.python_type
    if python_type is bool:
        return True, False
    if python_type is int:
        return 10 + step, False
    if python_type is dt.datetime:
        return NOW + dt.timedelta(minutes=step), False
    if python_type is dt.date:
        return NOW.date(), False
    if python_type is dt.time:
        return NOW.time(), False
    if python_type is bytes:
        return bytes([step, 0, 255]) * 10, False
    if python_type in (float, Decimal):
        return python_type("1.5"), False
    text = f"{step} {table.name}.{column.name} Nguyễn Văn Ấn"
    length = getattr(column.type, "length", None)
    return (text[:length] if length else text), True


def insert_rows(connection: sa.Connection, step: int, seeded: Seeded) -> None:
    """One row in every table of this step's schema, parents first, pointing at this step's rows."""
    written: dict[str, dict[str, Any]] = {}
    for table in reflect(connection).sorted_tables:
        if table.name == "alembic_version":
            continue
        primary = list(table.primary_key.columns)
        generated = len(primary) == 1 and primary[0].type.python_type is int and not primary[0].foreign_keys
        row: dict[str, Any] = {}
        text: set[str] = set()
        for column in table.columns:
            if generated and column is primary[0]:
                continue
            if column.foreign_keys:
                target = next(iter(column.foreign_keys)).column
                parent = written.get(target.table.name) if target.table is not table else None
                parent = parent or (None if column.nullable else seeded.last.get(target.table.name))
                row[column.name] = parent[target.name] if parent else None
                text.add(column.name)
                continue
            row[column.name], is_text = sample(table, column, step)
            if is_text:
                text.add(column.name)
        insert = table.insert().values(row)
        if primary:
            row.update(connection.execute(insert.returning(*primary)).one()._mapping)
        else:
            connection.execute(insert)
        written[table.name] = row
        seeded.add(table, row, text)


def watched_rows(connection: sa.Connection, seeded: Seeded) -> dict[str, dict[tuple, dict[str, Any]]]:
    """The seeded rows as the database holds them now, with their watched columns that still exist."""
    metadata = reflect(connection)
    found: dict[str, dict[tuple, dict[str, Any]]] = {}
    for name, rows in seeded.rows.items():
        table = metadata.tables.get(name)
        if table is None:
            continue  # a table a migration drops is a decision, not a loss
        columns = [column for column in table.columns if column.name in seeded.watched[name]]
        keys = seeded.keys[name]
        result = connection.execute(sa.select(*columns)).mappings()
        found[name] = {key: dict(row) for row in result if (key := tuple(row[k] for k in keys)) in rows}
    return found


def checksum(rows: dict[tuple, dict[str, Any]], columns: set[str]) -> str:
    values = sorted(repr((key, [row[c] for c in sorted(columns)])) for key, row in rows.items())
    return hashlib.sha256("\n".join(values).encode()).hexdigest()


def filled(before: dict[tuple, dict[str, Any]], after: dict[tuple, dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
    """``before`` with the empty (NULL) values a data step filled in taken from ``after``: filling a
    value that was not there loses nothing (a backfill), changing one that was does."""
    return {key: {c: (after[key][c] if v is None and key in after and c in after[key] else v) for c, v in row.items()}
            for key, row in before.items()}


def test_upgrade_one_step_at_a_time_keeps_the_rows_of_every_earlier_step(fresh_app: Flask) -> None:
    with fresh_app.app_context():
        config = migrate.get_config()
        steps = revisions(fresh_app)
        seeded = Seeded()
        before: dict[str, dict[tuple, dict[str, Any]]] = {}
        for number, step in enumerate(steps, start=1):
            command.upgrade(config, step)
            with db.engine.begin() as connection:
                after = watched_rows(connection, seeded)
                for name, rows in before.items():
                    if name not in after:
                        continue
                    assert len(after[name]) == len(rows), f"rows of {name} lost at {step}"
                    columns = set(next(iter(rows.values()), {})) & set(next(iter(after[name].values()), {}))
                    expected = checksum(filled(rows, after[name]), columns)
                    assert checksum(after[name], columns) == expected, f"{name} changed at {step}"
                insert_rows(connection, number, seeded)
                before = watched_rows(connection, seeded)
        assert {table.name for table in db.metadata.sorted_tables} <= set(seeded.rows)
        assert all(len(rows) >= 1 for rows in seeded.rows.values())
        with db.engine.connect() as connection:
            first = connection.execute(sa.text("SELECT full_name FROM user_account ORDER BY id")).scalars().first()
        assert first == "1 user_account.full_name Nguyễn Văn Ấn"


def test_models_match_the_migrations(fresh_app: Flask) -> None:
    with fresh_app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "include_object": compare_filter(connection.dialect.name)})
            assert compare_metadata(context, db.metadata) == []


def test_downgrade_to_nothing_and_back(fresh_app: Flask) -> None:
    with fresh_app.app_context():
        upgrade()
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as connection:
            assert "lesson_progress" in sa.inspect(connection).get_table_names()
