"""Each database's own copy tools: SQLite's online backup API, pg_dump, pg_restore and psql."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
KIND_NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
LOCK_TIMEOUT = "30s"


class BackupError(Exception):
    """A backup or restore refused or failed; the message is one line for the person at the console."""


@dataclass(frozen=True)
class Snapshot:
    """What a copy holds: its Alembic revision (None before the first migration) and row counts."""

    revision: str | None
    tables: dict[str, int]


def database_kind(url: sa.URL) -> str:
    """``sqlite`` or ``postgresql``; any other database is refused."""
    backend = url.get_backend_name()
    if backend not in KIND_NAMES:
        raise BackupError(f"cannot back up a {backend} database: LearnHub supports SQLite and PostgreSQL")
    return backend


def sqlite_path(url: sa.URL) -> Path:
    """The database file of a SQLite URL (relative paths are taken from the working folder, as SQLite does)."""
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError("the SQLite database is in memory or given as a URI: nothing to back up")
    return Path(url.database).absolute()


def _sqlite_snapshot(connection: sqlite3.Connection) -> Snapshot:
    names = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )]
    tables = {
        name: connection.execute(f'SELECT count(*) FROM "{name.replace(chr(34), chr(34) * 2)}"').fetchone()[0]
        for name in names
    }
    revision = None
    if "alembic_version" in tables:
        heads = sorted(row[0] for row in connection.execute("SELECT version_num FROM alembic_version"))
        revision = " ".join(heads) or None
    return Snapshot(revision, tables)


def copy_sqlite(source: Path, target: Path) -> Snapshot:
    """Copy a live SQLite database page by page with the online backup API (consistent while the
    server writes) into ``target``, a single self-contained file, and describe the copy."""
    if not source.is_file() or source.stat().st_size == 0:
        raise BackupError(f"{source}: no database there (run `learnhub db upgrade` first)")
    try:
        # mode=rw: open the existing file, never create an empty one.
        src = sqlite3.connect(source.as_uri() + "?mode=rw", uri=True)
        try:
            src.execute("PRAGMA busy_timeout=10000")
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
                return _sqlite_snapshot(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{source}: {exc}") from None


def check_sqlite(path: Path) -> Snapshot:
    """Check a restored SQLite file's integrity before it replaces the database, and describe it."""
    try:
        connection = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise BackupError(f"the database in the archive is damaged: {result}")
            return _sqlite_snapshot(connection)
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise BackupError(f"the database in the archive cannot be read: {exc}") from None


def replace_sqlite(new_file: Path, target: Path) -> None:
    """Put ``new_file`` in place of the database in one rename, dropping the old file's journals
    first: a stale -wal would otherwise be replayed into the restored database."""
    if target.exists():
        shutil.copymode(target, new_file)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(new_file, target)


def sqlite_activity(path: Path) -> str | None:
    """Why the database seems open elsewhere: its write-ahead log exists only while connections are open."""
    wal = Path(f"{path}-wal")
    try:
        age = time.time() - wal.stat().st_mtime
    except FileNotFoundError:
        return None
    return f"{wal.name} exists (last written {age:.0f} s ago)"


