"""The tables that grow for years, partitioned by year on PostgreSQL, and how long answers are kept.

Lesson progress, quiz attempts and their answers are partitioned by LIST on a year column on
PostgreSQL (migration 0b7d3e5a9c21): one partition per year plus a default partition that catches
any other year, so an insert never fails. ``ensure_year`` adds a year's partitions (moving rows that
already fell into the default partition); ``forget_answers`` drops the detailed answers of closed
years older than the kept period: a DETACH and DROP of the year's partition on PostgreSQL, a DELETE
on SQLite, where nothing is partitioned. Rates and snapshots are computed from progress and
attempts, which are kept; see docs/partitions.md and docs/privacy.md.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from learnhub.extensions import db

# Each partitioned table and its partition key, parents before the tables that reference them.
PARTITIONED = {"lesson_progress": "year", "quiz_attempt": "year", "attempt_answer": "attempt_year"}
DEFAULT_ANSWERS_KEPT_YEARS = 5


def partition_name(table: str, year: int | None) -> str:
    """``quiz_attempt_2027``; ``quiz_attempt_default`` for the partition of every other year."""
    return f"{table}_{year if year is not None else 'default'}"


def is_partitioned(connection: sa.Connection) -> bool:
    """Whether this database holds the partitioned tables (PostgreSQL after the migration)."""
    if connection.dialect.name != "postgresql":
        return False
    return bool(connection.scalar(sa.text(
        "SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
        " WHERE c.relname = 'lesson_progress' AND c.relnamespace = current_schema()::regnamespace")))


def partition_tables(connection: sa.Connection) -> set[str]:
    """Names of every partition in the current schema (none on SQLite)."""
    if connection.dialect.name != "postgresql":
        return set()
    return set(connection.scalars(sa.text(
        "SELECT relname FROM pg_class WHERE relispartition AND relkind IN ('r', 'p')"
        " AND relnamespace = current_schema()::regnamespace")))


def partitions(connection: sa.Connection) -> list[dict[str, Any]]:
    """Each partition: its table, name, year (None for the default one) and an estimate of its rows."""
    if not is_partitioned(connection):
        return []
    rows = connection.execute(sa.text(
        "SELECT parent.relname AS parent, child.relname AS name, child.reltuples AS estimate,"
        " pg_get_expr(child.relpartbound, child.oid) AS bound"
        " FROM pg_inherits i JOIN pg_class parent ON parent.oid = i.inhparent"
        " JOIN pg_class child ON child.oid = i.inhrelid"
        " WHERE parent.relname IN ('lesson_progress', 'quiz_attempt', 'attempt_answer')"
        " AND parent.relnamespace = current_schema()::regnamespace ORDER BY parent.relname, child.relname"))
    found = []
    for row in rows:
        year = None if row.bound == "DEFAULT" else int(row.bound.split("(")[1].rstrip(")").strip("'"))
        found.append({"table": row.parent, "name": row.name, "year": year, "rows": max(int(row.estimate), 0)})
    return found


def ensure_year(connection: sa.Connection, year: int) -> list[str]:
    """Create the partitions of ``year`` that do not exist yet; returns the names created.

    Rows of that year already in a default partition (the year came before its partitions) are
    moved into the new ones: answers out first, attempts after, then the partitions are attached,
    which checks the foreign key of the answers again."""
    if not 1945 <= year <= 2100:
        raise ValueError(f"year {year} is outside 1945..2100")
    if not is_partitioned(connection):
        return []
    existing = {p["name"] for p in partitions(connection)}
    created = []
    waiting = []
    for table, key in PARTITIONED.items():
        name = partition_name(table, year)
        if name in existing:
            continue
        default = partition_name(table, None)
        caught = connection.scalar(sa.text(f"SELECT EXISTS (SELECT 1 FROM {default} WHERE {key} = :year)"),
                                   {"year": year})
        if caught:
            connection.execute(sa.text(f"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS)"))
            waiting.append((table, name))
        else:
            connection.execute(sa.text(f"CREATE TABLE {name} PARTITION OF {table} FOR VALUES IN ({year})"))
        created.append(name)
    # Children leave the default partition before their parents, so no answer points nowhere.
    for table, name in reversed(waiting):
        key = PARTITIONED[table]
        default = partition_name(table, None)
        connection.execute(sa.text(f"INSERT INTO {name} SELECT * FROM {default} WHERE {key} = :year"), {"year": year})
        connection.execute(sa.text(f"DELETE FROM {default} WHERE {key} = :year"), {"year": year})
    for table, name in waiting:
        connection.execute(sa.text(f"ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES IN ({year})"))
    return created


def answers_kept_years() -> int:
    """How many closed years of detailed answers are kept (LEARNHUB_ANSWERS_KEPT_YEARS, default 5)."""
    return int(current_app.config.get("ANSWERS_KEPT_YEARS", DEFAULT_ANSWERS_KEPT_YEARS))


def last_forgotten_year(today: dt.date, kept: int) -> int:
    """The last year whose answers may go: the current year is open, then ``kept`` closed years stay."""
    return today.year - 1 - kept


def answers_to_forget(up_to: int) -> dict[int, int]:
    """The answers of years up to ``up_to``, counted by year (the year their attempt was started)."""
    from learnhub.quizzes.models import AttemptAnswer

    rows = db.session.execute(
        sa.select(AttemptAnswer.attempt_year, sa.func.count())
        .where(AttemptAnswer.attempt_year <= up_to)
        .group_by(AttemptAnswer.attempt_year).order_by(AttemptAnswer.attempt_year)
    ).tuples()
    return dict(rows.all())


def forget_answers(up_to: int) -> int:
    """Remove the detailed answers of the years up to ``up_to``; attempts (score, percent, passed),
    lesson progress and every kept figure stay. Returns how many answers were removed.

    PostgreSQL: each such year's partition is detached and dropped (no row-by-row delete, no bloat);
    answers of those years in the default partition are deleted. SQLite: one DELETE."""
    from learnhub.quizzes.models import AttemptAnswer

    connection = db.session.connection()
    removed = sum(answers_to_forget(up_to).values())
    if is_partitioned(connection):
        for partition in partitions(connection):
            if partition["table"] == "attempt_answer" and partition["year"] is not None and partition["year"] <= up_to:
                connection.execute(sa.text(f"ALTER TABLE attempt_answer DETACH PARTITION {partition['name']}"))
                connection.execute(sa.text(f"DROP TABLE {partition['name']}"))
    db.session.execute(sa.delete(AttemptAnswer).where(AttemptAnswer.attempt_year <= up_to))
    return removed


def compare_filter(dialect_name: str) -> Callable[..., bool]:
    """Alembic's ``include_object`` for comparing the models with the database: partitions are the
    database's business, not the models', and on PostgreSQL the primary key (id, year) of
    quiz_attempt is the unique rule the model declares for SQLite's foreign key."""
    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if type_ == "table" and reflected and compare_to is None and name and _looks_like_partition(name):
            return False
        # PostgreSQL clones a foreign key to a partitioned table once per partition it refers to;
        # SQLAlchemy reflects the clones as foreign keys of the parent.
        if type_ == "foreign_key_constraint" and reflected and _looks_like_partition(obj.referred_table.name):
            return False
        if type_ == "unique_constraint" and dialect_name == "postgresql" and not reflected:
            return not obj.info.get("primary_key_on_postgresql", False)
        return True

    return include


