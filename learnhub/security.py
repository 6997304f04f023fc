"""Authorisation's primitives: role checks for views and the scope of units each viewer reaches.

A committee member's scope is the subtrees of the units assigned to them; an admin's is everything.
Objects outside the viewer's scope answer 404, so their existence is not revealed. Each feature's
``access.py`` names its rules (``may_see_conference``, ``may_edit_member``...) from these primitives
only; docs/architecture.md ("Who may see X?") lists them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from learnhub.auth.models import Role, User
from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitAssignment

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M")


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Require a signed-in user with one of ``roles`` (admins always pass); 403 otherwise."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def subtree_ids(roots: sa.Select[Any]) -> sa.Select[tuple[int]]:
    """The ids of the units in ``roots`` and every unit below them (a recursive CTE)."""
    tree = sa.select(Unit.id).where(Unit.id.in_(roots)).cte(recursive=True)
    tree = tree.union(sa.select(Unit.id).where(Unit.parent_id == tree.c.id))
    return sa.select(tree.c.id)


def whole_organisation(unit_id: int) -> bool:
    """Whether ``unit_id`` is the one top unit, so that "at or below it" is everyone and a query
    may drop that condition (at a province's top it is a list of every member, for nothing)."""
    roots = db.session.scalars(sa.select(Unit.id).where(Unit.parent_id.is_(None)).limit(2)).all()
    return roots == [unit_id]


def ancestor_ids(unit_ids: sa.Select[Any]) -> sa.Select[tuple[int]]:
    """The ids of the units in ``unit_ids`` and every unit above them (a recursive CTE)."""
    up = sa.select(Unit.id, Unit.parent_id).where(Unit.id.in_(unit_ids)).cte(recursive=True)
    up = up.union(sa.select(Unit.id, Unit.parent_id).where(Unit.id == up.c.parent_id))
    return sa.select(up.c.id)


def authoring_unit_ids(user: User) -> sa.Select[tuple[int]] | None:
    """The units whose modules ``user`` may write: a propagandist's own unit and those assigned to
    them, with everything below; a committee member's scope; everything for admins."""
    if user.role == Role.admin:
        return None
    if user.role == Role.propagandist:
        roots = sa.union(
            sa.select(sa.literal(user.unit_id)),
            sa.select(UnitAssignment.unit_id).where(UnitAssignment.user_id == user.id),
        )
        return subtree_ids(sa.select(roots.subquery().c[0]))
    return scope_unit_ids(user)


def narrowed_to(user: User) -> int | None:
    """The unit an API token limits its owner to for the call being answered (``scope_root``, set by
    learnhub/api/core.py on that request's user), else None: the scope below is then that unit's
    subtree within the owner's own."""
    return getattr(user, "scope_root", None)


def scope_unit_ids(user: User) -> sa.Select[tuple[int]] | None:
    """The units ``user`` may oversee as a Select of ids, or None for everything (admins)."""
    root = narrowed_to(user)
    if user.role == Role.admin:
        return None if root is None else subtree_ids(sa.select(sa.literal(root)))
    if user.role != Role.committee:
        return sa.select(Unit.id).where(sa.false())
    own = subtree_ids(sa.select(UnitAssignment.unit_id).where(UnitAssignment.user_id == user.id))
    if root is None:
        return own
    below = subtree_ids(sa.select(sa.literal(root))).subquery()
    return sa.select(below.c.id).where(below.c.id.in_(own))


def in_scope(user: User, unit_id: int) -> bool:
    """Whether ``unit_id`` lies in the units ``user`` oversees (always, for admins)."""
    return unit_id in in_scope_among(user, [unit_id])


def in_scope_among(user: User, unit_ids: Iterable[int]) -> set[int]:
    """Those of ``unit_ids`` that lie in the units ``user`` oversees, in one query.

    The same rule as scope_unit_ids, read upwards: a unit is in scope when one of the units at or
    above it is assigned to the viewer (and, narrowed by a token, when the token's unit is one of
    them). Climbing a unit's few ancestors costs the same in a province as in a town, where listing
    a province secretary's scope to find one unit in it read 36,000 units on every page."""
    wanted = set(unit_ids)
    if not wanted or user.role not in (Role.admin, Role.committee):
        return set()
    root = narrowed_to(user)
    if user.role == Role.admin and root is None:
        return set(db.session.scalars(sa.select(Unit.id).where(Unit.id.in_(wanted))))
    start = sa.select(Unit.id.label("origin"), Unit.id.label("id"), Unit.parent_id).where(Unit.id.in_(wanted))
    up = start.cte(recursive=True)
    up = up.union(sa.select(up.c.origin, Unit.id, Unit.parent_id).where(Unit.id == up.c.parent_id))
    conditions = []
    if root is not None:
        conditions.append(sa.func.max(sa.case((up.c.id == root, 1), else_=0)) == 1)
    if user.role == Role.committee:
        assigned = sa.select(UnitAssignment.unit_id).where(UnitAssignment.user_id == user.id)
        conditions.append(sa.func.max(sa.case((up.c.id.in_(assigned), 1), else_=0)) == 1)
    return set(db.session.scalars(sa.select(up.c.origin).group_by(up.c.origin).having(sa.and_(*conditions))))


def scope_tops(user: User) -> list[int]:
    """The live units at the top of the viewer's scope: each is in scope, with everything below it,
    and its parent is not. They are among the viewer's assigned units and the token's unit (for an
    admin, the tree's roots), so they are found without listing the scope."""
    root = narrowed_to(user)
    if user.role == Role.admin and root is None:
        return list(db.session.scalars(
            sa.select(Unit.id).where(Unit.parent_id.is_(None), Unit.archived_at.is_(None)).order_by(Unit.id)))
    if user.role not in (Role.admin, Role.committee):
        return []
    candidates = {root} if root is not None else set()
    if user.role == Role.committee:
        candidates |= set(db.session.scalars(sa.select(UnitAssignment.unit_id).where(UnitAssignment.user_id == user.id)))
    units = db.session.execute(sa.select(Unit.id, Unit.parent_id).where(
        Unit.id.in_(candidates), Unit.archived_at.is_(None)).order_by(Unit.id)).tuples().all()
    inside = in_scope_among(user, [unit_id for unit_id, _parent in units]
                            + [parent_id for _unit, parent_id in units if parent_id is not None])
    return [unit_id for unit_id, parent_id in units if unit_id in inside and parent_id not in inside]


def limit_to_scope(statement: sa.Select[Any], unit_column: Any, user: User) -> sa.Select[Any]:
    """Add the viewer's scope to a query over something that belongs to a unit."""
    scope = scope_unit_ids(user)
    return statement if scope is None else statement.where(unit_column.in_(scope))


def get_unit_in_scope_or_404(unit_id: int, user: User | None = None) -> Unit:
    """A unit the viewer oversees, else 404."""
    user = user or current_user
    unit = db.session.get(Unit, unit_id)
    if unit is None or not in_scope(user, unit.id):
        abort(404)
    return unit


def can_oversee(user: User, member: User) -> bool:
    """Whether ``user`` oversees ``member``: a committee member (or admin) whose scope holds their unit."""
    return user.has_role(Role.committee) and in_scope(user, member.unit_id)


STAFF = (Role.propagandist, Role.committee, Role.admin)


@dataclass(frozen=True)
class Reach:
    """One viewer's scopes read once as sets, to judge many objects without a query each:
    ``scope`` the units whose members they oversee (scope_unit_ids), ``authoring`` the units whose
    modules they write (authoring_unit_ids); None means every unit (admins)."""

    user_id: int
    role: Role
    scope: frozenset[int] | None
    authoring: frozenset[int] | None

    @property
    def is_staff(self) -> bool:
        """Propagandists, committee members and admins."""
        return self.role in STAFF

    def oversees(self, unit_id: int) -> bool:
        """The set form of in_scope."""
        return self.scope is None or unit_id in self.scope

    def writes(self, course_owner_id: int | None) -> bool:
        """Whether the viewer may write a module owned by that unit (a module with no owner: admins only)."""
        if self.authoring is None:
            return True
        return course_owner_id is not None and course_owner_id in self.authoring


def reach_of(user: User) -> Reach:
    """The viewer's Reach, from the same scope rules as scope_unit_ids and authoring_unit_ids."""
    if user.role == Role.admin and narrowed_to(user) is None:
        return Reach(user.id, user.role, None, None)
    scope = scope_unit_ids(user)
    written = authoring_unit_ids(user)
    if user.role in (Role.committee, Role.admin):  # an admin here is narrowed to a unit by an API token
        scope_set = frozenset(db.session.scalars(scope)) if scope is not None else frozenset()
        return Reach(user.id, user.role, scope_set, scope_set)  # a committee writes for its scope
    if user.role == Role.propagandist:
        return Reach(user.id, user.role, frozenset(),
                     frozenset(db.session.scalars(written)) if written is not None else frozenset())
    return Reach(user.id, user.role, frozenset(), frozenset())


def get_or_404(model: type[M], object_id: int, allowed: Callable[[M], bool] | None = None) -> M:
    """The ``model`` row with this id when it exists and ``allowed`` says yes, else 404: a viewer is
    never told that an object they may not see exists. Every feature's loaders are built on it."""
    found = db.session.get(model, object_id)
    if found is None or (allowed is not None and not allowed(found)):
        abort(404)
    return found


def first_or_404(statement: sa.Select[tuple[M]]) -> M:
    """The first row of a query already limited to what the viewer may see, else 404."""
    found = db.session.scalar(statement)
    if found is None:
        abort(404)
    return found
