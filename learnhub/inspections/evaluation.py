"""The yearly evaluation of units ("đánh giá, xếp loại tập thể") and the same over the committee's term.

For each direct sub-unit of a unit: the study rate pooled over the year's plans (Σ completed ÷
Σ roster, docs/metrics.md), comprehension on those plans' quizzes, conferences held and attended,
the plans' formalism signals and the year's inspection conclusions; the level proposed from them
(``learnhub.inspections.levels``), the committee's decided level where recorded
(``learnhub.inspections.decisions``), and the mark that follows the level in force (the decided
one, else the proposal):

- **to praise**: excellently completed;
- **to criticise**: not completed;
- **neither**: well completed or completed;
- **no plan**: no member of the unit is on the roster of any plan of the year.

Only the plans that count on the evaluation's date (``learnhub.plans.window.counts_on``: closed or
past due) are evaluated, and only the quiz attempts and reflections inside each plan's window; plans
still running are listed apart (``running_plans``) and change no mark.

Every figure is an SQL aggregate grouped by sub-unit (and year): the number of queries grows with
the number of plans, never with members or units.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

import sqlalchemy as sa

from learnhub.auth.models import SIGN_IN_STATUSES, User
from learnhub.conferences.figures import held_conferences
from learnhub.conferences.models import Attendance, AttendanceStatus, Conference, ConferenceUnit
from learnhub.extensions import db
from learnhub.figures import Rate, pool
from learnhub.inspections.levels import Proposal, propose_level
from learnhub.inspections.models import Conclusion, Inspection, Level, LevelDecision
from learnhub.orgs.models import Unit
from learnhub.plans.completion import rollup_to_children
from learnhub.plans.formalism import formalism_signals
from learnhub.plans.kept import kept_progress
from learnhub.plans.models import PlanCourse, PlanStatus, PlanUnit, StudyPlan
from learnhub.plans.window import inside, split_on
from learnhub.quizzes.models import AttemptStatus, Quiz, QuizAttempt
from learnhub.security import ancestor_ids, subtree_ids
from learnhub.settings import level_thresholds, local_midnight, local_today
from learnhub.text import fold

TERM_YEARS = 5


class Mark(StrEnum):
    praise = "praise"  # biểu dương
    criticise = "criticise"  # phê bình
    neither = "neither"
    no_plan = "no_plan"


@dataclass(frozen=True)
class PlanResult:
    """One plan's figures for one sub-unit."""

    plan_id: int
    title: str
    target: float
    required: int
    completed: int

    @property
    def figures(self) -> Rate:
        return Rate(self.completed, self.required, self.target)

    @property
    def rate(self) -> float | None:
        return self.figures.fraction

    @property
    def meets(self) -> bool:
        return bool(self.figures.meets_target)


@dataclass(frozen=True)
class FlaggedSignal:
    plan_title: str
    name: str  # rushed, guessing, shallow, copied, returned (learnhub.plans.formalism)
    value: float | None
    threshold: float


@dataclass
class UnitEvaluation:
    """A sub-unit's year: study, comprehension, conferences, formalism, inspections and its mark."""

    unit_id: int
    name: str
    year: int
    plans: list[PlanResult] = field(default_factory=list)
    attempted: int = 0  # roster members (per plan) who took the plan's quiz
    mean_best: float | None = None  # mean best score, percent
    first_attempt_passed: int = 0
    conferences_held: int = 0
    invited: int = 0  # member-conference pairs invited
    present: int = 0
    signals: list[FlaggedSignal] = field(default_factory=list)
    inspections: dict[Conclusion, int] = field(default_factory=dict)
    proposal: Proposal | None = None
    decision: LevelDecision | None = None

    def propose(self, thresholds: dict[str, float]) -> Proposal | None:
        """The level proposed for the unit's study work (``learnhub.inspections.levels``), with its reasons."""
        return propose_level(self.pooled, len(self.signals), self.inspections, thresholds)

    @property
    def pooled(self) -> Rate:
        """The year's plans pooled (``learnhub.figures.pool``): Σ completed ÷ Σ roster against the
        plans' targets weighted by their rosters in the unit."""
        return pool(p.figures for p in self.plans)

    @property
    def required(self) -> int:
        return self.pooled.roster

    @property
    def completed(self) -> int:
        return self.pooled.completed

    @property
    def rate(self) -> float | None:
        """Σ completed ÷ Σ roster over the year's plans; None without a roster."""
        return self.pooled.fraction

    @property
    def target(self) -> float | None:
        """The plans' targets weighted by their rosters in the unit."""
        return self.pooled.target

    @property
    def first_attempt_pass_rate(self) -> float | None:
        return Rate(self.first_attempt_passed, self.attempted).fraction

    @property
    def attendance_rate(self) -> float | None:
        return Rate(self.present, self.invited).fraction

    @property
    def level(self) -> Level | None:
        """The level in force: the committee's decision when recorded, else the proposal."""
        if self.decision is not None:
            return self.decision.level
        return self.proposal.level if self.proposal is not None else None

    @property
    def mark(self) -> Mark:
        """Praise for an excellent year, criticism for a year not completed (the level in force)."""
        if self.decision is None and not self.pooled.roster:
            return Mark.no_plan
        if self.level is Level.excellent:
            return Mark.praise
        if self.level is Level.not_completed:
            return Mark.criticise
        return Mark.neither


