"""Migrations: build the schema from nothing, keep data through every step, match the models."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade

from learnhub.extensions import db, migrate

NOW = dt.datetime(2026, 1, 5, 8, 0)


def revisions(app: Flask) -> list[str]:
    config = migrate.get_config()
    script = ScriptDirectory.from_config(config)
    return [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]


def seed_first_schema(connection: sa.Connection) -> None:
    """Rows as the first migration's tables hold them (plain SQL: the models may move on)."""
    connection.execute(sa.text(
        "INSERT INTO unit (id, name, kind, created_at, updated_at) VALUES (1, 'Đảng bộ Thị trấn', 'committee', :t, :t)"
    ), {"t": NOW})
    connection.execute(sa.text(
        "INSERT INTO user_account (id, username, full_name, category, role, unit_id, active, created_at, updated_at) "
        "VALUES (1, 'an', 'Nguyễn Văn An', 'party_member', 'member', 1, true, :t, :t)"
    ), {"t": NOW})
    connection.execute(sa.text(
        "INSERT INTO course (id, slug, title, kind, summary, language, tags, public, intro_markdown, intro_html, "
        "created_at, updated_at) VALUES (1, 'chi-thi', 'Chỉ thị', 'directive', 'Tóm tắt', 'vi', '[]', false, '', '', :t, :t)"
    ), {"t": NOW})
    connection.execute(sa.text(
        "INSERT INTO lesson (id, course_id, slug, position, title, minutes, key_points, body_markdown, body_html, "
        "created_at, updated_at) VALUES (1, 1, 'bai-1', 1, 'Bài 1', 10, '[]', 'x', '<p>x</p>', :t, :t)"
    ), {"t": NOW})
    connection.execute(sa.text(
        "INSERT INTO lesson_progress (user_id, lesson_id, first_opened_at, last_seen_at, studied_at, seconds_spent) "
        "VALUES (1, 1, :t, :t, :t, 420)"
    ), {"t": NOW})


def counts(connection: sa.Connection) -> dict[str, int]:
    return {
        table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
        for table in ("unit", "user_account", "course", "lesson", "lesson_progress")
    }


def test_upgrade_with_data_from_the_first_migration_to_head(fresh_app: Flask) -> None:
    with fresh_app.app_context():
        steps = revisions(fresh_app)
        upgrade(revision=steps[0])
        with db.engine.begin() as connection:
            seed_first_schema(connection)
            before = counts(connection)
        for step in steps[1:]:
            upgrade(revision=step)
            with db.engine.connect() as connection:
                assert counts(connection) == before, f"rows lost at {step}"
        with db.engine.connect() as connection:
            name = connection.execute(sa.text("SELECT full_name FROM user_account WHERE id = 1")).scalar_one()
            spent = connection.execute(sa.text("SELECT seconds_spent FROM lesson_progress")).scalar_one()
        assert name == "Nguyễn Văn An" and spent == 420


def test_models_match_the_migrations(fresh_app: Flask) -> None:
    with fresh_app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
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
