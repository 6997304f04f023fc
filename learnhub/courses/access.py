"""Who may do what with a module: put it in a plan, or write it. Built on learnhub.security's scopes."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from learnhub.auth.models import User
from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.security import ancestor_ids, authoring_unit_ids, scope_unit_ids


def assignable_courses(user: User) -> sa.Select[Any]:
    """Published modules owned by a unit in the viewer's scope, or shared down from a unit above it."""
    return plannable_courses(user).where(Course.live())


def plannable_courses(user: User) -> sa.Select[Any]:
    """The modules of assignable_courses whether published or not (archived ones too; pickers leave
    them out): a draft plan may name a module still being written; opening it needs it published."""
    statement = sa.select(Course)
    scope = scope_unit_ids(user)
    if scope is None:
        return statement
    return statement.where(sa.or_(
        Course.owner_unit_id.is_(None),
        Course.owner_unit_id.in_(scope),
        sa.and_(Course.shared_down.is_(True), Course.owner_unit_id.in_(ancestor_ids(scope))),
    ))


def editable_courses(user: User) -> sa.Select[Any]:
    """The modules ``user`` may write: those owned by a unit they author for (every one for admins)."""
    statement = sa.select(Course)
    scope = authoring_unit_ids(user)
    return statement if scope is None else statement.where(Course.owner_unit_id.in_(scope))


def may_edit_course(user: User, course: Course) -> bool:
    """Whether ``user`` may write ``course``'s draft, publish it and manage its media."""
    return db.session.scalar(editable_courses(user).with_only_columns(Course.id).where(Course.id == course.id)) is not None


def may_take_slug(user: User, slug: str) -> bool:
    """Whether ``user`` may import a module named ``slug``: new, or one they may already write."""
    existing = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    return existing is None or may_edit_course(user, existing)
