"""The authoring pages only read: a module without a draft (imported before authoring existed) gets
it from the migration, not from the first author who opens it."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from learnhub.authoring import drafts, publishing
from learnhub.authoring.models import DraftFile, Revision
from learnhub.courses.importer import import_course
from learnhub.courses.models import Course
from learnhub.extensions import db
from tests.backup.alembic_logging import logging_kept
from tests.conftest import course_source, login

BEFORE = "f43cd9208eda"  # the last revision before drafts were backfilled by a migration


@pytest.fixture(autouse=True)
def _logging_kept() -> Iterator[None]:
    with logging_kept():
        yield


def draft_rows(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(DraftFile))


def test_opening_a_module_without_a_draft_writes_nothing(app: Flask, town, make_course) -> None:
    make_course("cu", lessons=2)
    with app.app_context():
        db.session.scalars(sa.select(Course)).one().owner_unit_id = town["a"].id
        db.session.commit()
    client = app.test_client()
    login(client, "tuyentruyen")
    for url in ("/authoring/", "/authoring/cu/", "/authoring/cu/settings", "/authoring/cu/view/"):
        assert client.get(url).status_code in (200, 404), url
    assert draft_rows(app) == 0


def test_the_migration_gives_every_module_its_draft_as_members_see_it(fresh_app: Flask) -> None:
    with fresh_app.app_context():
        # A module imported (with today's models, so at the head), then the schema taken back to before
        # drafts were backfilled: the same rows an old LearnHub held, whatever columns were added since.
        upgrade()
        import_course(course_source("cu", 3, tags=["tổ chức"]))
        db.session.commit()
        db.session.close()
        downgrade(revision=BEFORE)
        upgrade()
        db.session.expire_all()
        course = db.session.scalars(sa.select(Course)).one()
        migrated = {f.key: (f.position, f.text) for f in drafts.draft_files(course)}
        assert set(migrated) == {"course.md", "lesson:bai-1", "lesson:bai-2", "lesson:bai-3"}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Revision)) == 4
        assert not publishing.is_diverged(course) and not publishing.has_unpublished_changes(course)
        # the same texts the code writes for such a module
        for file in drafts.draft_files(course):
            db.session.delete(file)
        db.session.execute(sa.delete(Revision))
        db.session.flush()
        publishing.ensure_draft(course)
        assert {f.key: (f.position, f.text) for f in drafts.draft_files(course)} == migrated
        db.session.rollback()
