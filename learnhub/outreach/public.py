"""What the public pages show: published public modules, their introduction and key points."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from learnhub.auth.models import User
from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.security import ancestor_ids, authoring_unit_ids


def public_courses() -> sa.Select[tuple[Course]]:
    """The modules anyone may read: marked public, published and not archived."""
    return sa.select(Course).where(Course.public.is_(True), Course.live())


def get_public_course_or_404(slug: str) -> Course:
    """A public module with its lessons loaded; anything else is "not found", for everyone."""
    course = db.session.scalar(
        public_courses().where(Course.slug == slug).options(selectinload(Course.lessons))
    )
    if course is None:
        abort(404)
    return course


def unit_labels(unit_ids: Iterable[int | None]) -> dict[int, str]:
    """"Parent/Child" paths of the given units, from one query over their ancestors."""
    wanted = {unit_id for unit_id in unit_ids if unit_id is not None}
    if not wanted:
        return {}
    rows = db.session.execute(
        sa.select(Unit.id, Unit.name, Unit.parent_id).where(Unit.id.in_(ancestor_ids(sa.select(Unit.id).where(
            Unit.id.in_(wanted)))))
    ).all()
    parents = {row.id: (row.name, row.parent_id) for row in rows}

    def path(unit_id: int) -> str:
        name, parent_id = parents[unit_id]
        return f"{path(parent_id)}/{name}" if parent_id in parents else name

    return {unit_id: path(unit_id) for unit_id in wanted if unit_id in parents}


def courses_for_visits(user: User, year_course_ids: sa.Select[Any]) -> list[Course]:
    """The modules whose visits ``user`` may see: public now, or visited in the chosen year (a module
    made private later keeps its past visits), owned by a unit the user writes for (all for admins)."""
    statement = sa.select(Course).where(sa.or_(Course.public.is_(True), Course.id.in_(year_course_ids)))
    scope = authoring_unit_ids(user)
    if scope is not None:
        statement = statement.where(Course.owner_unit_id.in_(scope))
    return list(db.session.scalars(statement.order_by(Course.title, Course.id)))
