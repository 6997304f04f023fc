"""Planning and applying a member import, streamed: the file is read in chunks, never held whole.

Nothing is written unless the whole file is clean (all-or-nothing). Planning reads the file once and
keeps counts, the first rows for the preview, the first problems and a digest of every row's
decision; asked to, it also spools every planned row to a temporary file on disk. Applying writes the
spooled rows chunk by chunk in the caller's transaction; without a spool it plans the file again
and checks the digest first. Either way every row is matched against the members as they were before
the import wrote anything, and what is written is what the preview showed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import tempfile
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from learnhub import audit
from learnhub.auth.models import Role, User
from learnhub.db import utcnow
from learnhub.exports import is_formula_like
from learnhub.extensions import db
from learnhub.members.importfile import (
    FIELDS,
    MemberFileError,
    MemberFileStream,
    MemberRow,
    RowProblem,
)
from learnhub.members.importmatch import UPDATABLE, MemberMatcher, SamePersonRows, UnitMatcher
from learnhub.members.models import MembershipEvent, MembershipEventKind
from learnhub.members.services import unique_username
from learnhub.orgs.models import Unit
from learnhub.plans import upkeep
from learnhub.quizzes.kept import refresh_quiz_units
from learnhub.security import scope_unit_ids
from learnhub.text import fold, name_sort_key

CHUNK_ROWS = 1000  # rows matched, spooled and written together
PREVIEW_ROWS = 200  # planned rows kept for the preview page
MAX_PROBLEMS = 1000  # problems kept for the listing; the rest are only counted
MAX_WARNINGS = 50  # formula-like names listed in the preview; the rest are only counted
T = TypeVar("T")


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

    def fingerprint(self) -> bytes:
        """What this row will do, for the plan's digest."""
        values = tuple(getattr(self.data, name) for name in FIELDS)
        decision = (self.row, self.action, self.unit_id, self.username, self.member_id,
                    tuple(self.changes), values)
        return repr(decision).encode()


