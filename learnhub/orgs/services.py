"""Finding and creating units of the organisation tree."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping

import sqlalchemy as sa

from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitKind
from learnhub.security import ancestor_ids


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


def resolve_unit(spec: str, *, include_archived: bool = False) -> Unit:
    """A unit by its name when unambiguous, or by a "Parent/Child" path (names unique among siblings).

    Archived units are found only when asked for, so that a command can say why it refuses one.
    """
    parts = [" ".join(unicodedata.normalize("NFC", part).split()) for part in spec.split("/")]
    parts = [part for part in parts if part]
    if not parts:
        raise UnitNotFound("no unit name given")
    query = sa.select(Unit).where(Unit.name == parts[-1]).order_by(Unit.id)
    if not include_archived:
        query = query.where(Unit.archived_at.is_(None))
    candidates = list(db.session.scalars(query))
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


PATHS_BY_ID = 2000  # past this many units, reading every unit costs less than climbing from each


def unit_paths(unit_ids: Iterable[int] | None = None) -> Mapping[int, str]:
    """The "Parent/Child" paths of ``unit_ids`` (and of the units above them), from one query over
    those units and their ancestors: a page that names a few units should not read a province's
    36,000 (250 ms at 1,000,000 members). Without ``unit_ids``, every unit's path, each computed
    when first asked for (UnitPaths)."""
    if unit_ids is None:
        return UnitPaths()
    wanted = sorted(set(unit_ids))
    if not wanted:
        return {}
    return _paths(wanted if len(wanted) <= PATHS_BY_ID else None, wanted)


class UnitPaths(Mapping[int, str]):
    """Every unit's path, as a mapping that reads the tree when first asked for a path: at most
    PATHS_BY_ID units, all of them at once; in a larger tree the unit asked for and the units above
    it, each time a page names one not read yet (a province's page of 100 members costs at most 100
    small reads, where reading its 36,000 units took 250 ms). Going through it reads every unit once."""

    def __init__(self) -> None:
        self._known: dict[int, str] = {}
        self._complete = False
        self._large: bool | None = None  # whether the tree has more than PATHS_BY_ID units

    def __getitem__(self, unit_id: int) -> str:
        if unit_id not in self._known and not self._complete and isinstance(unit_id, int):
            if self._large is None:
                self._large = (db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) or 0) > PATHS_BY_ID
            if not self._large:
                self._everything()  # a town's tree: one read, however many units the page names
            else:
                self._known.update(_paths([unit_id], [unit_id]))
        return self._known[unit_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())

    def _everything(self) -> dict[int, str]:
        if not self._complete:
            self._known, self._complete = _paths(None, None), True
        return self._known


def _paths(climb_from: list[int] | None, wanted: list[int] | None) -> dict[int, str]:
    """The paths of ``wanted`` and the units above them (None: every unit), reading the units above
    ``climb_from`` (None: every unit)."""
    statement = sa.select(Unit.id, Unit.name, Unit.parent_id)
    if climb_from is not None:
        statement = statement.where(Unit.id.in_(ancestor_ids(sa.select(Unit.id).where(Unit.id.in_(climb_from)))))
    parents = {row.id: (row.name, row.parent_id) for row in db.session.execute(statement)}
    paths: dict[int, str] = {}

    def path(unit_id: int) -> str:
        if unit_id not in paths:
            name, parent_id = parents[unit_id]
            paths[unit_id] = f"{path(parent_id)}/{name}" if parent_id is not None else name
        return paths[unit_id]

    for unit_id in parents if wanted is None else wanted:
        if unit_id in parents:
            path(unit_id)
    return paths


def units_in_scope(user) -> list[tuple[int, str]]:
    """(id, path) of the live units the user oversees, in path order, for choosing in forms."""
    ids = unit_ids_in_scope(user)
    paths = unit_paths(ids)
    return sorted(((unit_id, paths[unit_id]) for unit_id in ids), key=lambda item: item[1])


def unit_ids_in_scope(user) -> list[int]:
    """The ids of the live units the user oversees."""
    from learnhub.security import limit_to_scope

    return list(db.session.scalars(
        limit_to_scope(sa.select(Unit.id).where(Unit.archived_at.is_(None)), Unit.id, user)))


FILTER_CHOICES = 300  # a report's unit list longer than this shows the neighbourhood of the chosen unit


def unit_filter_choices(user, around: int | None = None) -> list[tuple[int, str]]:
    """(id, path) to choose a report's unit from: every unit in the user's scope when they are at
    most ``FILTER_CHOICES``; in a larger scope the top of the scope and the units just below it,
    and the chosen unit ``around`` with the units above it and its children (the report's table of
    sub-units links further down). A province's report pages listed all its 36,000 units (4.4 MB),
    then read them all to choose 30 (230 ms at 1,000,000 members): a large scope is never read
    whole, only its top (security.scope_tops) and the chosen unit's neighbourhood."""
    from learnhub.security import scope_tops

    live = sa.select(Unit.id).where(Unit.archived_at.is_(None))
    tops = set(scope_tops(user))
    keep, level = set(tops), list(tops)  # the scope read down from its top, a level at a time, while small
    while level and len(keep) <= FILTER_CHOICES:
        level = list(db.session.scalars(live.where(Unit.parent_id.in_(level)).limit(FILTER_CHOICES + 1)))
        keep.update(level)
    if len(keep) > FILTER_CHOICES:
        keep = tops | set(db.session.scalars(live.where(Unit.parent_id.in_(tops))))
        if around is not None:
            above = dict(db.session.execute(
                sa.select(Unit.id, Unit.parent_id).where(Unit.archived_at.is_(None),
                                                         Unit.id.in_(ancestor_ids(sa.select(sa.literal(around)))))
            ).tuples().all())
            chain, node = [], around if around in above else None  # a live unit's parents are live
            while node is not None and node not in tops:
                chain.append(node)
                node = above.get(node)
            if node is not None:  # the climb met the top of the scope: the chosen unit is in it
                keep |= {node, *chain, *db.session.scalars(live.where(Unit.parent_id == around))}
    paths = unit_paths(keep)
    return sorted(((unit_id, paths[unit_id]) for unit_id in keep), key=lambda item: item[1])


