"""A course's quiz (its bank, versioned), and members' attempts with their saved answers."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnhub.db import TimestampMixin, enum_column, utcnow
from learnhub.extensions import Model


class Quiz(TimestampMixin, Model):
    """The bank of one course; ``version`` goes up whenever an import changes a question."""

    __tablename__ = "quiz"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), unique=True)
    version: Mapped[int] = mapped_column(default=1)
    format: Mapped[str] = mapped_column(sa.String(10))  # "md" or "gift"
    settings: Mapped[dict[str, Any]] = mapped_column(sa.JSON)

    questions: Mapped[list[QuizQuestion]] = relationship(
        back_populates="quiz", order_by="QuizQuestion.position", cascade="all, delete-orphan"
    )

    @property
    def active_questions(self) -> list[QuizQuestion]:
        return [q for q in self.questions if q.archived_at is None]


class QuizQuestion(Model):
    """A question, identified in its quiz by a stable id so statistics follow it across edits."""

    __tablename__ = "quiz_question"
    __table_args__ = (sa.UniqueConstraint("quiz_id", "qid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz.id"), index=True)
    qid: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(20))
    points: Mapped[int] = mapped_column(default=1)
    # Question.to_dict() plus "html": the stem, choices, pairs and explanation rendered and sanitised.
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    archived_at: Mapped[dt.datetime | None]

    quiz: Mapped[Quiz] = relationship(back_populates="questions")


def asks_questions() -> sa.ColumnElement[bool]:
    """SQL: the quiz (``Quiz``) still has a question. A module whose quiz.md was removed keeps its
    quiz row and attempts (sync_quiz archives the questions): it asks no quiz any more, for
    completion, the remaining steps and the member's page alike, and its old passes count for nothing."""
    return sa.exists(sa.select(QuizQuestion.id).where(QuizQuestion.quiz_id == Quiz.id,
                                                      QuizQuestion.archived_at.is_(None)))


class AttemptStatus(StrEnum):
    in_progress = "in_progress"
    submitted = "submitted"


class QuizAttempt(Model):
    """One sitting of a quiz. ``paper`` keeps the questions drawn, in order, as they were then."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (sa.UniqueConstraint("user_id", "quiz_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    number: Mapped[int]  # 1 for the member's first attempt at this quiz
    bank_version: Mapped[int]
    status: Mapped[AttemptStatus] = mapped_column(enum_column(AttemptStatus), default=AttemptStatus.in_progress)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    deadline: Mapped[dt.datetime | None]
    submitted_at: Mapped[dt.datetime | None]
    late: Mapped[bool] = mapped_column(default=False)
    paper: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    pass_score: Mapped[int]
    review: Mapped[str] = mapped_column(sa.String(20))
    score: Mapped[float | None]
    max_score: Mapped[float]
    percent: Mapped[float | None] = mapped_column(index=True)
    passed: Mapped[bool | None]

    answers: Mapped[list[AttemptAnswer]] = relationship(back_populates="attempt", cascade="all, delete-orphan")


class AttemptAnswer(Model):
    """The member's answer to one question of an attempt, saved as they go."""

    __tablename__ = "attempt_answer"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "qid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz_attempt.id"), index=True)
    qid: Mapped[str] = mapped_column(sa.String(80), index=True)
    response: Mapped[Any] = mapped_column(sa.JSON)
    response_key: Mapped[str] = mapped_column(sa.String(200), default="")  # for "most chosen wrong answer"
    saved_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    fraction: Mapped[float | None]  # 0..1 once graded
    score: Mapped[float | None]

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")


class QuizUnitFigures(Model):
    """Kept figures of one quiz for the members of one unit (its own members, not the units below):
    what ``learnhub.quizzes.analysis.summary`` sums over a subtree. Written by learnhub/quizzes/kept.py
    in the same transaction as the graded attempt or the member's move; a row exists only while the
    unit's members have a submitted attempt at the quiz."""

    __tablename__ = "quiz_unit_figures"

    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True, index=True)
    attempts: Mapped[int]  # submitted attempts
    percent_sum: Mapped[float]  # of their percents
    members: Mapped[int]  # members with a submitted attempt
    passed_members: Mapped[int]  # of them, those with a passing attempt
    first_passed_members: Mapped[int]  # those whose first attempt passed
    best_sum: Mapped[float]  # the sum of each member's best percent


class QuizUnitScore(Model):
    """How many of a unit's submitted attempts at a quiz scored exactly ``percent``: the histogram
    the median is read from (exact: one row per distinct score)."""

    __tablename__ = "quiz_unit_score"
    __table_args__ = (sa.ForeignKeyConstraint(["quiz_id", "unit_id"], ["quiz_unit_figures.quiz_id", "quiz_unit_figures.unit_id"],
                                              ondelete="CASCADE"),)

    quiz_id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(primary_key=True)
    percent: Mapped[float] = mapped_column(primary_key=True)
    attempts: Mapped[int]


class QuizUnitAnswer(Model):
    """Per question of a quiz and unit: graded answers in submitted attempts and their summed credit
    (fractions of the points), so a question's facility is ``credit / answered`` over a subtree."""

    __tablename__ = "quiz_unit_answer"
    __table_args__ = (sa.ForeignKeyConstraint(["quiz_id", "unit_id"], ["quiz_unit_figures.quiz_id", "quiz_unit_figures.unit_id"],
                                              ondelete="CASCADE"),)

    quiz_id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(primary_key=True)
    qid: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    answered: Mapped[int]
    credit: Mapped[float]
