"""The migration to plans of several modules keeps each plan's module, date and number."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import command
from flask import Flask

from learnhub.extensions import db, migrate
from tests.test_migrations import Seeded, _logging_kept, insert_rows  # noqa: F401  (the logging fixture)

BEFORE = "b4d2e6f8a013"  # the head before plans covered several modules


def test_plans_keep_their_module_date_and_a_unique_number(fresh_app: Flask) -> None:
    with fresh_app.app_context():
        config = migrate.get_config()
        command.upgrade(config, BEFORE)
        seeded = Seeded()
        with db.engine.begin() as connection:
            insert_rows(connection, 1, seeded)
            insert_rows(connection, 2, seeded)
            plans = connection.execute(sa.text("SELECT id, course_id FROM study_plan ORDER BY id")).all()
            first, second = plans[0].id, plans[1].id
            # the same unit used one number twice in 2026, and a third plan had none
            connection.execute(sa.text("UPDATE study_plan SET number = '15-KH', unit_id = (SELECT unit_id FROM "
                                       "study_plan WHERE id = :a), created_at = :at"), {"a": first,
                                                                                      "at": dt.datetime(2026, 3, 1, 8)})
            insert_rows(connection, 3, seeded)
            third = connection.execute(sa.text("SELECT max(id) FROM study_plan")).scalar()
            connection.execute(sa.text("UPDATE study_plan SET number = '' WHERE id = :c"), {"c": third})
        command.upgrade(config, "heads")
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT p.id, p.number, p.issued_on, p.issued_year, m.course_id, m.position FROM study_plan p "
                "JOIN study_plan_course m ON m.plan_id = p.id ORDER BY p.id")).all()
    by_id = {row.id: row for row in rows}
    assert [(row.id, row.course_id, row.position) for row in rows] == [
        (first, plans[0].course_id, 0), (second, plans[1].course_id, 0), (third, by_id[third].course_id, 0)]
    assert by_id[first].number == "15-KH" and by_id[second].number == f"15-KH ({second})"
    assert by_id[third].number is None
    assert str(by_id[first].issued_on)[:10] == "2026-03-01" and by_id[first].issued_year == 2026