def _looks_like_partition(name: str) -> bool:
    table, _, suffix = name.rpartition("_")
    return table in PARTITIONED and (suffix == "default" or suffix.isdigit())


@click.group("partitions", help="The tables partitioned by year (PostgreSQL; docs/partitions.md).")
def partitions_cli() -> None:
    """Groups ``learnhub db partitions``."""


@partitions_cli.command("list")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
@with_appcontext
def list_command(output: str) -> None:
    """Each partition, its year and its estimated rows (nothing on SQLite)."""
    found = partitions(db.session.connection())
    if output == "json":
        click.echo(json.dumps(found))
        return
    if not found:
        click.echo("no partitioned tables here (SQLite, or not migrated)", err=True)
    for partition in found:
        click.echo(f"{partition['name']}\t{partition['year'] or 'default'}\t~{partition['rows']} rows")


@partitions_cli.command("create")
@click.option("--year", type=click.IntRange(1945, 2100), default=None,
              help="The year to create (default: this year and the next).")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
@with_appcontext
def create_command(year: int | None, output: str) -> None:
    """Create the partitions of a year ahead of its first row; run it yearly (the timer of the backups)."""
    today = dt.datetime.now(dt.UTC).year
    connection = db.session.connection()
    created = [name for each in ([year] if year else [today, today + 1]) for name in ensure_year(connection, each)]
    db.session.commit()
    if output == "json":
        click.echo(json.dumps({"created": created}))
    click.echo(f"{len(created)} partition(s) created" + (f": {', '.join(created)}" if created else ""), err=True)
