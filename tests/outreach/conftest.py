"""Fixtures for the outreach tests: public modules owned by the test town's units."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.courses.models import Course
from learnhub.extensions import db


def update_course(app: Flask, slug: str, **values) -> int:
    """Change a module's columns (public, owner, published, archived); returns its id."""
    with app.app_context():
        course = db.session.scalars(sa.select(Course).where(Course.slug == slug)).one()
        for name, value in values.items():
            setattr(course, name, value)
        db.session.commit()
        return course.id


@pytest.fixture
def public_module(app: Flask, town, make_course):
    """A published public module of three lessons, owned by cell A ("Chi bộ Khu phố 1")."""

    def make(slug: str = "nghi-quyet-cong-khai", owner=None, **overrides) -> int:
        make_course(slug=slug, public=True, **overrides)
        return update_course(app, slug, owner_unit_id=(owner or town["a"]).id)

    return make
