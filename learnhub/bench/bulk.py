"""Rows written in bulk: PostgreSQL's ``COPY ... FROM STDIN`` through psycopg 3, executemany elsewhere.

``COPY`` takes a stream of rows in one statement, with no statement per batch and no bound
parameters to plan, which is what lets ``learnhub bench generate`` reach a million members in
minutes (docs/performance.md). The rows are the same dictionaries either way: each value goes
through its column's own type (an enum by name, an aware time as naive UTC, JSON as text), and a
column the rows leave out takes its Python default, as an ORM insert would give it.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import Any

import sqlalchemy as sa

from learnhub.db import UTCDateTime
from learnhub.extensions import db

CHUNK = 5000  # rows per executemany (SQLite) and between progress reports


def insert_rows(model: Any, rows: Iterable[dict[str, Any]], report: Callable[[int], None] | None = None) -> int:
    """Write ``rows`` (dictionaries keyed by column name, all with the same keys) into ``model``'s
    table in the session's transaction; ``report(n)`` every CHUNK rows with the count so far.
    Returns how many rows were written.

    The rows are drawn while PostgreSQL's connection is busy with the COPY: a generator that reads
    the database as it goes (an expired ORM attribute, say) raises ``CopyInProgress`` instead of
    waiting forever for itself. Read what the rows need first."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    rows = chain([first], rows)
    if db.session.get_bind().dialect.name == "postgresql":
        return _copy(model.__table__, first, rows, report)
    written = 0
    while batch := list(islice(rows, CHUNK)):
        db.session.execute(sa.insert(model), batch)
        written += len(batch)
        if report:
            report(written)
    return written


class CopyInProgress(RuntimeError):
    """A statement was sent on the connection while it was streaming rows to COPY."""


def _copy(table: sa.Table, first: dict[str, Any], rows: Iterator[dict[str, Any]],
          report: Callable[[int], None] | None) -> int:
    connection = db.session.connection()
    dialect = connection.dialect
    given = list(first)
    defaults = {c.name: _default(c) for c in table.columns
                if c.name not in first and c.default is not None and c.server_default is None}
    columns = [table.c[name] for name in (*given, *defaults)]
    processors = [_processor(c, dialect) for c in columns]
    constants = [p(v) if p else v for p, v in zip(processors[len(given):], defaults.values(), strict=True)]
    plain = list(zip(given, processors, strict=False))
    names = ", ".join(f'"{c.name}"' for c in columns)
    written = 0
    raw = connection.connection.driver_connection
    assert raw is not None  # a live psycopg connection: the session's own

    def refuse(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        raise CopyInProgress(f"a query while rows stream into {table.name}: {statement[:80]}")

    if connection.exec_driver_sql("SELECT current_setting('is_superuser')").scalar() == "on":
        # The generator's ids are consistent by construction: no foreign-key trigger per row.
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
    sa.event.listen(connection, "before_cursor_execute", refuse)
    try:
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([p(row[name]) if p else row[name] for name, p in plain] + constants)
                written += 1
                if report and written % CHUNK == 0:
                    report(written)
    finally:
        sa.event.remove(connection, "before_cursor_execute", refuse)
    if report and written % CHUNK:
        report(written)
    return written


def _default(column: sa.Column[Any]) -> Any:
    default: Any = column.default
    if default.is_callable:
        return default.arg(None)  # utcnow: once for the whole load
    return default.arg


def _processor(column: sa.Column[Any], dialect: sa.Dialect) -> Callable[[Any], Any] | None:
    """How a Python value of ``column`` becomes the text COPY reads."""
    if isinstance(column.type, sa.JSON):
        return _json_text()
    process = column.type._cached_bind_processor(dialect)  # the conversion an INSERT of the column would apply
    if isinstance(column.type, UTCDateTime) and process:
        # A time already in UTC goes as it is: PostgreSQL reads "… +00:00" into a column without a
        # time zone by dropping the offset, which is what the conversion would do, at a fraction of the cost.
        convert = process
        return lambda value: value if value is None or value.tzinfo is dt.UTC else convert(value)
    return process


def _json_text() -> Callable[[Any], Any]:
    """JSON as text, each distinct value serialised once (every attempt of a quiz shares its paper)."""
    seen: dict[Any, tuple[Any, str]] = {}

    def process(value: Any) -> str | None:
        if value is None:
            return None
        key = id(value) if isinstance(value, (list, dict)) else (type(value), value)
        if key not in seen:
            seen[key] = (value, json.dumps(value))  # the value is kept, so its id is never reused
        return seen[key][1]

    return process


Deferred = list[tuple[str, str, str | None, str]]  # index, its definition, its constraint, its table


def drop_indexes(tables: list[str]) -> Deferred:
    """On PostgreSQL, drop the secondary indexes and unique constraints of ``tables`` (primary keys
    and keys a foreign key references stay) before a bulk load and return them for ``rebuild_indexes``: one sorted build per index
    afterwards instead of millions of row-by-row inserts into each. Elsewhere nothing."""
    if db.session.get_bind().dialect.name != "postgresql":
        return []
    deferred: Deferred = [tuple(row) for row in db.session.execute(sa.text("""
        SELECT i.relname, COALESCE(pg_get_constraintdef(c.oid), pg_get_indexdef(x.indexrelid)), c.conname, t.relname
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.contype IN ('u', 'p', 'x')
        WHERE t.relname = ANY(:tables) AND NOT x.indisprimary
          -- a unique key another table's foreign key points at stays (the answers' (attempt, year))
          AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = x.indexrelid)
          AND t.relnamespace = 'public'::regnamespace ORDER BY t.relname, i.relname"""), {"tables": tables})]
    for index, _definition, constraint, table in deferred:
        db.session.execute(sa.text(f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"' if constraint
                                   else f'DROP INDEX "{index}"'))
    db.session.commit()
    return deferred


def rebuild_indexes(deferred: Deferred) -> None:
    """Build again what ``drop_indexes`` dropped, each in its own transaction."""
    db.session.rollback()
    for _index, definition, constraint, table in deferred:
        db.session.execute(sa.text("SET LOCAL maintenance_work_mem = '256MB'"))
        db.session.execute(sa.text(f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint}" {definition}' if constraint
                                   else definition.replace(" ON ONLY ", " ON ")))
        db.session.commit()