def evaluate_units(unit_id: int, year: int, as_of: dt.date | None = None) -> list[UnitEvaluation]:
    """The evaluation of each direct sub-unit of ``unit_id`` in ``year`` as of ``as_of`` (today by
    default), in name order."""
    return evaluate_years(unit_id, [year], as_of)[year]


def evaluate_years(unit_id: int, years: Iterable[int], as_of: dt.date | None = None) -> dict[int, list[UnitEvaluation]]:
    """The evaluation of each direct sub-unit for each of ``years`` from the plans that count on
    ``as_of`` (today by default), with one set of queries for all years."""
    years = sorted(set(years))
    if not years:
        return {}
    children = db.session.execute(
        sa.select(Unit.id, Unit.name).where(Unit.parent_id == unit_id, Unit.archived_at.is_(None))
    ).all()
    children = sorted(children, key=lambda row: (fold(row.name), row.name))
    grid = {year: {row.id: UnitEvaluation(row.id, row.name, year) for row in children} for year in years}
    plans, _running = split_on(plans_of_years(unit_id, years), as_of or local_today())
    rollup = rollup_to_children(unit_id)
    _add_rates(grid, plans, unit_id, rollup)
    _add_comprehension(grid, plans, unit_id, rollup)
    _add_signals(grid, plans, unit_id)
    _add_conferences(grid, unit_id, years, rollup)
    _add_inspections(grid, years, rollup)
    thresholds = level_thresholds()
    decisions = db.session.scalars(sa.select(LevelDecision).where(
        LevelDecision.unit_id.in_([row.id for row in children]), LevelDecision.year.in_(years))).all()
    for decision in decisions:
        grid[decision.year][decision.unit_id].decision = decision
    for cells in grid.values():
        for cell in cells.values():
            cell.proposal = cell.propose(thresholds)
    return {year: list(grid[year].values()) for year in years}


def plans_of_years(unit_id: int, years: list[int]) -> list[StudyPlan]:
    """Open and closed plans due in ``years`` whose target units reach ``unit_id`` (below or above it)."""
    here = sa.select(sa.literal(unit_id))
    plans = db.session.scalars(
        sa.select(StudyPlan).where(
            StudyPlan.status != PlanStatus.draft,
            StudyPlan.due_on >= dt.date(years[0], 1, 1), StudyPlan.due_on <= dt.date(years[-1], 12, 31),
            sa.exists(sa.select(PlanUnit.id).where(
                PlanUnit.plan_id == StudyPlan.id,
                sa.or_(PlanUnit.unit_id.in_(subtree_ids(here)), PlanUnit.unit_id.in_(ancestor_ids(here))))),
        ).order_by(StudyPlan.due_on, StudyPlan.id)
    ).all()
    return [plan for plan in plans if plan.due_on.year in years]


def running_plans(unit_id: int, years: list[int], as_of: dt.date | None = None) -> list[StudyPlan]:
    """The plans of ``years`` still running on ``as_of`` (today by default): listed apart, never evaluated."""
    return split_on(plans_of_years(unit_id, sorted(set(years))), as_of or local_today())[1] if years else []


