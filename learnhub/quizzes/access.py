"""Who may see what of a quiz: the rules, named, built on learnhub.security's primitives.

A member's attempts are theirs alone (``get_own_attempt_or_404`` in routes). The item analysis,
typed answers included, is for propagandists, committee members and admins, each over the members
they answer for: a propagandist the members of the units they write for, a committee member those
of their units, an admin everyone.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from learnhub.auth.models import Role, User
from learnhub.courses.models import Course
from learnhub.security import authoring_unit_ids, scope_unit_ids


def may_see_item_analysis(user: User, course: Course) -> bool:
    """Whether ``user`` may open the item analysis of ``course``'s quiz (a module they can see;
    the figures cover only the members of ``item_analysis_units``)."""
    return user.is_authenticated and user.has_role(Role.propagandist, Role.committee) and course.id is not None


def item_analysis_units(user: User) -> sa.Select[Any] | None:
    """The units whose members' attempts ``user``'s item analysis counts (None: everyone, admins)."""
    if user.role == Role.propagandist:
        return authoring_unit_ids(user)
    return scope_unit_ids(user)
