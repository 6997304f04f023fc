"""A member's own open study plans: due date, what is left, status and the next step."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for

from learnhub.auth.models import User
from learnhub.courses.models import Course, Lesson, LessonProgress
from learnhub.extensions import db
from learnhub.plans.completion import member_progress
from learnhub.plans.models import PlanStatus, StudyPlan
from learnhub.plans.modules import plan_course_ids
from learnhub.plans.steps import Step, remaining_steps, step_columns
from learnhub.quizzes.models import Quiz, QuizAttempt, asks_questions
from learnhub.settings import local_today  # noqa: F401  (its callers import it from here)

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


def _first_unstudied_lesson(user: User, course_id: int) -> Lesson | None:
    studied = sa.select(LessonProgress.lesson_id).where(
        LessonProgress.user_id == user.id, LessonProgress.studied_at.is_not(None)
    )
    return db.session.scalar(
        sa.select(Lesson)
        .where(Lesson.course_id == course_id, Lesson.archived_at.is_(None), Lesson.id.not_in(studied))
        .order_by(Lesson.position, Lesson.id)
        .limit(1)
    )


def _quiz_facts(user: User, course_id: int, course_ids: list[int]) -> tuple[bool, bool]:
    """Whether the course has a quiz with questions, and whether the member has started an attempt
    in any of the plan's modules."""
    has_quiz = sa.exists(sa.select(Quiz.id).where(Quiz.course_id == course_id, asks_questions()))
    attempted = sa.exists(
        sa.select(QuizAttempt.id).join(Quiz).where(Quiz.course_id.in_(course_ids), QuizAttempt.user_id == user.id)
    )
    row = db.session.execute(sa.select(has_quiz, attempted)).one()
    return bool(row[0]), bool(row[1])


def plans_for_member(user: User, today: dt.date) -> list[MemberPlan]:
    """The open plans whose roster includes ``user``, soonest due first."""
    plans = db.session.scalars(
        sa.select(StudyPlan).where(StudyPlan.status == PlanStatus.open).order_by(StudyPlan.due_on, StudyPlan.id)
    ).all()
    found = []
    for plan in plans:  # few plans are open at once; the roster rule lives in member_progress
        progress = member_progress(plan, member=user.id)
        row = db.session.execute(
            sa.select(*step_columns(progress)).where(progress.c.user_id == user.id)
        ).one_or_none()
        if row is None:
            continue
        course, next_lesson = _where_to_go_on(plan, user, row)
        has_quiz, attempted = _quiz_facts(user, course.id, plan_course_ids(plan))
        found.append(MemberPlan(
            plan=plan, course=course, lessons_done=row.lessons_done,
            lessons_total=row.lessons_total, quiz_passed=row.passed_at is not None, attempted=attempted,
            completed=row.completed_at is not None, today=today,
            next_lesson=next_lesson, has_quiz=has_quiz,
            steps=remaining_steps(plan, row),
        ))
    return found


def _where_to_go_on(plan: StudyPlan, user: User, row) -> tuple[Course, Lesson | None]:
    """The first module (in the plan's order) with a lesson left and that lesson; else the first
    whose quiz is not passed yet; else the plan's first module."""
    courses = [module.course for module in plan.modules]
    for course in courses:
        lesson = _first_unstudied_lesson(user, course.id)
        if lesson is not None:
            return course, lesson
    for i, course in enumerate(courses):
        if row._mapping.get(f"mod{i}_quiz") and row._mapping.get(f"mod{i}_passed") is None:
            return course, None
    return courses[0], None
