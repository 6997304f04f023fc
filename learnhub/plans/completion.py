"""Who must study under a plan, who has completed it, and the study rate: all in SQL.

The definitions are those of docs/metrics.md: the roster (active members of the target units and
categories), completion by the plan's rule, on time (completed by the due date), the rate
(completed ÷ roster, none for an empty roster) and the roll-up to a unit's direct sub-units.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context

from learnhub.auth.models import Category, MemberStatus, Role, User
from learnhub.conferences.models import Attendance, AttendanceStatus, Conference
from learnhub.courses.models import Lesson, LessonProgress
from learnhub.db import IdList, rows_changed
from learnhub.extensions import db
from learnhub.figures import Rate
from learnhub.orgs.models import Unit
from learnhub.plans.models import (
    Audience,
    Criterion,
    PlanSnapshot,
    PlanStatus,
    PlanUnit,
    Reflection,
    ReflectionStatus,
    StudyPlan,
)
from learnhub.plans.modules import plan_course_ids
from learnhub.plans.window import day_end
from learnhub.quizzes.models import AttemptStatus, Quiz, QuizAttempt, asks_questions
from learnhub.security import subtree_ids, whole_organisation
from learnhub.settings import local_midnight


def _later(a, b):
    return sa.case((a.is_(None), b), (b.is_(None), a), (a >= b, a), else_=b)


def _earlier(a, b):
    return sa.case((a.is_(None), b), (b.is_(None), a), (a <= b, a), else_=b)


# Members: a few ids, or a list bound at execution (a statement built once, run for many members).
Members = Sequence[int] | IdList


def among(column: Any, members: Members) -> sa.ColumnElement[bool]:
    """SQL: ``column`` is one of ``members``."""
    if isinstance(members, IdList):
        return members.holds(column)
    return column == members[0] if len(members) == 1 else column.in_(members)


def member_filter(units: list[int] | None = None,
                  members: Members | None = None) -> Callable[[Any], list[sa.ColumnElement[bool]]]:
    """The condition each per-member aggregate puts on its member column: only the members asked
    for (``members``), or those of ``units``, or none. The databases do not push the roster's
    conditions into a grouped subquery, so a cell's page would otherwise aggregate the whole province."""
    def only(column: Any) -> list[sa.ColumnElement[bool]]:
        if members is not None:
            return [among(column, members)]
        if units is not None:
            return [column.in_(members_of(units))]
        return []
    return only


def on_plan_units(plan: StudyPlan, members: Members | None = None) -> sa.ColumnElement[bool]:
    """SQL: the member (``User``) belongs to a unit the plan targets or one below it. For a few
    ``members``, climb from their units (a few rows) rather than descend the whole tree."""
    target_units = sa.select(PlanUnit.unit_id).where(PlanUnit.plan_id == plan.id)
    if members is None:
        return User.unit_id.in_(subtree_ids(target_units))
    start = sa.select(User.unit_id).where(among(User.id, members))
    up = sa.select(Unit.id.label("origin"), Unit.id.label("id"), Unit.parent_id).where(Unit.id.in_(start)).cte(recursive=True)
    up = up.union(sa.select(up.c.origin, Unit.id, Unit.parent_id).where(Unit.id == up.c.parent_id))
    return User.unit_id.in_(sa.select(up.c.origin).where(up.c.id.in_(target_units)))


