"""The declarative base, shared column types and SQLite connection settings.

SQLite transactions
-------------------
Several gunicorn workers (or waitress threads) write to one SQLite file, and SQLite has one write
lock. A transaction that asks for it *before reading anything* waits for it (up to
``busy_timeout``); one that has already read and then writes while another holds the lock, or after
another has committed, fails at once with "database is locked" (waiting could deadlock).

pysqlite's own transaction handling (its legacy ``isolation_level=""``) emits BEGIN only just before
an INSERT/UPDATE/DELETE: writers queue, but a SAVEPOINT that opens the transaction is committed by
its RELEASE (a later rollback leaves it written) and schema changes commit one by one. So we turn
it off (``isolation_level = None``, SQLAlchemy's SQLite documentation, "Serializable isolation /
Savepoints / Transactional DDL") and begin transactions ourselves. When, we decided by measuring
with tests/load (300 members sign in, study and submit a quiz through three gunicorn workers) and
the existing suite:

* ``BEGIN`` from the ``begin`` event (the documented recipe): every request reads first (the
  signed-in user), so its first write upgrades a read transaction: 263 of 1,187 requests answered
  500 "database is locked". Inside that transaction the migration environment's
  ``PRAGMA foreign_keys=OFF`` is a no-op, and batch migrations fail on foreign keys.
* ``BEGIN IMMEDIATE`` from the ``begin`` event: no lock errors under load, but every transaction,
  page views and the sign-in's password hash included, holds the write lock for the whole request,
  so requests run one at a time (96 requests/s against 122 for the choice below, on the same
  machine), a reader waits for any writer, two sessions that read before writing wait the whole
  busy timeout and fail (tests/quizzes/test_concurrency.py), and migrations break as above.
* Chosen: reads run in autocommit, each statement seeing the latest commit (as under PostgreSQL's
  default READ COMMITTED, which the code is written for: conditional UPDATEs, unique constraints);
  ``BEGIN IMMEDIATE`` is emitted just before the first statement that writes (INSERT, UPDATE,
  DELETE, REPLACE, SAVEPOINT or DDL) while no transaction is open. Writers queue instead of
  failing, readers never wait, everything from the first write to COMMIT is one serialised
  transaction with savepoints inside it, and each migration step is one transaction.
  tests/load/test_sqlite_transactions.py fails for each alternative; docs/reliability.md has figures.
"""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from cachetools import LRUCache
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, registry, scoped_session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """The current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


def year_of(column: str) -> Any:
    """A column default: the year of the row's ``column`` (its creation time), or this year.

    The year is the partition key of the tables that grow for years (docs/partitions.md); it is
    set once, at insert, and never changes."""
    def default(context: Any) -> int:
        value = context.get_current_parameters().get(column)
        return (value or utcnow()).year

    return default


def rows_changed(session: Session | scoped_session[Any], statement: sa.Insert | sa.Update | sa.Delete) -> int:
    """How many rows an INSERT, UPDATE or DELETE changed: conditional writes that claim a row read it."""
    return cast("sa.CursorResult[Any]", session.execute(statement)).rowcount


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """A timestamp stored as naive UTC and always read back as aware UTC.

    SQLite has no time zones; storing naive UTC everywhere keeps both databases alike.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


def add_once(session: Session | scoped_session[Any], row: Any, find: Any) -> Any:
    """Add ``row``, one of a kind (a unit's document settings, a module's bulletin for a unit, a
    member's reminder choices), and flush it; when a save a moment earlier (a double click, two
    people) already added its twin, the unique rule refuses this one and ``find()`` returns that
    twin to update instead of a 500."""
    try:
        with session.begin_nested():
            session.add(row)
    except sa.exc.IntegrityError:
        existing = find()
        if existing is None:
            raise
        return existing
    return row


def enum_column(enum: type[StrEnum], **kwargs: Any) -> sa.Enum:
    """An enum stored by name as a plain string (no database enum type to migrate)."""
    return sa.Enum(enum, native_enum=False, length=32, validate_strings=True, **kwargs)


class Base(DeclarativeBase):
    # One registry, so Flask-SQLAlchemy's subclass keeps the type map and naming convention.
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={dt.datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


_BEGIN_IMMEDIATE = "learnhub_begin_immediate"  # marks the connections configure_sqlite set up


def configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """WAL for concurrent readers, enforced foreign keys, a wait instead of 'database is locked',
    and pysqlite's own BEGIN turned off: see the module docstring and ``begin_before_first_write``."""
    dbapi_connection.isolation_level = None
    _record.info[_BEGIN_IMMEDIATE] = True
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Statements that need the write lock; anything else (SELECT, PRAGMA, RELEASE, ...) reads.
_WRITES = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|REPLACE|SAVEPOINT|CREATE|DROP|ALTER)\b", re.IGNORECASE)