class UnitChangeRefused(ValueError):
    """A change to the tree that would break it; the message says why (English, translated in views)."""


def _check_name(name: str, parent_id: int | None, exclude_id: int | None = None) -> str:
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not name or "/" in name:
        raise UnitChangeRefused("name_invalid")
    clash = sa.select(Unit.id).where(
        Unit.name == name,
        Unit.parent_id == parent_id if parent_id is not None else Unit.parent_id.is_(None),
    )
    if exclude_id is not None:
        clash = clash.where(Unit.id != exclude_id)
    if db.session.scalar(clash) is not None:
        raise UnitChangeRefused("name_taken")
    return name


def create_unit(*, name: str, kind: UnitKind, parent: Unit | None) -> Unit:
    from learnhub import audit

    if parent is not None and parent.archived_at is not None:
        raise UnitChangeRefused("parent_archived")
    unit = Unit(name=_check_name(name, parent.id if parent else None), kind=kind, parent=parent)
    db.session.add(unit)
    db.session.flush()
    audit.record("unit.create", object_type="unit", object_id=unit.id, summary=audit.N_("created %(value)s"), params={"value": unit_path(unit)},
                 after={"name": unit.name, "kind": kind.value, "parent_id": unit.parent_id})
    return unit


def rename_unit(unit: Unit, name: str) -> None:
    from learnhub import audit

    before = unit.name
    unit.name = _check_name(name, unit.parent_id, exclude_id=unit.id)
    audit.record("unit.rename", object_type="unit", object_id=unit.id, summary=audit.N_("renamed %(before)s to %(name)s"), params={"before": before, "name": unit.name},
                 before={"name": before}, after={"name": unit.name})


def move_unit(unit: Unit, new_parent: Unit) -> None:
    """Move a unit under another; never under itself or its own descendants (no cycles)."""
    from learnhub import audit
    from learnhub.security import subtree_ids

    if new_parent.archived_at is not None:
        raise UnitChangeRefused("parent_archived")
    below = set(db.session.scalars(subtree_ids(sa.select(sa.literal(unit.id)))))
    if new_parent.id in below:
        raise UnitChangeRefused("cycle")
    _check_name(unit.name, new_parent.id, exclude_id=unit.id)
    before = unit.parent_id
    unit.parent_id = new_parent.id
    audit.record("unit.move", object_type="unit", object_id=unit.id, summary=audit.N_("moved %(name)s"), params={"name": unit.name},
                 before={"parent_id": before}, after={"parent_id": new_parent.id})


def archive_unit(unit: Unit) -> None:
    """Archive a unit, keeping its history; refused while active members or live sub-units remain."""
    from learnhub import audit
    from learnhub.auth.models import SIGN_IN_STATUSES, User
    from learnhub.db import utcnow

    active = db.session.scalar(
        sa.select(sa.func.count(User.id)).where(User.unit_id == unit.id, User.status.in_(SIGN_IN_STATUSES))
    )
    if active:
        raise UnitChangeRefused("has_members")
    children = db.session.scalar(
        sa.select(sa.func.count(Unit.id)).where(Unit.parent_id == unit.id, Unit.archived_at.is_(None))
    )
    if children:
        raise UnitChangeRefused("has_children")
    unit.archived_at = utcnow()
    audit.record("unit.archive", object_type="unit", object_id=unit.id, summary=audit.N_("archived %(name)s"), params={"name": unit.name})