def member_progress(plan: StudyPlan, within: int | None = None, member: int | None = None,
                    members: Members | None = None) -> sa.Subquery:
    """One row per roster member: unit, category, lessons studied (and the last when), quiz passed,
    conference attended, the reflection's state, completed and when (``learnhub.plans.steps`` reads
    what is left from it). The one home of the completion rule: the kept figures
    (``learnhub.plans.kept``) are copies of its rows.

    ``within`` limits the roster to a unit and the units below it; ``member`` to one member (their
    own home page reads one row, not the whole roster), ``members`` to a few. A closed plan reads its snapshot.
    """
    if member is not None:
        members = [member]
    units = None if within is None else unit_scope(within)
    if plan.status == PlanStatus.closed:
        return _snapshot_progress(plan, units, members)
    only_member = member_filter(units, members)
    statuses = [MemberStatus.active] + ([MemberStatus.exempted] if plan.include_exempted else [])
    on_target = on_plan_units(plan, members)
    course_ids = plan_course_ids(plan)
    total_lessons = _lesson_count(Lesson.course_id.in_(course_ids))
    studied = (  # each member's lessons studied, in all the plan's modules and in each
        sa.select(LessonProgress.user_id, sa.func.count(LessonProgress.id).label("done"),
                  sa.func.max(LessonProgress.studied_at).label("last_studied"),
                  *(sa.func.sum(sa.case((Lesson.course_id == course_id, 1), else_=0)).label(f"done{i}")
                    for i, course_id in enumerate(course_ids)))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(Lesson.course_id.in_(course_ids), Lesson.archived_at.is_(None),
               LessonProgress.studied_at.is_not(None), *only_member(LessonProgress.user_id))
        .group_by(LessonProgress.user_id)
        .subquery()
    )
    first_passes = (  # when each member first passed each module's quiz
        sa.select(QuizAttempt.user_id, Quiz.course_id, sa.func.min(QuizAttempt.submitted_at).label("passed_at"))
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .where(Quiz.course_id.in_(course_ids), asks_questions(), QuizAttempt.status == AttemptStatus.submitted,
               QuizAttempt.passed.is_(True), *only_member(QuizAttempt.user_id))
        .group_by(QuizAttempt.user_id, Quiz.course_id)
        .subquery()
    )
    passed = (
        sa.select(first_passes.c.user_id, sa.func.count().label("quizzes"),
                  sa.func.max(first_passes.c.passed_at).label("last_passed"),
                  *(sa.func.max(sa.case((first_passes.c.course_id == course_id, first_passes.c.passed_at)))
                    .label(f"passed{i}") for i, course_id in enumerate(course_ids)))
        .group_by(first_passes.c.user_id)
        .subquery()
    )
    total_quizzes = sa.select(sa.func.count(Quiz.id)).where(Quiz.course_id.in_(course_ids), asks_questions()).scalar_subquery()
    reflected = (  # the member's one reflection for the plan, in whatever state it is
        sa.select(Reflection.user_id, Reflection.status,
                  sa.case((Reflection.status == ReflectionStatus.accepted, Reflection.reviewed_at))
                  .label("accepted_at"))
        .where(Reflection.plan_id == plan.id, *only_member(Reflection.user_id))
        .subquery()
    )
    # A conference of the plan attended: present at one that was not cancelled, as of its start.
    attended = (
        sa.select(Attendance.user_id, sa.func.min(Conference.starts_at).label("attended_at"))
        .join(Conference, Conference.id == Attendance.conference_id)
        .where(Conference.plan_id == plan.id, Conference.cancelled_at.is_(None),
               Attendance.status == AttendanceStatus.present, *only_member(Attendance.user_id))
        .group_by(Attendance.user_id)
        .subquery()
    )
    done = sa.func.coalesce(studied.c.done, 0)
    lessons_at = sa.case((sa.and_(total_lessons > 0, done >= total_lessons), studied.c.last_studied))
    # Every module's quiz passed: the last of the first passes (never, when no module has a quiz).
    quiz_at = sa.case((sa.and_(total_quizzes > 0, sa.func.coalesce(passed.c.quizzes, 0) >= total_quizzes),
                       passed.c.last_passed))
    per_module = []  # what remaining_steps lists module by module
    for i, course_id in enumerate(course_ids):
        per_module += [
            sa.func.coalesce(studied.c[f"done{i}"], 0).label(f"mod{i}_done"),
            _lesson_count(Lesson.course_id == course_id).label(f"mod{i}_total"),
            passed.c[f"passed{i}"].label(f"mod{i}_passed"),
            sa.exists(sa.select(Quiz.id).where(Quiz.course_id == course_id, asks_questions())).label(f"mod{i}_quiz"),
        ]
    parts = {Criterion.lessons: lessons_at, Criterion.quiz: quiz_at, Criterion.reflection: reflected.c.accepted_at,
             Criterion.conference: attended.c.attended_at}
    used = [parts[Criterion(c)] for c in plan.criteria if Criterion(c) in parts]
    if not used or len(used) != len(plan.criteria) and plan.all_required:
        completed_at: sa.ColumnElement[Any] = sa.null()  # a criterion this version cannot measure yet: nobody completes "all of"
    elif plan.all_required:
        completed_at = used[0]
        for part in used[1:]:
            completed_at = sa.case((sa.or_(completed_at.is_(None), part.is_(None)), sa.null()),
                                   else_=_later(completed_at, part))
    else:
        completed_at = used[0]
        for part in used[1:]:
            completed_at = _earlier(completed_at, part)
    statement = (
        sa.select(
            User.id.label("user_id"), User.full_name, User.sort_key, User.unit_id, User.category,
            done.label("lessons_done"), total_lessons.label("lessons_total"),
            studied.c.last_studied.label("last_studied_at"), quiz_at.label("passed_at"), attended.c.attended_at, reflected.c.status.label("reflection_status"),
            completed_at.label("completed_at"), *per_module, User.status,
        )
        .outerjoin(studied, studied.c.user_id == User.id)
        .outerjoin(passed, passed.c.user_id == User.id)
        .outerjoin(reflected, reflected.c.user_id == User.id)
        .outerjoin(attended, attended.c.user_id == User.id)
        .where(on_target, audience(plan), *only_member(User.id))
    )
    if units is not None:
        statement = statement.where(User.unit_id.in_(units))
    addressed = statement.subquery("members")
    # A member who is no longer active stays on the roster when they completed during the plan:
    # a completed study is never erased.
    opened = local_midnight(plan.opens_on)
    return (
        sa.select(*[c for c in addressed.c if c.name != "status"])
        .where(sa.or_(addressed.c.status.in_(statuses),
                      sa.and_(addressed.c.completed_at.is_not(None), addressed.c.completed_at >= opened)))
        .subquery("progress")
    )


