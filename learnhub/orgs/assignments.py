"""Who is responsible for which units ("phân công phụ trách")."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from learnhub import audit
from learnhub.auth.models import Role, User
from learnhub.extensions import db
from learnhub.orgs.access import may_assign
from learnhub.orgs.models import Unit, UnitAssignment
from learnhub.orgs.services import unit_paths, units_in_scope
from learnhub.security import limit_to_scope


def assignable_units(actor: User) -> list[tuple[int, str]]:
    """The units ``actor`` may assign: for a committee member, those whose parent is also in scope."""
    choices = units_in_scope(actor)
    if actor.role == Role.admin:
        return choices
    ids = {unit_id for unit_id, _ in choices}
    parents: dict[int, int | None] = {
        unit_id: parent_id for unit_id, parent_id in db.session.execute(
            sa.select(Unit.id, Unit.parent_id).where(Unit.id.in_(ids)))
    }
    return [(unit_id, path) for unit_id, path in choices if parents.get(unit_id) in ids]


def assignable_people(actor: User) -> list[tuple[int, str]]:
    """Committee members in the actor's scope (admins: all committee members)."""
    statement = sa.select(User).where(User.role == Role.committee, User.active.is_(True))
    people = db.session.scalars(limit_to_scope(statement, User.unit_id, actor).order_by(User.sort_key)).all()
    return [(p.id, f"{p.full_name} ({p.username})") for p in people]


def assign(person: User, unit: Unit) -> UnitAssignment:
    existing = db.session.scalar(
        sa.select(UnitAssignment).where(UnitAssignment.user_id == person.id, UnitAssignment.unit_id == unit.id)
    )
    if existing is not None:
        return existing
    assignment = UnitAssignment(user_id=person.id, unit_id=unit.id)
    db.session.add(assignment)
    db.session.flush()
    audit.record("assignment.add", object_type="user", object_id=person.id,
                 summary=audit.N_("%(username)s responsible for %(name)s"), params={"username": person.username, "name": unit.name}, after={"unit_id": unit.id})
    return assignment


def unassign(assignment: UnitAssignment) -> None:
    audit.record("assignment.remove", object_type="user", object_id=assignment.user_id,
                 summary=audit.N_("no longer responsible for %(name)s"), params={"name": assignment.unit.name}, before={"unit_id": assignment.unit_id})
    db.session.delete(assignment)


@dataclass(frozen=True)
class AssignmentRow:
    id: int
    person: User
    unit_path: str
    removable: bool


def assignment_rows(viewer: User) -> list[AssignmentRow]:
    """The assignments of units in the viewer's scope, by unit path."""
    statement = sa.select(UnitAssignment, User).join(User, User.id == UnitAssignment.user_id)
    rows = db.session.execute(limit_to_scope(statement, UnitAssignment.unit_id, viewer)).all()
    paths = unit_paths()
    result = [
        AssignmentRow(a.id, person, paths[a.unit_id], may_assign(viewer, a.unit)) for a, person in rows
    ]
    return sorted(result, key=lambda row: (row.unit_path, row.person.sort_key))
