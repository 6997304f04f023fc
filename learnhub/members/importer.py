"""Planning and applying a member import: match units and existing members, then write in bulk.

Nothing is written unless the whole file is clean (all-or-nothing); the plan is what the
preview shows, and the same plan is applied on confirmation.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from learnhub import audit
from learnhub.auth.models import Role, User
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.members.importfile import MemberRow, ParsedMemberFile, RowProblem, read_member_file
from learnhub.members.models import MembershipEvent, MembershipEventKind
from learnhub.members.services import unique_username
from learnhub.orgs.models import Unit
from learnhub.orgs.services import unit_paths
from learnhub.security import scope_unit_ids, subtree_ids
from learnhub.text import fold, name_sort_key

UPDATABLE = ("full_name", "category", "birth_date", "gender", "phone", "email", "party_card")


@dataclass
class PlannedRow:
    row: int
    action: str  # "create" or "update"
    data: MemberRow
    unit_id: int
    unit_path: str
    username: str
    member_id: int | None = None
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    filename: str
    base_unit_id: int
    parsed: ParsedMemberFile
    rows: list[PlannedRow]
    problems: list[RowProblem]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.action == "create")

    @property
    def updated(self) -> int:
        return sum(1 for r in self.rows if r.action == "update" and r.changes)

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.rows if r.action == "update" and not r.changes)


def plan_member_import(
    path: Path,
    *,
    filename: str,
    base_unit: Unit,
    viewer: User | None,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Read the file and decide, row by row, what importing it would do (writes nothing)."""
    parsed = read_member_file(path, filename, progress)
    problems = list(parsed.problems)
    unit_header = parsed.columns.get("unit")
    units = _UnitMatcher(base_unit, viewer)
    matcher = _MemberMatcher(parsed.rows, viewer)
    taken = set(db.session.scalars(sa.select(User.username)))
    rows: list[PlannedRow] = []
    for data in parsed.rows:
        unit_id, unit_problem = units.resolve(data.unit)
        if unit_problem:
            problems.append(RowProblem(data.row, unit_header, unit_problem))
            continue
        member, member_problem = matcher.match(data)
        if member_problem:
            problems.append(RowProblem(data.row, parsed.columns.get("username") or parsed.columns["full_name"], member_problem))
            continue
        if member is None:
            username = data.username or unique_username(data.full_name, taken)
            taken.add(username)
            rows.append(PlannedRow(data.row, "create", data, unit_id, units.paths[unit_id], username))
        else:
            changes = [f for f in UPDATABLE if getattr(data, f) is not None and getattr(data, f) != getattr(member, f)]
            if unit_id != member.unit_id and data.unit is not None:
                changes.append("unit")
            else:
                unit_id = member.unit_id
            rows.append(PlannedRow(data.row, "update", data, unit_id, units.paths.get(unit_id, ""),
                                   member.username, member.id, changes))
    problems.sort(key=lambda p: (p.row, p.column or ""))
    return ImportPlan(filename, base_unit.id, parsed, rows, problems)


def apply_member_import(plan: ImportPlan, actor: User | None) -> tuple[int, int]:
    """Write a clean plan: new members in bulk, changed members updated. Only flushes."""
    if not plan.ok:
        raise ValueError("a plan with problems cannot be applied")
    now = utcnow()
    today = dt.date.today()
    creates = [
        {
            "username": r.username, "full_name": r.data.full_name, "search_name": fold(r.data.full_name),
            "sort_key": name_sort_key(r.data.full_name), "category": r.data.category, "role": Role.member,
            "unit_id": r.unit_id, "active": True, "must_change_password": True, "password_hash": None,
            "birth_date": r.data.birth_date, "gender": r.data.gender, "phone": r.data.phone,
            "email": r.data.email, "party_card": r.data.party_card, "created_at": now, "updated_at": now,
        }
        for r in plan.rows if r.action == "create"
    ]
    if creates:
        db.session.execute(sa.insert(User), creates)
    updated = 0
    for r in plan.rows:
        if r.action != "update" or not r.changes:
            continue
        member = db.session.get(User, r.member_id)
        assert member is not None
        for name in r.changes:
            if name == "unit":
                db.session.add(MembershipEvent(user_id=member.id, kind=MembershipEventKind.transfer,
                                               effective_on=today, from_unit_id=member.unit_id,
                                               to_unit_id=r.unit_id, reason=f"import {plan.filename}",
                                               recorded_by_id=actor.id if actor else None))
                member.unit_id = r.unit_id
            else:
                setattr(member, name, getattr(r.data, name))
        updated += 1
    audit.record("members.import", object_type="unit", object_id=plan.base_unit_id, actor=actor,
                 summary=f"imported {plan.filename}: {len(creates)} new, {updated} updated",
                 after={"created": len(creates), "updated": updated, "file": plan.filename})
    db.session.flush()
    return len(creates), updated