def audience(plan: StudyPlan) -> sa.ColumnElement[bool]:
    """SQL: a member is addressed by the plan: of a target category, or a propagandist when the plan
    names propagandists as its audience."""
    chosen = User.category.in_(plan.categories)
    if Audience.propagandists.value in (plan.audiences or []):
        return sa.or_(chosen, User.role == Role.propagandist)
    return chosen


def _lesson_count(which: sa.ColumnElement[bool]) -> sa.ScalarSelect[int]:
    """SQL: how many lessons (not archived) match ``which``."""
    return sa.select(sa.func.count(Lesson.id)).where(which, Lesson.archived_at.is_(None)).scalar_subquery()


def unit_scope(unit_id: int) -> list[int] | None:
    """The ids of ``unit_id`` and the units below it, as values, or None when that is the whole
    organisation (the one top unit), so that queries drop the condition. Values, because
    PostgreSQL cannot estimate how many rows a recursive query returns and planned a cell's page
    as if it were half the province; given the ids, it reads the cell's members by index.
    Computed once per request: a dashboard asks for it from several of its figures."""
    cache = g.setdefault("unit_scopes", {}) if has_request_context() else {}
    if unit_id not in cache:
        cache[unit_id] = (None if whole_organisation(unit_id)
                          else list(db.session.scalars(subtree_ids(sa.select(sa.literal(unit_id))))))
    return cache[unit_id]


