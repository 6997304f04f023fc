"""Which modules a committee may put in its plans."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from learnhub.auth.models import User
from learnhub.courses.models import Course
from learnhub.security import ancestor_ids, scope_unit_ids


def assignable_courses(user: User) -> sa.Select[Any]:
    """Published modules owned by a unit in the viewer's scope, or shared down from a unit above it."""
    statement = sa.select(Course).where(Course.live())
    scope = scope_unit_ids(user)
    if scope is None:
        return statement
    return statement.where(sa.or_(
        Course.owner_unit_id.is_(None),
        Course.owner_unit_id.in_(scope),
        sa.and_(Course.shared_down.is_(True), Course.owner_unit_id.in_(ancestor_ids(scope))),
    ))
