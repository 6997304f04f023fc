"""Finding and creating units of the organisation tree."""
from __future__ import annotations

import sqlalchemy as sa

from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitKind


class UnitNotFound(LookupError):
    """A unit name or path that matches no unit, or more than one."""


def unit_path(unit: Unit) -> str:
    """The unit's path from the root, "Parent/Child"."""
    names = []
    node: Unit | None = unit
    while node is not None:
        names.append(node.name)
        node = node.parent
    return "/".join(reversed(names))


def resolve_unit(spec: str) -> Unit:
    """A unit by its name when unambiguous, or by a "Parent/Child" path (names unique among siblings)."""
    parts = [part.strip() for part in spec.split("/") if part.strip()]
    if not parts:
        raise UnitNotFound("no unit name given")
    candidates = list(
        db.session.scalars(
            sa.select(Unit).where(Unit.name == parts[-1], Unit.archived_at.is_(None)).order_by(Unit.id)
        )
    )
    matches = [unit for unit in candidates if unit_path(unit).split("/")[-len(parts) :] == parts]
    if not matches:
        raise UnitNotFound(f"no unit named {spec!r}")
    if len(matches) > 1:
        paths = ", ".join(repr(unit_path(unit)) for unit in matches)
        raise UnitNotFound(f"{spec!r} names several units: {paths}; give the path Parent/Child")
    return matches[0]


def get_or_create_unit(name: str, kind: UnitKind, parent: Unit | None) -> Unit:
    """The child of ``parent`` called ``name``, created when missing; only flushes."""
    unit = db.session.scalar(
        sa.select(Unit).where(
            Unit.name == name,
            Unit.parent_id == parent.id if parent is not None else Unit.parent_id.is_(None),
        )
    )
    if unit is None:
        unit = Unit(name=name, kind=kind, parent=parent)
        db.session.add(unit)
        db.session.flush()
    return unit