def members_of(units: list[int]) -> sa.Select:
    """The ids of the members of ``units``."""
    return sa.select(User.id).where(User.unit_id.in_(units))


def _snapshot_progress(plan: StudyPlan, units: list[int] | None, members: Members | None) -> sa.Subquery:
    """The frozen roster of a closed plan, in the same columns as the live one."""
    statement = (
        sa.select(
            PlanSnapshot.user_id, PlanSnapshot.full_name, User.sort_key, PlanSnapshot.unit_id,
            PlanSnapshot.category, sa.literal(0).label("lessons_done"), sa.literal(0).label("lessons_total"),
            # Typed NULLs: PostgreSQL takes an untyped one for text, which the kept rows' columns refuse.
            sa.cast(sa.null(), PlanSnapshot.completed_at.type).label("last_studied_at"),
            sa.cast(sa.null(), PlanSnapshot.completed_at.type).label("passed_at"),
            sa.cast(sa.null(), PlanSnapshot.completed_at.type).label("attended_at"),
            sa.cast(sa.null(), Reflection.status.type).label("reflection_status"),
            PlanSnapshot.completed_at,
            *(column for i in range(len(plan.modules)) for column in (
                sa.literal(0).label(f"mod{i}_done"), sa.literal(0).label(f"mod{i}_total"),
                sa.null().label(f"mod{i}_passed"), sa.false().label(f"mod{i}_quiz"))),
        )
        .join(User, User.id == PlanSnapshot.user_id)
        .where(PlanSnapshot.plan_id == plan.id)
    )
    if members is not None:
        statement = statement.where(among(PlanSnapshot.user_id, members))
    if units is not None:
        statement = statement.where(PlanSnapshot.unit_id.in_(units))
    return statement.subquery("progress")


def take_snapshot(plan: StudyPlan) -> int:
    """Freeze the roster and each member's completion as they are now (INSERT ... SELECT)."""
    live = member_progress(plan)
    # The kept figures follow from the plan's status change, which comes with every snapshot.
    db.session.execute(sa.delete(PlanSnapshot).where(PlanSnapshot.plan_id == plan.id), execution_options={"kept": "noted"})
    return rows_changed(
        db.session,
        sa.insert(PlanSnapshot).from_select(
            ["plan_id", "user_id", "unit_id", "category", "full_name", "completed_at"],
            sa.select(sa.literal(plan.id), live.c.user_id, live.c.unit_id, live.c.category, live.c.full_name,
                      live.c.completed_at),
        ).execution_options(kept="noted"),
    )


def rollup_to_children(unit_id: int) -> sa.FromClause:
    """Every unit at or below ``unit_id`` with the direct child it rolls up to (itself for the unit):
    columns ``unit_id`` and ``top``. Below the top unit, as values (like ``unit_scope``): PostgreSQL
    cannot estimate a recursive query's rows, and hashed a whole plan's kept sums for one cell.
    (SQLite plans the recursive query well, and does not take a VALUES list with column names.)"""
    children = sa.select(Unit.id.label("unit_id"), Unit.id.label("top")).where(Unit.parent_id == unit_id)
    tree = children.cte(recursive=True)
    tree = tree.union_all(sa.select(Unit.id, tree.c.top).where(Unit.parent_id == tree.c.unit_id))
    own = sa.select(sa.literal(unit_id).label("unit_id"), sa.literal(unit_id).label("top"))
    rollup = sa.union_all(sa.select(tree.c.unit_id, tree.c.top), own).subquery("rollup")
    if whole_organisation(unit_id) or db.session.get_bind().dialect.name != "postgresql":
        return rollup
    pairs = db.session.execute(sa.select(rollup.c.unit_id, rollup.c.top)).tuples().all()
    return sa.values(sa.column("unit_id", sa.Integer), sa.column("top", sa.Integer), name="rollup").data(pairs)