class _UnitMatcher:
    """Unit names or "Parent/Child" paths, matched among the live units under the base unit."""

    def __init__(self, base_unit: Unit, viewer: User | None) -> None:
        self.base_unit = base_unit
        ids = set(db.session.scalars(subtree_ids(sa.select(sa.literal(base_unit.id)))))
        scope = scope_unit_ids(viewer) if viewer is not None else None
        if scope is not None:
            ids &= set(db.session.scalars(scope))
        live = set(db.session.scalars(sa.select(Unit.id).where(Unit.id.in_(ids), Unit.archived_at.is_(None))))
        self.paths = {unit_id: path for unit_id, path in unit_paths().items() if unit_id in live}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for unit_id, path in self.paths.items():
            self.by_name[fold(path.rsplit("/", 1)[-1])].append(unit_id)

    def resolve(self, text: str | None) -> tuple[int, str | None]:
        if text is None:
            return self.base_unit.id, None
        parts = [fold(p) for p in text.split("/") if p.strip()]
        candidates = [
            unit_id for unit_id in self.by_name.get(parts[-1], [])
            if [fold(p) for p in self.paths[unit_id].split("/")][-len(parts):] == parts
        ]
        if not candidates:
            return 0, str(_l("no unit “%(unit)s” under %(base)s", unit=text, base=self.base_unit.name))
        if len(candidates) > 1:
            names = "; ".join(sorted(self.paths[c] for c in candidates))
            return 0, str(_l("“%(unit)s” names several units (%(names)s): write the path Parent/Child",
                             unit=text, names=names))
        return candidates[0], None


class _MemberMatcher:
    """Existing members by username, else party card number, else full name with date of birth."""

    def __init__(self, rows: list[MemberRow], viewer: User | None) -> None:
        usernames = {r.username for r in rows if r.username}
        cards = {r.party_card for r in rows if r.party_card}
        names = {r.full_name for r in rows if r.birth_date}
        found: list[User] = []
        for column, values in ((User.username, usernames), (User.party_card, cards), (User.full_name, names)):
            values_list = list(values)
            for start in range(0, len(values_list), 1000):
                found += db.session.scalars(sa.select(User).where(column.in_(values_list[start:start + 1000]))).all()
        self.by_username = {u.username: u for u in found}
        self.by_card = {u.party_card: u for u in found if u.party_card}
        self.by_name_birth: dict[tuple[str, dt.date], list[User]] = defaultdict(list)
        for user in {u.id: u for u in found}.values():
            if user.birth_date:
                self.by_name_birth[(user.full_name, user.birth_date)].append(user)
        scope = scope_unit_ids(viewer) if viewer is not None else None
        self.scope = set(db.session.scalars(scope)) if scope is not None else None

    def match(self, row: MemberRow) -> tuple[User | None, str | None]:
        member = None
        if row.username:
            member = self.by_username.get(row.username)
        if member is None and row.party_card:
            member = self.by_card.get(row.party_card)
        if member is None and row.birth_date:
            same = self.by_name_birth.get((row.full_name, row.birth_date), [])
            if len(same) > 1:
                return None, str(_l("several members are called %(name)s and born on that day: give the username",
                                    name=row.full_name))
            member = same[0] if same else None
        if member is not None and self.scope is not None and member.unit_id not in self.scope:
            return None, str(_l("%(value)s belongs to a member outside your units", value=row.username or row.party_card or row.full_name))
        if member is not None and row.party_card and member.party_card not in (None, row.party_card):
            other = self.by_card.get(row.party_card)
            if other is not None and other.id != member.id:
                return None, str(_l("party card %(card)s belongs to another member", card=row.party_card))
        return member, None
