"""How long a province's PostgreSQL database takes to back up and to restore, and how big each is.

    .venv/bin/python -m benchmarks.backup_times --database-url postgresql+psycopg://postgres@127.0.0.1/bench_1m

Times ``pg_dump -Fc`` of the database into a file, then ``pg_restore -j 2`` of that file into a
fresh database on the same server (dropped afterwards), and reports the database's size, the
dump's size and the restored database's size. ``benchmarks.run --backup`` calls ``measure`` on
each PostgreSQL database it generates; docs/scaling.md turns the figures into a country's.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa


def _libpq(url: sa.URL) -> tuple[list[str], dict[str, str]]:
    """pg_dump's connection arguments and environment for a SQLAlchemy URL."""
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432), "--username", url.username or "postgres"]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def database_bytes(url: sa.URL) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(sa.text("SELECT pg_database_size(current_database())")))
    finally:
        engine.dispose()


def measure(database_url: str, workdir: Path, jobs: int = 2, log=lambda message: None) -> dict[str, Any]:
    """Dump ``database_url`` with ``pg_dump -Fc`` and restore it with ``pg_restore -j jobs`` into a
    new database; the times (s) and sizes (MB)."""
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        raise SystemExit("pg_dump and pg_restore are needed (the PostgreSQL client)")
    url = sa.make_url(database_url)
    args, env = _libpq(url)
    dump = workdir / f"{url.database}.dump"
    result: dict[str, Any] = {"database_mb": round(database_bytes(url) / 1e6, 1), "restore_jobs": jobs}
    log(f"    pg_dump -Fc of {result['database_mb']:,} MB ...")
    started = time.perf_counter()
    subprocess.run(["pg_dump", *args, "-Fc", "--file", str(dump), url.database], env=env, check=True)
    result["dump_seconds"] = round(time.perf_counter() - started, 1)
    result["dump_mb"] = round(dump.stat().st_size / 1e6, 1)
    restored = f"{url.database}_restored_{secrets.token_hex(3)}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{restored}"'))
        log(f"    pg_restore -j {jobs} of {result['dump_mb']:,} MB ...")
        started = time.perf_counter()
        subprocess.run(["pg_restore", *args, "-j", str(jobs), "--no-owner", "--dbname", restored, str(dump)],
                       env=env, check=True)
        result["restore_seconds"] = round(time.perf_counter() - started, 1)
        result["restored_mb"] = round(database_bytes(url.set(database=restored)) / 1e6, 1)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)'))
        admin.dispose()
        dump.unlink(missing_ok=True)
    log(f"    dump {result['dump_seconds']} s ({result['dump_mb']:,} MB), "
        f"restore {result['restore_seconds']} s ({result['restored_mb']:,} MB)")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.backup_times", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="the PostgreSQL database to dump (left as it is)")
    parser.add_argument("--jobs", type=int, default=2, help="pg_restore's parallel jobs")
    parser.add_argument("--workdir", type=Path, default=None, help="where the dump is written (default: a temporary folder)")
    parser.add_argument("--out", type=Path, default=None, help="also write the figures there as JSON")
    args = parser.parse_args(argv)
    if sa.make_url(args.database_url).get_backend_name() != "postgresql":
        parser.error("--database-url: a PostgreSQL database")
    with tempfile.TemporaryDirectory(prefix="learnhub-backup-", dir=args.workdir) as tmp:
        figures = measure(args.database_url, Path(tmp), args.jobs, log=lambda m: print(m, file=sys.stderr, flush=True))
    text = json.dumps(figures, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