@sa.event.listens_for(sa.Engine, "before_cursor_execute")
def begin_before_first_write(
    conn: sa.Connection, cursor: Any, statement: str, _parameters: Any, _context: Any, _executemany: bool
) -> None:
    """On a SQLite connection set up by ``configure_sqlite``: ``BEGIN IMMEDIATE`` before the first
    writing statement of a transaction, so it queues for the write lock (``busy_timeout``) before
    it has read anything. Other engines and unconfigured SQLite connections are left alone."""
    if conn.dialect.name == "sqlite" and conn.connection.info.get(_BEGIN_IMMEDIATE):
        dbapi_connection = cursor.connection
        if (
            dbapi_connection.isolation_level is None  # SQLAlchemy resets it to "" after an isolation_level option
            and not dbapi_connection.in_transaction
            and _WRITES.match(statement)
            and conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT"
        ):
            try:
                cursor.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:  # waited busy_timeout in vain
                raise sa.exc.OperationalError("BEGIN IMMEDIATE", None, error) from error


def analyze() -> None:
    """Refresh the query planner's statistics (``ANALYZE``). SQLite keeps none until asked, and
    without them it chose an index that made a province's dashboard ten times slower; run after
    bulk loads and daily (docs/performance.md). PostgreSQL's autovacuum does it too, later."""
    from learnhub.extensions import db

    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")


S = TypeVar("S")
_kept: LRUCache[Hashable, Any] = LRUCache(maxsize=256)
_kept_lock = threading.Lock()


def kept_statement(key: Hashable, build: Callable[[], S]) -> S:
    """The statement ``build()`` makes, built once per worker for ``key``: for the member pages,
    where building a statement (and its cache key) cost the worker more than running it. What
    varies from one request to the next goes in bind parameters given at execution, or in ``key``;
    the statement holds SQL, never rows, so nobody is ever shown another member's data."""
    with _kept_lock:
        statement = _kept.get(key)
    if statement is None:
        statement = build()
        with _kept_lock:
            _kept[key] = statement
    return cast(S, statement)


class in_ids(ColumnElement[bool]):
    """``column IN :list_name``, the ids bound at execution as a list (``in_ids(column, "members")``).

    On PostgreSQL it is ``column = ANY(:list_name)``: one statement text however many ids, so psycopg
    prepares a statement run five times on a connection, for every cell alike (the not-completed
    list's steps took 11.6 ms to plan and 4 ms to run for a cell; prepared, about 9 ms); elsewhere an
    expanding IN. A kept statement (``kept_statement``) takes its varying lists this way."""

    inherit_cache = True
    type = sa.Boolean()
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("list_name", InternalTraversal.dp_string)]

    def __init__(self, column: sa.ColumnElement[Any], list_name: str) -> None:
        self.column = column
        self.list_name = list_name

    def self_group(self, against: Any = None) -> ColumnElement[Any]:
        return self  # already a comparison: SQLite is not to be given "(... IN ...) = 1"


@dataclass(frozen=True)
class IdList:
    """A list of ids bound at execution under ``name``: what varies in a kept statement (the
    members a page lists), compared by ``holds`` (``in_ids``)."""

    name: str

    def holds(self, column: sa.ColumnElement[Any]) -> in_ids:
        return in_ids(column, self.name)


@compiles(in_ids)
def _in_ids_expanding(element: in_ids, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column.in_(sa.bindparam(element.list_name, expanding=True)), **kw)


@compiles(in_ids, "postgresql")
def _in_ids_any(element: in_ids, compiler: Any, **kw: Any) -> str:
    array = sa.bindparam(element.list_name, type_=ARRAY(sa.Integer))
    return compiler.process(element.column == sa.any_(array), **kw)


# pg_advisory_xact_lock(UNIT_LOCK, unit id): the kept figures of a unit (its quiz figures and its
# plans' sums) are recomputed by one transaction at a time.
UNIT_LOCK = 0x51554B  # "QUK"
_LOCK_UNITS = sa.text("SELECT count(pg_advisory_xact_lock(:cls, u)) FROM (SELECT unnest(:units) AS u ORDER BY 1) AS s")


def lock_units(session: Session, unit_ids: Iterable[int]) -> None:
    """On PostgreSQL, hold a lock per unit until the transaction ends, taken in id order, so that two
    members of a cell changing their figures at the same moment cannot each write a unit total
    without the other's change (under READ COMMITTED every later statement sees what the lock's last
    holder committed). Nothing on SQLite, where a writer holds the whole database."""
    units = sorted(set(unit_ids))
    if units and session.get_bind().dialect.name == "postgresql":
        session.execute(_LOCK_UNITS, {"cls": UNIT_LOCK, "units": units})