def _int(value: int) -> sa.ColumnElement[int]:
    return sa.cast(sa.literal(value), sa.Integer)


def _rosters(plans: list[StudyPlan], unit_id: int) -> sa.Subquery:
    """Every plan's roster within the unit as one table: plan, year, member, unit, done."""
    parts = []
    for plan in plans:
        progress = kept_progress(plan, within=unit_id)
        parts.append(sa.select(
            _int(plan.id).label("plan_id"), _int(plan.due_on.year).label("year"),
            progress.c.user_id, progress.c.unit_id,
            sa.case((progress.c.completed_at.is_not(None), 1), else_=0).label("done"),
        ))
    return (parts[0] if len(parts) == 1 else sa.union_all(*parts)).subquery("rosters")


def _add_rates(grid, plans: list[StudyPlan], unit_id: int, rollup: sa.FromClause) -> None:
    if not plans:
        return
    rosters = _rosters(plans, unit_id)
    rows = db.session.execute(
        sa.select(rosters.c.plan_id, rollup.c.top, sa.func.count(), sa.func.sum(rosters.c.done))
        .select_from(rosters.join(rollup, rollup.c.unit_id == rosters.c.unit_id))
        .group_by(rosters.c.plan_id, rollup.c.top)
    ).all()
    by_id = {plan.id: plan for plan in plans}
    for plan_id, top, required, completed in sorted(rows, key=lambda r: (by_id[r[0]].due_on, r[0])):
        plan = by_id[plan_id]
        cell = grid[plan.due_on.year].get(top)
        if cell is not None and required:
            cell.plans.append(PlanResult(plan.id, plan.title, plan.target_rate, int(required), int(completed or 0)))


def _add_comprehension(grid, plans: list[StudyPlan], unit_id: int, rollup: sa.FromClause) -> None:
    """Mean best score and first-attempt pass rate over (plan, roster member, module quiz) triples
    where the member took the quiz (one per plan and member when the plan covers one module)."""
    if not plans:
        return
    rosters = _rosters(plans, unit_id)
    per_member = (
        sa.select(rosters.c.year, rosters.c.unit_id,
                  sa.func.max(QuizAttempt.percent).label("best"),
                  sa.func.max(sa.case((sa.and_(QuizAttempt.number == 1, QuizAttempt.passed.is_(True)), 1),
                                      else_=0)).label("first_ok"))
        .select_from(rosters.join(PlanCourse, PlanCourse.plan_id == rosters.c.plan_id)
                     .join(Quiz, Quiz.course_id == PlanCourse.course_id)
                     .join(QuizAttempt, sa.and_(QuizAttempt.quiz_id == Quiz.id, QuizAttempt.user_id == rosters.c.user_id)))
        .where(QuizAttempt.status == AttemptStatus.submitted,
               sa.or_(*(sa.and_(rosters.c.plan_id == plan.id, inside(QuizAttempt.submitted_at, plan))
                        for plan in plans)))
        .group_by(rosters.c.year, rosters.c.unit_id, rosters.c.plan_id, rosters.c.user_id, Quiz.id)
        .subquery("per_member")
    )
    rows = db.session.execute(
        sa.select(per_member.c.year, rollup.c.top, sa.func.count(), sa.func.avg(per_member.c.best),
                  sa.func.sum(per_member.c.first_ok))
        .select_from(per_member.join(rollup, rollup.c.unit_id == per_member.c.unit_id))
        .group_by(per_member.c.year, rollup.c.top)
    ).all()
    for year, top, attempted, best, first in rows:
        cell = grid[int(year)].get(top)
        if cell is not None:
            cell.attempted, cell.first_attempt_passed = int(attempted), int(first or 0)
            cell.mean_best = float(best) if best is not None else None


def _add_signals(grid, plans: list[StudyPlan], unit_id: int) -> None:
    for plan in plans:
        for top, signals in formalism_signals(plan, unit_id).items():
            cell = grid[plan.due_on.year].get(top)
            if cell is not None:
                cell.signals.extend(FlaggedSignal(plan.title, s.name, s.value, s.threshold)
                                    for s in signals if s.flagged)