def _conninfo(url: sa.URL) -> str:
    """A libpq connection URI for the client tools, without the password (it goes in PGPASSWORD)."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _environment(url: sa.URL) -> dict[str, str]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found on PATH: install the PostgreSQL client tools (postgresql-client)")
    return path


def _redact(message: str, url: sa.URL) -> str:
    if url.password:
        message = message.replace(str(url.password), "***")
    return message


def _last_line(stderr: str, url: sa.URL, default: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return _redact(lines[-1] if lines else default, url)


def connection_error(exc: sa.exc.DBAPIError, url: sa.URL) -> BackupError:
    """A one-line message for a failed connection, never showing the password."""
    first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
    return BackupError(_redact(f"cannot reach the database: {first}", url))


def table_counts(connection: sa.Connection) -> dict[str, int]:
    """Rows in every table of the default schema."""
    names = sorted(sa.inspect(connection).get_table_names())
    return {
        name: connection.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar_one()
        for name in names
    }


def current_revision(connection: sa.Connection) -> str | None:
    """The Alembic revision the database is at (several heads joined by spaces), None if never migrated."""
    heads = sorted(MigrationContext.configure(connection).get_current_heads())
    return " ".join(heads) or None


def dump_postgresql(engine: sa.Engine, target: Path) -> Snapshot:
    """Run ``pg_dump --format=custom`` on the snapshot the row counts were read from, so the
    manifest describes exactly the dump."""
    pg_dump = _pg_tool("pg_dump")
    url = engine.url
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                snapshot_id = connection.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
                snapshot = Snapshot(current_revision(connection), table_counts(connection))
                done = subprocess.run(
                    [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot_id}",
                     f"--file={target}", f"--dbname={_conninfo(url)}"],
                    env=_environment(url), capture_output=True, text=True, check=False,
                )
    except sa.exc.DBAPIError as exc:
        raise connection_error(exc, url) from None
    if done.returncode != 0:
        raise BackupError(_last_line(done.stderr, url, "pg_dump failed"))
    return snapshot


def postgresql_activity(engine: sa.Engine) -> str | None:
    """Why the database seems in use: other sessions connected to it."""
    try:
        with engine.connect() as connection:
            others = connection.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend'"
            )).scalar_one()
    except sa.exc.DBAPIError as exc:
        raise connection_error(exc, engine.url) from None
    finally:
        engine.dispose()
    return f"{others} other connection(s) to the database" if others else None


def restore_postgresql(engine: sa.Engine, dump: Path) -> Snapshot:
    """Load a custom-format dump in one transaction: drop every table of the database, then replay
    ``pg_restore --clean --if-exists --no-owner``; any error rolls everything back.

    psql runs the script rather than ``pg_restore --single-transaction`` because tables added by
    newer migrations must go in the same transaction, or their foreign keys block the drops.
    """
    pg_restore, psql = _pg_tool("pg_restore"), _pg_tool("psql")
    url = engine.url
    try:
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            preparer = connection.dialect.identifier_preparer
            schema = preparer.quote_schema(inspector.default_schema_name or "public")
            tables = [f"{schema}.{preparer.quote(name)}" for name in inspector.get_table_names()]
    except sa.exc.DBAPIError as exc:
        raise connection_error(exc, url) from None
    engine.dispose()
    load = [psql, "--no-psqlrc", "--quiet", "--no-password", "--single-transaction",
            "--set=ON_ERROR_STOP=1", f"--dbname={_conninfo(url)}"]
    if tables:
        # A server still running may hold locks: fail after a while rather than wait for ever.
        load.append(f"--command=SET lock_timeout = '{LOCK_TIMEOUT}'")
        load.append(f"--command=DROP TABLE IF EXISTS {', '.join(tables)} CASCADE")
    load.append("--file=-")
    _pipe([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file=-", str(dump)],
          load, env=_environment(url), url=url)
    try:
        with engine.connect() as connection:
            return Snapshot(current_revision(connection), table_counts(connection))
    finally:
        engine.dispose()


def _pipe(produce: list[str], consume: list[str], *, env: dict[str, str], url: sa.URL) -> None:
    """Feed one tool's output to another. psql commits only when its input ends, so if the
    producer fails, psql is killed first and the server rolls the transaction back."""
    with tempfile.TemporaryFile() as produce_errors, tempfile.TemporaryFile() as consume_errors:
        producer = subprocess.Popen(produce, stdout=subprocess.PIPE, stderr=produce_errors)
        consumer = subprocess.Popen(consume, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                    stderr=consume_errors, env=env)
        assert producer.stdout is not None and consumer.stdin is not None
        try:
            shutil.copyfileobj(producer.stdout, consumer.stdin, 1024 * 1024)
        except BrokenPipeError:
            pass  # the consumer stopped on an error; its message says why
        producer.stdout.close()  # a producer still writing now ends with SIGPIPE
        produced = producer.wait()
        if produced != 0:
            consumer.kill()
        try:
            consumer.stdin.close()
        except BrokenPipeError:
            pass
        consumed = consumer.wait()
        if produced != 0 and consumed in (0, -9):
            failed, errors = produce[0], produce_errors
        elif consumed != 0:
            failed, errors = consume[0], consume_errors
        else:
            return
        errors.seek(0)
        text = errors.read().decode("utf-8", "replace")
        raise BackupError(_last_line(text, url, f"{Path(failed).name} failed") + " (nothing was changed)")


def pending_migrations(engine: sa.Engine, script: ScriptDirectory) -> bool:
    """Whether the database is behind the newest migration of the code."""
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except sa.exc.DBAPIError as exc:
        raise connection_error(exc, engine.url) from None
    return current != set(script.get_heads())
