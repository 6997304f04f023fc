"""Reading progress and recording study; the web and tests call these directly."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from learnhub.auth.models import User
from learnhub.courses.models import Course, Lesson, LessonProgress
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.study.access import (
    VIEWER_UNIT,
    for_viewer,
    get_course_or_404,
    get_lesson_or_404,
    visible_to,
)

# Their home is study/access.py; quizzes and authoring still import them from here.
__all__ = ["get_course_or_404", "get_lesson_or_404", "visible_to"]

# A heartbeat arrives every 30 s while the lesson is on screen; a longer gap is time away.
HEARTBEAT_CAP = dt.timedelta(seconds=90)
# Without heartbeats (no JavaScript) the time since opening counts, up to this bound.
MIN_UNTRACKED_CAP = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    total: int
    studied: int

    @property
    def percent(self) -> int:
        return round(100 * self.studied / self.total) if self.total else 0

    @property
    def status(self) -> str:
        if self.total and self.studied >= self.total:
            return "completed"
        return "in_progress" if self.studied else "not_started"


def open_courses_for(user: User) -> list[CourseProgress]:
    """The modules open to ``user`` with lessons counted and studied, aggregated in SQL."""
    rows = db.session.execute(for_viewer("open_courses", user, lambda: _open_courses(user)),
                              {"viewer_id": user.id, "viewer_unit_id": user.unit_id})
    return [CourseProgress(course, total, done) for course, total, done in rows]


def _open_courses(user: User) -> sa.Select:
    """The statement of ``open_courses_for``; the viewer is bound at execution (``viewer_id``)."""
    totals = (
        sa.select(Lesson.course_id, sa.func.count(Lesson.id).label("total"))
        .where(Lesson.archived_at.is_(None))
        .group_by(Lesson.course_id)
        .subquery()
    )
    studied = (
        sa.select(Lesson.course_id, sa.func.count(LessonProgress.id).label("studied"))
        .join(LessonProgress, LessonProgress.lesson_id == Lesson.id)
        .where(
            Lesson.archived_at.is_(None),
            LessonProgress.user_id == sa.bindparam("viewer_id", type_=sa.Integer),
            LessonProgress.studied_at.is_not(None),
        )
        .group_by(Lesson.course_id)
        .subquery()
    )
    return (
        sa.select(
            Course,
            sa.func.coalesce(totals.c.total, 0),
            sa.func.coalesce(studied.c.studied, 0),
        )
        .outerjoin(totals, totals.c.course_id == Course.id)
        .outerjoin(studied, studied.c.course_id == Course.id)
        .where(visible_to(user, VIEWER_UNIT))
        .order_by(Course.title)
    )


def progress_by_lesson(user: User, course: Course) -> dict[int, LessonProgress]:
    rows = db.session.scalars(
        sa.select(LessonProgress)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.user_id == user.id, Lesson.course_id == course.id)
    )
    return {progress.lesson_id: progress for progress in rows}


def next_lesson(course: Course, progress: dict[int, LessonProgress]) -> Lesson | None:
    """The first lesson not yet studied, in course order."""
    for lesson in course.active_lessons:
        found = progress.get(lesson.id)
        if found is None or found.studied_at is None:
            return lesson
    return None


def neighbours(course: Course, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    lessons = course.active_lessons
    index = lessons.index(lesson)
    previous = lessons[index - 1] if index > 0 else None
    following = lessons[index + 1] if index + 1 < len(lessons) else None
    return previous, following


def _progress_for(user: User, lesson: Lesson, now: dt.datetime) -> LessonProgress:
    """Get or create the progress row; a concurrent first open by another tab is tolerated."""
    statement = sa.select(LessonProgress).where(
        LessonProgress.user_id == user.id, LessonProgress.lesson_id == lesson.id
    )
    progress = db.session.scalar(statement)
    if progress is not None:
        return progress
    progress = LessonProgress(
        user_id=user.id, lesson_id=lesson.id, first_opened_at=now, last_seen_at=now
    )
    try:
        with db.session.begin_nested():
            db.session.add(progress)
    except IntegrityError:
        progress = db.session.scalars(statement).one()
    return progress


def record_lesson_opened(user: User, lesson: Lesson, now: dt.datetime | None = None) -> LessonProgress:
    """Note that the member has the lesson on screen from ``now``."""
    now = now or utcnow()
    progress = _progress_for(user, lesson, now)
    progress.last_seen_at = now
    return progress


def record_heartbeat(user: User, lesson: Lesson, now: dt.datetime | None = None) -> LessonProgress:
    """Add the reading time since the last sign of life, at most HEARTBEAT_CAP."""
    now = now or utcnow()
    progress = _progress_for(user, lesson, now)
    _add_time(progress, now, HEARTBEAT_CAP)
    return progress


def mark_lesson_studied(user: User, lesson: Lesson, now: dt.datetime | None = None) -> LessonProgress:
    """Mark the lesson studied (the first time counts) and add the reading time since last seen."""
    now = now or utcnow()
    progress = _progress_for(user, lesson, now)
    _add_time(progress, now, max(MIN_UNTRACKED_CAP, dt.timedelta(minutes=2 * lesson.minutes)))
    if progress.studied_at is None:
        progress.studied_at = now
    return progress


def _add_time(progress: LessonProgress, now: dt.datetime, cap: dt.timedelta) -> None:
    elapsed = now - progress.last_seen_at
    if elapsed > dt.timedelta(0):
        progress.seconds_spent += int(min(elapsed, cap).total_seconds())
    progress.last_seen_at = max(now, progress.last_seen_at)


def has_quiz(course: Course) -> bool:
    from learnhub.quizzes.models import Quiz, QuizQuestion

    return bool(db.session.scalar(
        sa.select(sa.func.count(QuizQuestion.id)).join(Quiz).where(
            Quiz.course_id == course.id, QuizQuestion.archived_at.is_(None)
        )
    ))
