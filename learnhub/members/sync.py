"""A member list sent as data (the API's bulk sync) through the spreadsheet import's own rules.

The rows are read as the import reads a file's rows (``MemberRowsStream``: the header row first) and
planned and applied by ``importer``: the same
conversions (phones through ``learnhub.phones``), the same matching (username, then party card
number, then full name with date of birth), the same row problems, and nothing written unless
every row is clean. Sending the same list again finds every member unchanged."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from learnhub.auth.models import User
from learnhub.members.importer import apply_member_import, plan_member_import
from learnhub.members.importfile import FIELDS, HEADER_ALIASES, MemberRowsStream, RowProblem
from learnhub.orgs.models import Unit

HEADERS = {name: aliases[-1] if name != "party_card" else "party card" for name, aliases in HEADER_ALIASES.items()}
FIRST_ROW = 2  # the header is line 1 of the file


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: tuple[tuple[int | None, str | None, str], ...] = ()  # (index in the list or None, field, message)

    @property
    def ok(self) -> bool:
        return not self.problems


def _field(column: str | None) -> str | None:
    """The field a problem's column header names (the headers are the ones written below)."""
    return next((name for name, header in HEADERS.items() if header == column), None)


def _problem(problem: RowProblem) -> tuple[int | None, str | None, str]:
    index = problem.row - FIRST_ROW if problem.row >= FIRST_ROW else None  # None: the list as a whole
    return index, _field(problem.column), str(problem.message)


def sync_members(rows: list[dict[str, Any]], *, base_unit: Unit, viewer: User, source: str) -> SyncResult:
    """Create or update the members of ``rows`` under ``base_unit`` as ``viewer`` would by importing a
    file named ``source`` (.csv); with any problem, nothing is written and the problems are returned. Only flushes."""
    filename = f"{source}.csv"
    table = [[HEADERS[name] for name in FIELDS],
             *([str(row[name]) if row.get(name) is not None else "" for name in FIELDS] for row in rows)]
    plan = plan_member_import(Path(filename), filename=filename, base_unit=base_unit, viewer=viewer, keep=True,
                              stream=MemberRowsStream(table, filename))
    if not plan.ok:
        plan.close()
        return SyncResult(problems=tuple(_problem(p) for p in plan.problems))
    unchanged = plan.unchanged
    created, updated = apply_member_import(plan, viewer)
    return SyncResult(created=created, updated=updated, unchanged=unchanged)
