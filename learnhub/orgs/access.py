"""Who may see and change units, and who may assign committee members to them.

A committee member sees and changes the units in their scope (security.get_unit_in_scope_or_404);
they assign committee members of their scope to the units below the ones they oversee; admins do all.
"""
from __future__ import annotations

from flask import abort

from learnhub.auth.models import Role, User
from learnhub.orgs.models import Unit, UnitAssignment
from learnhub.orgs.services import units_in_scope
from learnhub.security import get_or_404, get_unit_in_scope_or_404, in_scope


def may_assign(actor: User, unit: Unit) -> bool:
    """Admins assign anything; a committee member assigns the units below the ones they oversee."""
    if actor.role == Role.admin:
        return True
    return unit.parent_id is not None and in_scope(actor, unit.parent_id)


def may_be_assigned(actor: User, person: User) -> bool:
    """Whom ``actor`` may make responsible for a unit: active committee members in their scope."""
    return person.role == Role.committee and person.active and in_scope(actor, person.unit_id)


def may_appoint(actor: User, person: User, unit: Unit) -> bool:
    """Who may make ``person`` a committee member responsible for ``unit`` (a cell secretary for a cell):
    admins anyone active; a committee member an active member or committee member of their scope, never
    themselves, for a unit they may assign (may_assign). It grants the committee role, never admin."""
    if not person.active or person.role not in (Role.member, Role.committee):
        return False
    if actor.role == Role.admin:
        return True
    return person.id != actor.id and in_scope(actor, person.unit_id) and may_assign(actor, unit)


def get_assignable_unit_or_404(unit_id: int, actor: User) -> Unit:
    """A unit in the actor's scope that they may assign (may_assign), else 404."""
    unit = get_unit_in_scope_or_404(unit_id, actor)
    if not may_assign(actor, unit):
        abort(404)
    return unit


def get_assignable_person_or_404(person_id: int, actor: User) -> User:
    """A committee member the actor may assign (may_be_assigned), else 404."""
    return get_or_404(User, person_id, lambda person: may_be_assigned(actor, person))


def get_assignment_or_404(assignment_id: int, actor: User) -> UnitAssignment:
    """An assignment to a unit the actor may assign, else 404."""
    return get_or_404(UnitAssignment, assignment_id, lambda assignment: may_assign(actor, assignment.unit))


def get_chosen_unit_or_404(unit_id: int | None, viewer: User) -> Unit:
    """The unit a page was asked for (in the viewer's scope), or their first unit by path; 404 when
    it is outside their scope or they oversee none."""
    if unit_id is None:
        choices = units_in_scope(viewer)
        if not choices:
            abort(404)
        unit_id = choices[0][0]
    return get_unit_in_scope_or_404(unit_id, viewer)