@dataclass
class ImportPlan:
    """What importing the file would do: counts for every row, details for the first ones."""

    path: Path
    filename: str
    base_unit_id: int
    viewer_id: int | None
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    total_rows: int = 0
    rows: list[PlannedRow] = field(default_factory=list)  # the first PREVIEW_ROWS
    problems: list[RowProblem] = field(default_factory=list)  # the first MAX_PROBLEMS
    problem_count: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    digest: str = ""  # of every row's decision: the confirmation applies only this plan
    refused: bool = False  # the whole file was refused (its one problem says why)
    formula_names: list[tuple[int, str]] = field(default_factory=list)  # (row, name), the first MAX_WARNINGS
    formula_name_count: int = 0  # names a spreadsheet would read as a formula: imported, but warned about
    spool: IO[bytes] | None = field(default=None, repr=False)  # the planned rows, pickled by chunk

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def close(self) -> None:
        """Remove the spooled rows of a plan that will not be applied."""
        if self.spool is not None:
            self.spool.close()
            self.spool = None

    @property
    def unlisted_problems(self) -> int:
        return self.problem_count - len(self.problems)

    def add_problem(self, problem: RowProblem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def add_row(self, planned: PlannedRow) -> None:
        if planned.action == "create":
            self.created += 1
        elif planned.changes:
            self.updated += 1
        else:
            self.unchanged += 1
        if len(self.rows) < PREVIEW_ROWS:
            self.rows.append(planned)
        if is_formula_like(planned.data.full_name):
            self.formula_name_count += 1
            if len(self.formula_names) < MAX_WARNINGS:
                self.formula_names.append((planned.row, planned.data.full_name))


class ImportChanged(Exception):
    """The members, units or file changed between the plan and its application; nothing was written."""


def plan_member_import(
    path: Path,
    *,
    filename: str,
    base_unit: Unit,
    viewer: User | None,
    progress: Callable[[int], None] | None = None,
    keep: bool = False,
    stream: MemberFileStream | None = None,
) -> ImportPlan:
    """Read the file (or the rows of ``stream``, e.g. a ``MemberRowsStream``) and decide, row by row,
    what importing it would do (writes nothing).

    With `keep`, a clean plan also spools its rows for apply_member_import, which then need not read
    the file again; apply or close the plan.
    """
    plan = ImportPlan(path, filename, base_unit.id, viewer.id if viewer is not None else None)
    stream = stream if stream is not None else MemberFileStream(path, filename, progress)
    digest = hashlib.sha256()
    spool = tempfile.TemporaryFile() if keep else None
    try:
        with closing(_planned_rows(stream, base_unit, viewer)) as planned:
            for chunk in _chunks(planned, CHUNK_ROWS):
                for item in chunk:
                    if isinstance(item, RowProblem):
                        plan.add_problem(item)
                    else:
                        plan.add_row(item)
                        digest.update(item.fingerprint())
                if spool is not None and plan.ok:
                    pickle.dump(chunk, spool, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as error:
        if spool is not None:
            spool.close()
        if not isinstance(error, MemberFileError):
            raise
        # The whole file is refused, however far it was read.
        failed = ImportPlan(path, filename, plan.base_unit_id, plan.viewer_id)
        failed.add_problem(RowProblem(1, None, error.args[0]))
        failed.refused = True
        return failed
    plan.columns, plan.ignored_columns = stream.columns, stream.ignored_columns
    plan.total_rows = stream.total_rows
    plan.digest = digest.hexdigest()
    if spool is not None and plan.ok:
        plan.spool = spool
    elif spool is not None:
        spool.close()
    return plan


def apply_member_import(
    plan: ImportPlan, actor: User | None, progress: Callable[[int], None] | None = None
) -> tuple[int, int]:
    """Write a clean plan: new members in bulk, changed members updated, a chunk at a time.

    A plan made without `keep` is made again first; if that does not give the same plan (the members,
    units or file changed), ImportChanged is raised and nothing is written. Only flushes.
    """
    if not plan.ok:
        raise ValueError("a plan with problems cannot be applied")
    spool, plan.spool = plan.spool, None
    with spool if spool is not None else _planned_again(plan) as rows:
        rows.seek(0)
        created = updated = written = 0
        writer = _ChunkWriter(plan.filename, actor)
        for chunk in _unspooled(rows):
            new, changed = writer.write(chunk)
            created, updated, written = created + new, updated + changed, written + len(chunk)
            if progress is not None:
                progress(written)
    audit.record("members.import", object_type="unit", object_id=plan.base_unit_id, actor=actor,
                 summary=audit.N_("imported %(filename)s: %(created)s new, %(updated)s updated"), params={"filename": plan.filename, "created": created, "updated": updated},
                 after={"created": created, "updated": updated, "file": plan.filename})
    db.session.flush()
    return created, updated


def _planned_again(plan: ImportPlan) -> IO[bytes]:
    """The spooled rows of the same file planned again, which must give `plan` exactly."""
    base_unit = db.session.get(Unit, plan.base_unit_id)
    viewer = db.session.get(User, plan.viewer_id) if plan.viewer_id is not None else None
    if base_unit is None:
        raise ImportChanged("the unit is gone")
    again = plan_member_import(plan.path, filename=plan.filename, base_unit=base_unit, viewer=viewer,
                               keep=True)
    if not again.ok or again.digest != plan.digest:
        again.close()
        problem = f"row {again.problems[0].row}: {again.problems[0].message}" if again.problems else None
        raise ImportChanged(problem or "the plan is not the one previewed")
    assert again.spool is not None
    return again.spool


def _unspooled(spool: IO[bytes]) -> Iterator[list[PlannedRow]]:
    while True:
        try:
            yield pickle.load(spool)  # this process's own temporary file, never anyone else's
        except EOFError:
            return


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _planned_rows(
    stream: MemberFileStream, base_unit: Unit, viewer: User | None
) -> Generator[PlannedRow | RowProblem, None, None]:
    """Every data row's plan or problems, in row order; existing members are looked up a chunk at a time."""
    scope_query = scope_unit_ids(viewer) if viewer is not None else None
    scope = set(db.session.scalars(scope_query)) if scope_query is not None else None
    units = UnitMatcher(base_unit, scope)
    taken = set(db.session.scalars(sa.select(User.username)))  # new usernames must differ from these
    same_person = SamePersonRows()  # across chunks: one person, one account
    for chunk in _chunks(stream, CHUNK_ROWS):
        members = MemberMatcher([item for item in chunk if isinstance(item, MemberRow)], scope)
        for item in chunk:
            if isinstance(item, RowProblem):
                yield item
            elif (first := same_person.earlier(item)) is not None:
                yield RowProblem(item.row, stream.columns["full_name"], str(_l(
                    "the same full name and date of birth as row %(row)d: one person, one row (two people with both "
                    "the same need a username or party card number each)", row=first)))
            else:
                yield _plan_row(item, units, members, taken, stream.columns)


def _plan_row(
    data: MemberRow, units: UnitMatcher, members: MemberMatcher, taken: set[str],
    columns: dict[str, str],
) -> PlannedRow | RowProblem:
    unit_id, unit_problem = units.resolve(data.unit)
    if unit_problem:
        return RowProblem(data.row, columns.get("unit"), unit_problem)
    member, member_problem = members.match(data)
    member_column = columns.get("username") or columns["full_name"]
    if member_problem:
        return RowProblem(data.row, member_column, member_problem)
    if member is None:
        if data.username in taken:  # not a member's: it was made for a new member on an earlier row
            return RowProblem(data.row, member_column, str(_l(
                "the username %(username)s was given to a new member on an earlier row: choose another",
                username=data.username)))
        username = data.username or unique_username(data.full_name, taken)
        taken.add(username)
        return PlannedRow(data.row, "create", data, unit_id, units.paths[unit_id], username)
    changes = [name for name in UPDATABLE
               if getattr(data, name) is not None and getattr(data, name) != getattr(member, name)]
    if unit_id != member.unit_id and data.unit is not None:
        changes.append("unit")
    else:
        unit_id = member.unit_id
    return PlannedRow(data.row, "update", data, unit_id, units.paths.get(unit_id, ""),
                      member.username, member.id, changes)


class _ChunkWriter:
    """Writes planned rows: one bulk insert and one select of the members to update per chunk."""

    def __init__(self, filename: str, actor: User | None) -> None:
        self.reason = f"import {filename}"
        self.actor_id = actor.id if actor is not None else None
        self.now = utcnow()
        self.today = dt.date.today()
        self.left: dict[int, int] = {}  # member id: the unit a move took them from

    def write(self, chunk: list[PlannedRow]) -> tuple[int, int]:
        creates = [self._new_member(r) for r in chunk if r.action == "create"]
        if creates:
            db.session.execute(sa.insert(User), creates, execution_options={"kept": "noted"})
            upkeep.note_members(db.session.scalars(
                sa.select(User.id).where(User.username.in_([row["username"] for row in creates]))))
        changed = [r for r in chunk if r.action == "update" and r.changes]
        if changed:
            ids = {r.member_id for r in changed}
            found = {m.id: m for m in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}
            for planned in changed:
                if planned.member_id is None:  # _plan_row sets it on every update
                    raise ValueError(f"row {planned.row}: an update names no member")
                self._update(found[planned.member_id], planned)
            db.session.flush()  # the next chunk's objects replace these in the session
            # The units moved members left and joined: their attempts count for the latter now.
            refresh_quiz_units({*self.left.values(), *(r.unit_id for r in changed if "unit" in r.changes)})
            self.left.clear()
        return len(creates), len(changed)

    def _new_member(self, r: PlannedRow) -> dict[str, Any]:
        return {
            "username": r.username, "full_name": r.data.full_name, "search_name": fold(r.data.full_name),
            "sort_key": name_sort_key(r.data.full_name), "category": r.data.category, "role": Role.member,
            "unit_id": r.unit_id, "active": True, "must_change_password": True, "password_hash": None,
            "birth_date": r.data.birth_date, "gender": r.data.gender, "phone": r.data.phone,
            "email": r.data.email, "party_card": r.data.party_card, "created_at": self.now,
            "updated_at": self.now,
        }

    def _update(self, member: User, r: PlannedRow) -> None:
        for name in r.changes:
            if name == "unit":
                self.left[member.id] = member.unit_id
                db.session.add(MembershipEvent(user_id=member.id, kind=MembershipEventKind.transfer,
                                               effective_on=self.today, from_unit_id=member.unit_id,
                                               to_unit_id=r.unit_id, reason=self.reason,
                                               recorded_by_id=self.actor_id))
                member.unit_id = r.unit_id
            else:
                setattr(member, name, getattr(r.data, name))
