"""A member's own open study plans: due date, what is left, status and the next step."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload

from learnhub.auth.models import User
from learnhub.courses.models import Course, Lesson, LessonProgress
from learnhub.db import kept_statement
from learnhub.extensions import db
from learnhub.plans.completion import member_progress
from learnhub.plans.models import Criterion, PlanStatus, ReflectionStatus, StudyPlan
from learnhub.plans.modules import plan_course_ids
from learnhub.plans.steps import Step, remaining_steps, step_columns
from learnhub.quizzes.models import Quiz, QuizAttempt
from learnhub.settings import local_today, local_zone  # noqa: F401  (callers import local_today from here)

DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class MemberPlan:
    plan: StudyPlan
    course: Course  # the module to carry on with (the plan's first module once nothing is left)
    lessons_done: int
    lessons_total: int
    quiz_passed: bool
    attempted: bool
    completed: bool
    today: dt.date
    next_lesson: Lesson | None
    has_quiz: bool
    steps: tuple[Step, ...] = ()  # what is left to do (learnhub.plans.steps), as every page lists it
    reflection_status: ReflectionStatus | None = None  # the member's reflection for the plan, if begun

    @property
    def asks_reflection(self) -> bool:
        """Whether the plan asks the member for a reflection (among its criteria)."""
        return Criterion.reflection.value in self.plan.criteria

    @property
    def due_on(self) -> dt.date:
        return self.plan.due_on

    @property
    def lessons_left(self) -> int:
        return max(self.lessons_total - self.lessons_done, 0)

    @property
    def status(self) -> str:
        """One of completed, overdue, in_progress, not_started: the first that applies."""
        if self.completed:
            return "completed"
        if self.today > self.plan.due_on:
            return "overdue"
        return "in_progress" if self.lessons_done or self.attempted else "not_started"

    @property
    def due_soon(self) -> bool:
        """Not completed, not yet overdue, and due within DUE_SOON_DAYS days."""
        days = (self.plan.due_on - self.today).days
        return not self.completed and 0 <= days <= DUE_SOON_DAYS

    @property
    def next_kind(self) -> str | None:
        """What the next step is: "lesson", "quiz", "course", or None once completed."""
        if self.completed:
            return None
        if self.next_lesson is not None:
            return "lesson"
        return "quiz" if self.has_quiz and not self.quiz_passed else "course"

    @property
    def next_url(self) -> str | None:
        """The first unstudied lesson, else the quiz (else the module page); None once completed."""
        kind = self.next_kind
        if kind == "lesson" and self.next_lesson is not None:
            return url_for("study.lesson", slug=self.course.slug, lesson_slug=self.next_lesson.slug)
        if kind == "quiz":
            return url_for("quizzes.quiz", slug=self.course.slug)
        return url_for("study.course", slug=self.course.slug) if kind == "course" else None


def plans_for_member(user: User, today: dt.date) -> list[MemberPlan]:
    """The open plans whose roster includes ``user``, soonest due first (three statements, whatever
    the number of plans: the plans, the member's row of each, the next lessons)."""
    plans = db.session.scalars(kept_statement("open_plans", lambda: (
        sa.select(StudyPlan).where(StudyPlan.status == PlanStatus.open).order_by(StudyPlan.due_on, StudyPlan.id)
        .options(joinedload(StudyPlan.modules))
    ))).unique().all()
    if not plans:
        return []
    rows = member_rows(plans, user.id)
    on_roster = [plan for plan in plans if plan.id in rows]  # the roster rule lives in member_progress
    next_lessons = _first_unstudied_lessons(user, {c for plan in on_roster for c in plan_course_ids(plan)})
    found = []
    for plan in on_roster:
        row = rows[plan.id]
        course, next_lesson, index = _where_to_go_on(plan, row, next_lessons)
        found.append(MemberPlan(
            plan=plan, course=course, lessons_done=row.lessons_done,
            lessons_total=row.lessons_total, quiz_passed=row.passed_at is not None,
            attempted=bool(row.attempted), completed=row.completed_at is not None, today=today,
            next_lesson=next_lesson, has_quiz=bool(row._mapping[f"mod{index}_quiz"]),
            steps=remaining_steps(plan, row), reflection_status=row.reflection_status,
        ))
    return found


MEMBER = sa.bindparam("member_id", type_=sa.Integer)


def member_rows(plans: Sequence[StudyPlan], user_id: int) -> dict[int, sa.Row]:
    """The member's row of ``member_progress`` for each plan whose roster holds them, by plan id,
    with ``attempted`` (whether they started a quiz of the plan): one statement for all the plans.
    Load the plans with their modules (``joinedload(StudyPlan.modules)``) to spare a query each."""
    if not plans:
        return {}
    return {row.plan_id: row for row in db.session.execute(_member_rows(plans), {"member_id": user_id})}


def _member_rows(plans: Sequence[StudyPlan]) -> sa.CompoundSelect:
    """The statement of ``member_rows``; the member is the bound parameter ``member_id``.

    Building the statement costs a worker more than running it (a member's home page spent most of
    its time there), so each worker keeps it, keyed by everything it is built from: every column of
    each plan, its modules and the time zone. An edited plan has another key; the statement holds no
    data, only SQL, so one member's page never sees another's figures."""
    key = ("member_rows", str(local_zone()), *(_plan_key(plan) for plan in plans))
    return kept_statement(key, lambda: _build_member_rows(plans))


def _plan_key(plan: StudyPlan) -> tuple:
    columns = sa.inspect(StudyPlan).column_attrs
    return (*(repr(getattr(plan, column.key)) for column in columns), tuple(plan_course_ids(plan)))


def _build_member_rows(plans: Sequence[StudyPlan]) -> sa.CompoundSelect:
    widest = max(len(plan.modules) for plan in plans)
    # An open plan with the most modules goes first: a UNION takes its columns' types from the
    # first part, and a closed plan's snapshot has no figures (nulls) in the step columns.
    ordered = sorted(plans, key=lambda plan: (plan.status == PlanStatus.closed, -len(plan.modules)))
    parts = []
    for plan in ordered:
        # The member is a parameter bound at execution, so that one statement serves every member.
        progress = member_progress(plan, member=MEMBER)  # type: ignore[arg-type]
        attempted = sa.exists(sa.select(QuizAttempt.id).join(Quiz).where(
            Quiz.course_id.in_(plan_course_ids(plan)), QuizAttempt.user_id == MEMBER))
        padding = [sa.null().label(f"mod{i}_{name}") for i in range(len(plan.modules), widest)
                   for name in ("done", "total", "passed", "quiz")]
        parts.append(sa.select(sa.literal(plan.id).label("plan_id"), *step_columns(progress), *padding,
                               attempted.label("attempted")).where(progress.c.user_id == MEMBER))
    return sa.union_all(*parts)


def _first_unstudied_lessons(user: User, course_ids: set[int]) -> dict[int, Lesson]:
    """The first lesson (in order, not archived) the member has not studied, of each course."""
    if not course_ids:
        return {}
    lessons = db.session.scalars(kept_statement("first_unstudied_lessons", _first_unstudied_statement),
                                 {"member_id": user.id, "course_ids": sorted(course_ids)})
    return {lesson.course_id: lesson for lesson in lessons}


def _first_unstudied_statement() -> sa.Select:
    studied = sa.select(LessonProgress.lesson_id).where(
        LessonProgress.user_id == MEMBER, LessonProgress.studied_at.is_not(None)
    )
    ranked = (
        sa.select(Lesson.id, sa.func.row_number().over(partition_by=Lesson.course_id,
                                                       order_by=(Lesson.position, Lesson.id)).label("n"))
        .where(Lesson.course_id.in_(sa.bindparam("course_ids", expanding=True)), Lesson.archived_at.is_(None),
               Lesson.id.not_in(studied))
        .subquery()
    )
    return sa.select(Lesson).join(ranked, ranked.c.id == Lesson.id).where(ranked.c.n == 1)


def _where_to_go_on(plan: StudyPlan, row, next_lessons: dict[int, Lesson]) -> tuple[Course, Lesson | None, int]:
    """The first module (in the plan's order) with a lesson left and that lesson; else the first
    whose quiz is not passed yet; else the plan's first module. With the module's index."""
    courses = [module.course for module in plan.modules]
    for i, course in enumerate(courses):
        if course.id in next_lessons:
            return course, next_lessons[course.id], i
    for i, course in enumerate(courses):
        if row._mapping.get(f"mod{i}_quiz") and row._mapping.get(f"mod{i}_passed") is None:
            return course, None, i
    return courses[0], None, 0
