"""A round's ranking, computed in SQL, its prizes, and who took part (by unit and by category).

The order: score (highest first), then the distance between the entrant's prediction and the
actual number of all-correct entries of the round (smallest first; no prediction ranks last), then
the time taken (shortest), then the submission time (earliest), then the entry's id.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from learnhub.contests.models import Contest, ContestEntry, ContestRound, EntrantKind
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.paging import RowsPage, rows_page

NO_PREDICTION = 2_000_000_000  # ranks an entry without a prediction after every one with a prediction


@dataclass(frozen=True)
class Ranked:
    """One line of a round's results."""

    rank: int
    entry_id: int
    name: str
    kind: EntrantKind
    unit: str
    organisation: str
    score: float
    max_score: float
    prediction: int | None
    distance: int | None
    seconds: int
    submitted_at: dt.datetime
    prize: str | None


def all_correct_count(round_id: int) -> sa.ScalarSelect[int]:
    """The actual number of the round's submitted entries that answered everything right."""
    return (sa.select(sa.func.count(ContestEntry.id))
            .where(ContestEntry.round_id == round_id, ContestEntry.submitted_at.is_not(None),
                   ContestEntry.all_correct.is_(True))
            .scalar_subquery())


def ranking_query(round_id: int) -> sa.Select:
    """Every submitted entry of the round with its rank (row_number over the rule above)."""
    actual = all_correct_count(round_id)
    distance = sa.func.abs(ContestEntry.prediction - actual)
    ordering = (ContestEntry.score.desc(), sa.func.coalesce(distance, NO_PREDICTION).asc(),
                ContestEntry.seconds.asc(), ContestEntry.submitted_at.asc(), ContestEntry.id.asc())
    ranked = (
        sa.select(ContestEntry.id.label("entry_id"), ContestEntry.name, ContestEntry.kind,
                  ContestEntry.unit_id, ContestEntry.organisation, ContestEntry.score, ContestEntry.max_score,
                  ContestEntry.prediction, distance.label("distance"), ContestEntry.seconds,
                  ContestEntry.submitted_at, sa.func.row_number().over(order_by=ordering).label("rank"))
        .where(ContestEntry.round_id == round_id, ContestEntry.submitted_at.is_not(None))
        .subquery("ranked")
    )
    return (sa.select(ranked, sa.func.coalesce(Unit.name, "").label("unit"))
            .outerjoin(Unit, Unit.id == ranked.c.unit_id)
            .order_by(ranked.c.rank))


def _ranked(contest: Contest) -> Callable[[Any], Ranked]:
    """A ranking row as a ``Ranked`` line with its rank's prize."""
    prizes = contest.prizes or []

    def line(row: Any) -> Ranked:
        return Ranked(rank=row.rank, entry_id=row.entry_id, name=row.name, kind=EntrantKind(row.kind), unit=row.unit,
                      organisation=row.organisation, score=row.score, max_score=row.max_score,
                      prediction=row.prediction, distance=row.distance, seconds=row.seconds,
                      submitted_at=row.submitted_at, prize=prizes[row.rank - 1] if row.rank <= len(prizes) else None)
    return line


def ranking(contest: Contest, contest_round: ContestRound, limit: int | None = None) -> list[Ranked]:
    """The round's results in rank order (the first ``limit``), with each rank's prize."""
    statement = ranking_query(contest_round.id)
    if limit is not None:
        statement = statement.limit(limit)
    return [_ranked(contest)(row) for row in db.session.execute(statement)]


def ranking_page(contest: Contest, contest_round: ContestRound, *, page: int, per_page: int) -> RowsPage[Ranked]:
    """One page of the round's results in rank order: a round of a whole province is thousands of lines."""
    return rows_page(ranking_query(contest_round.id), _ranked(contest), page=page, per_page=per_page)


@dataclass(frozen=True)
class RoundCount:
    """A round's figures for the committee."""

    round_id: int
    number: int
    entries: int
    members: int
    citizens: int
    all_correct: int


def round_counts(contest: Contest) -> list[RoundCount]:
    """Submitted entries per round, members and citizens, and the all-correct ones (one query)."""
    is_member = sa.case((ContestEntry.kind == EntrantKind.member, 1), else_=0)
    rows = db.session.execute(
        sa.select(ContestRound.id, ContestRound.number, sa.func.count(ContestEntry.id),
                  sa.func.coalesce(sa.func.sum(is_member), 0),
                  sa.func.coalesce(sa.func.sum(sa.case((ContestEntry.all_correct.is_(True), 1), else_=0)), 0))
        .outerjoin(ContestEntry, sa.and_(ContestEntry.round_id == ContestRound.id,
                                         ContestEntry.submitted_at.is_not(None)))
        .where(ContestRound.contest_id == contest.id)
        .group_by(ContestRound.id, ContestRound.number)
        .order_by(ContestRound.number)
    )
    return [RoundCount(rid, number, entries, members, entries - members, correct)
            for rid, number, entries, members, correct in rows]


@dataclass(frozen=True)
class UnitCount:
    """Entries from one unit (the commune or neighbourhood a citizen named, a member's unit)."""

    unit: str
    members: int
    citizens: int

    @property
    def total(self) -> int:
        return self.members + self.citizens


def participation_by_unit(contest: Contest) -> list[UnitCount]:
    """Submitted entries of every round, per unit and category, most first (one query)."""
    is_member = sa.case((ContestEntry.kind == EntrantKind.member, 1), else_=0)
    total = sa.func.count(ContestEntry.id)
    rows = db.session.execute(
        sa.select(sa.func.coalesce(Unit.name, ""), sa.func.sum(is_member), total)
        .join(ContestRound, ContestRound.id == ContestEntry.round_id)
        .outerjoin(Unit, Unit.id == ContestEntry.unit_id)
        .where(ContestRound.contest_id == contest.id, ContestEntry.submitted_at.is_not(None))
        .group_by(Unit.name)
        .order_by(total.desc(), sa.func.coalesce(Unit.name, ""))
    )
    return [UnitCount(name, int(members or 0), int(count) - int(members or 0)) for name, members, count in rows]


def entries_between(unit_ids: sa.Select, start: dt.datetime, end: dt.datetime) -> int:
    """Submitted entries of the contests held by ``unit_ids`` between two instants (the yearly
    report's outreach line)."""
    return db.session.scalar(
        sa.select(sa.func.count(ContestEntry.id))
        .join(ContestRound, ContestRound.id == ContestEntry.round_id)
        .join(Contest, Contest.id == ContestRound.contest_id)
        .where(Contest.unit_id.in_(unit_ids), ContestEntry.submitted_at >= start, ContestEntry.submitted_at < end)
    ) or 0