def _local_new_year(year: int) -> dt.datetime:
    return local_midnight(dt.date(year, 1, 1))


def _year_of(column, years: list[int], start: Callable[[int], object]) -> sa.Case:
    """The year (of ``years``) that ``column`` falls in, NULL for none: portable, no date functions."""
    return sa.case(*[(sa.and_(column >= start(y), column < start(y + 1)), _int(y)) for y in years])


def _add_conferences(grid, unit_id: int, years: list[int], rollup: sa.FromClause) -> None:
    """Conferences each sub-unit held (as the yearly report counts them: learnhub.conferences.figures),
    and how many of the members on those conferences' rosters were present."""
    year = _year_of(Conference.starts_at, years, _local_new_year)
    held = (sa.select(Conference.id, Conference.unit_id, year.label("year"))
            .where(Conference.id.in_(held_conferences(unit_id, dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31))))
            .subquery("held"))
    for top, year_value, count in db.session.execute(
        sa.select(rollup.c.top, held.c.year, sa.func.count())
        .select_from(held.join(rollup, rollup.c.unit_id == held.c.unit_id))
        .where(held.c.year.is_not(None)).group_by(rollup.c.top, held.c.year)
    ):
        cell = grid[int(year_value)].get(top)
        if cell is not None:
            cell.conferences_held = int(count)

    # A conference's roster as its organiser sees it (learnhub.conferences.attendance): the active
    # accounts of the invited units and below, plus anyone marked for it.
    invited = (sa.select(ConferenceUnit.conference_id, ConferenceUnit.unit_id)
               .where(ConferenceUnit.conference_id.in_(sa.select(held.c.id))).cte("invited", recursive=True))
    invited = invited.union(sa.select(invited.c.conference_id, Unit.id).where(Unit.parent_id == invited.c.unit_id))
    roster = sa.union(
        sa.select(invited.c.conference_id, User.id.label("user_id")).join(User, User.unit_id == invited.c.unit_id)
        .where(User.active.is_(True), User.status.in_(list(SIGN_IN_STATUSES))),
        sa.select(Attendance.conference_id, Attendance.user_id).where(Attendance.conference_id.in_(sa.select(held.c.id))),
    ).subquery("roster")
    pairs = (
        sa.select(held.c.year, User.unit_id,
                  sa.case((Attendance.status == AttendanceStatus.present, 1), else_=0).label("present"))
        .select_from(
            roster.join(held, held.c.id == roster.c.conference_id).join(User, User.id == roster.c.user_id)
            .outerjoin(Attendance, sa.and_(Attendance.conference_id == roster.c.conference_id,
                                           Attendance.user_id == roster.c.user_id)))
        .where(held.c.year.is_not(None))
        .subquery("pairs")
    )
    for year_value, top, count, present in db.session.execute(
        sa.select(pairs.c.year, rollup.c.top, sa.func.count(), sa.func.sum(pairs.c.present))
        .select_from(pairs.join(rollup, rollup.c.unit_id == pairs.c.unit_id))
        .group_by(pairs.c.year, rollup.c.top)
    ):
        cell = grid[int(year_value)].get(top)
        if cell is not None:
            cell.invited, cell.present = int(count), int(present or 0)


def _add_inspections(grid, years: list[int], rollup: sa.FromClause) -> None:
    year = _year_of(Inspection.held_on, years, lambda y: dt.date(y, 1, 1))
    held = sa.select(Inspection.unit_id, Inspection.conclusion, year.label("year")).subquery("inspections")
    for year_value, top, conclusion, count in db.session.execute(
        sa.select(held.c.year, rollup.c.top, held.c.conclusion, sa.func.count())
        .select_from(held.join(rollup, rollup.c.unit_id == held.c.unit_id))
        .where(held.c.year.is_not(None)).group_by(held.c.year, rollup.c.top, held.c.conclusion)
    ):
        cell = grid[int(year_value)].get(top)
        if cell is not None:
            cell.inspections[Conclusion(conclusion)] = int(count)


def term_years(start_year: int, today: dt.date) -> list[int]:
    """The years of the five-year term starting in ``start_year`` that have begun by ``today``."""
    return [year for year in range(start_year, start_year + TERM_YEARS) if year <= today.year]
