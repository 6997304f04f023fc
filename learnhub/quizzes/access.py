"""Who may see what of a quiz: the rules, named, built on learnhub.security's primitives.

A member's attempts are theirs alone (``get_own_attempt_or_404``). The item analysis,
typed answers included, is for propagandists, committee members and admins, each over the members
they answer for: a propagandist the members of the units they write for, a committee member those
of their units, an admin everyone.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort

from learnhub.auth.models import Role, User
from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.quizzes.models import Quiz, QuizAttempt, QuizQuestion
from learnhub.security import authoring_unit_ids, first_or_404, get_or_404, scope_unit_ids
from learnhub.study.access import (
    COURSE_SLUG,
    VIEWER_UNIT,
    for_viewer,
    get_course_or_404,
    visible_to,
)


def get_quiz_or_404(slug: str, user: User) -> Quiz:
    """The quiz of a module ``user`` may study, when it has questions; else 404."""
    course = get_course_or_404(slug, user)
    quiz = first_or_404(sa.select(Quiz).where(Quiz.course_id == course.id))
    if not quiz.active_questions:
        abort(404)
    return quiz


def get_quiz_page_or_404(slug: str, user: User) -> tuple[Quiz, Course, int]:
    """The quiz of a module ``user`` may study (as ``get_quiz_or_404``), its module and how many
    questions it asks, in one statement; 404 when it asks none."""
    def build() -> sa.Select:
        questions = (sa.select(sa.func.count(QuizQuestion.id))
                     .where(QuizQuestion.quiz_id == Quiz.id, QuizQuestion.archived_at.is_(None)).scalar_subquery())
        return (sa.select(Quiz, Course, questions).join(Course, Course.id == Quiz.course_id)
                .where(Course.slug == COURSE_SLUG, visible_to(user, VIEWER_UNIT)).limit(1))

    row = db.session.execute(for_viewer("quiz_page", user, build),
                             {"course_slug": slug, "viewer_unit_id": user.unit_id}).first()
    if row is None or not row[2]:
        abort(404)
    return row[0], row[1], row[2]


def get_own_attempt_or_404(attempt_id: int, user: User) -> QuizAttempt:
    """Only the member who sat an attempt ever sees it (anyone else: 404)."""
    return get_or_404(QuizAttempt, attempt_id, lambda attempt: attempt.user_id == user.id)


def may_see_item_analysis(user: User, course: Course) -> bool:
    """Whether ``user`` may open the item analysis of ``course``'s quiz (a module they can see;
    the figures cover only the members of ``item_analysis_units``)."""
    return user.is_authenticated and user.has_role(Role.propagandist, Role.committee) and course.id is not None


def item_analysis_units(user: User) -> sa.Select[Any] | None:
    """The units whose members' attempts ``user``'s item analysis counts (None: everyone, admins)."""
    if user.role == Role.propagandist:
        return authoring_unit_ids(user)
    return scope_unit_ids(user)
