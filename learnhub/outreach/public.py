"""Unit paths for the public pages and the outreach lists (who may see them: outreach/access.py), and
the year those lists show."""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from learnhub.extensions import db
from learnhub.numbers import query_year
from learnhub.orgs.models import Unit
from learnhub.security import ancestor_ids
from learnhub.settings import local_today


def unit_labels(unit_ids: Iterable[int | None]) -> dict[int, str]:
    """"Parent/Child" paths of the given units, from one query over their ancestors."""
    wanted = {unit_id for unit_id in unit_ids if unit_id is not None}
    if not wanted:
        return {}
    rows = db.session.execute(
        sa.select(Unit.id, Unit.name, Unit.parent_id).where(Unit.id.in_(ancestor_ids(sa.select(Unit.id).where(
            Unit.id.in_(wanted)))))
    ).all()
    parents = {row.id: (row.name, row.parent_id) for row in rows}

    def path(unit_id: int) -> str:
        name, parent_id = parents[unit_id]
        return f"{path(parent_id)}/{name}" if parent_id in parents else name

    return {unit_id: path(unit_id) for unit_id in wanted if unit_id in parents}


def chosen_year() -> int:
    """The year an outreach list shows (sessions, visits, broadcasts): ``?year=`` from 2000, else this year."""
    year = query_year(ignore_bad=True)
    return year if year is not None and 2000 <= year <= 2100 else local_today().year