@dataclass(frozen=True, kw_only=True)
class Figures(Rate):
    """A plan's rate for a roster (``learnhub.figures.Rate``) and how many completed by the due date."""

    on_time: int = 0

    @property
    def required(self) -> int:
        """The roster: the members who must study."""
        return self.roster


@dataclass(frozen=True, kw_only=True)
class UnitFigures(Figures):
    unit_id: int = 0
    name: str = ""
    own_members: bool = False  # the row for members who belong to the unit itself


@dataclass
class CompletionReport:
    plan: StudyPlan
    unit: Unit
    total: Figures
    by_category: dict[Category, Figures] = field(default_factory=dict)
    units: list[UnitFigures] = field(default_factory=list)

    def meets_target(self, figures: Rate) -> bool:
        """Whether ``figures`` reach the plan's target (never for an empty roster)."""
        return bool(figures.meets_target)


def due_end(plan: StudyPlan) -> dt.datetime:
    """The end of the due date in local time, as UTC (completions up to then are on time)."""
    return day_end(plan.due_on)


def completion_report(plan: StudyPlan, unit: Unit) -> CompletionReport:
    """The plan's figures for ``unit`` (and below), by category and by direct sub-unit, summed from
    the sums kept per unit and category (``learnhub.plans.kept``): no lesson or answer is read."""
    from learnhub.plans.kept import kept_sums  # kept.py computes its rows with member_progress

    sums = kept_sums(plan)
    # The subtree's unit sums grouped by sub-unit and category; the totals are sums of these few rows.
    rollup = rollup_to_children(unit.id)
    rows = db.session.execute(
        sa.select(rollup.c.top, sums.c.category, sa.func.sum(sums.c.members), sa.func.sum(sums.c.completed),
                  sa.func.sum(sums.c.on_time))
        .select_from(sums.join(rollup, rollup.c.unit_id == sums.c.unit_id))
        .group_by(rollup.c.top, sums.c.category)
    ).all()
    by_unit: dict[int, list[int]] = {}
    by_category: dict[Category, list[int]] = {}
    for top, category, *values in rows:
        for bucket in (by_unit.setdefault(top, [0, 0, 0]), by_category.setdefault(Category(category), [0, 0, 0])):
            for i, value in enumerate(values):
                bucket[i] += int(value)

    def figures(required: int, completed: int, on_time: int) -> Figures:
        return Figures(completed=completed, roster=required, target=plan.target_rate, on_time=on_time)

    report = CompletionReport(plan, unit, figures(*(sum(v[i] for v in by_unit.values()) for i in range(3))))
    report.by_category = {category: figures(*values) for category, values in by_category.items()}
    names = dict(db.session.execute(sa.select(Unit.id, Unit.name).where(Unit.id.in_(list(by_unit)))).tuples().all())
    report.units = sorted(
        (UnitFigures(completed=c, roster=r, target=plan.target_rate, on_time=t, unit_id=top,
                     name=names.get(top, ""), own_members=top == unit.id)
         for top, (r, c, t) in by_unit.items()),
        key=lambda u: (u.own_members, u.name),
    )
    return report


def as_json(report: CompletionReport) -> dict:
    """The report as JSON-ready data: what `learnhub report completion --format json` prints and the
    API's completion figures answer."""
    def entry(name: str, figures: Figures) -> dict:
        return {"unit": name, "required": figures.required, "completed": figures.completed,
                "on_time": figures.on_time, "rate": figures.rate}

    return {
        "plan": report.plan.title, "plan_id": report.plan.id, "unit": report.unit.name,
        "target": report.plan.target_rate, "required": report.total.required,
        "completed": report.total.completed, "on_time": report.total.on_time, "rate": report.total.rate,
        "categories": {c.value: entry(c.value, f) | {"unit": report.unit.name} for c, f in report.by_category.items()},
        "units": [entry(u.name, u) | {"unit_id": u.unit_id, "own_members": u.own_members} for u in report.units],
    }
