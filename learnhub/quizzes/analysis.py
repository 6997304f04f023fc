"""Item analysis of a quiz, aggregated in SQL: which questions members get wrong, and how well
each question tells those who grasp the content from those who do not.

The summary and the hardest questions are sums of the kept rows (learnhub/quizzes/kept.py), fast at
a province's top; the item analysis (``items``) reads the raw answers, because its discrimination
ranks every attempt of the scope into thirds by score, which no per-unit sum can give."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from learnhub.extensions import db
from learnhub.quizzes.kinds import REGISTRY
from learnhub.quizzes.models import (
    AttemptAnswer,
    AttemptStatus,
    Quiz,
    QuizAttempt,
    QuizQuestion,
    QuizUnitAnswer,
    QuizUnitFigures,
    QuizUnitScore,
)

TOO_EASY = 0.9
TOO_HARD = 0.3


@dataclass(frozen=True)
class QuizSummary:
    attempts: int
    members: int
    mean: float | None
    median: float | None
    pass_rate: float | None  # members who passed ÷ members who attempted
    first_attempt_pass_rate: float | None
    mean_best: float | None = None  # the mean of each member's best score


@dataclass(frozen=True)
class ItemRow:
    qid: str
    position: int | None
    stem: str
    kind: str
    answered: int
    facility: float | None  # mean fraction of the points, 0..1
    discrimination: float | None  # facility in the top third minus the bottom third
    top_wrong: str | None  # the most chosen wrong answer, as its text
    top_wrong_count: int
    archived: bool

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.facility is not None and self.facility > TOO_EASY:
            flags.append("too_easy")
        if self.facility is not None and self.facility < TOO_HARD:
            flags.append("too_hard")
        if self.discrimination is not None and self.discrimination < 0:
            flags.append("negative")
        return flags


def _submitted(quiz: Quiz):
    return sa.and_(QuizAttempt.quiz_id == quiz.id, QuizAttempt.status == AttemptStatus.submitted)


def _in_scope(model: Any, scope: sa.Select | list[int] | None) -> list[sa.ColumnElement[bool]]:
    return [] if scope is None else [model.unit_id.in_(scope)]


def summary(quiz: Quiz, scope: sa.Select | list[int] | None = None) -> QuizSummary:
    """Attempts, mean and median score, pass rate and first-attempt pass rate (members of the units
    in ``scope``; None: everyone), summed from the kept rows of learnhub/quizzes/kept.py."""
    totals = db.session.execute(
        sa.select(sa.func.sum(QuizUnitFigures.attempts), sa.func.sum(QuizUnitFigures.members),
                  sa.func.sum(QuizUnitFigures.percent_sum), sa.func.sum(QuizUnitFigures.passed_members),
                  sa.func.sum(QuizUnitFigures.first_passed_members), sa.func.sum(QuizUnitFigures.best_sum))
        .where(QuizUnitFigures.quiz_id == quiz.id, *_in_scope(QuizUnitFigures, scope))
    ).one()
    attempts, members, percent_sum, passed, first, best = totals
    if not attempts:
        return QuizSummary(0, 0, None, None, None, None)
    attempts, members = int(attempts), int(members)
    histogram = db.session.execute(
        sa.select(QuizUnitScore.percent, sa.func.sum(QuizUnitScore.attempts))
        .where(QuizUnitScore.quiz_id == quiz.id, *_in_scope(QuizUnitScore, scope))
        .group_by(QuizUnitScore.percent).order_by(QuizUnitScore.percent)
    ).tuples().all()
    return QuizSummary(attempts, members, float(percent_sum) / attempts, median_of(histogram, attempts),
                       int(passed) / members, int(first) / members, float(best) / members)


def median_of(histogram: Sequence[tuple[float, Any]], total: int) -> float | None:
    """The median of ``total`` scores given as (score, how many) in ascending order: the middle
    score, or the mean of the middle two."""
    wanted = [(total - 1) // 2, total // 2]  # 0-based ranks of the middle one or two
    middle: list[float] = []
    seen = 0
    for score, count in histogram:
        seen += int(count)
        while wanted and wanted[0] < seen:
            middle.append(float(score))
            wanted.pop(0)
        if not wanted:
            break
    return sum(middle) / len(middle) if middle else None


def items(quiz: Quiz, scope: sa.Select | list[int] | None = None) -> list[ItemRow]:
    """Per question: facility, discrimination (thirds of attempts by score), most chosen wrong answer."""
    from learnhub.auth.models import User

    where = [_submitted(quiz)]
    if scope is not None:
        where.append(QuizAttempt.user_id.in_(sa.select(User.id).where(User.unit_id.in_(scope))))
    thirds = (
        sa.select(QuizAttempt.id.label("attempt_id"),
                  sa.func.ntile(3).over(order_by=(QuizAttempt.percent, QuizAttempt.id)).label("third"))
        .where(*where).subquery()
    )
    stats = db.session.execute(
        sa.select(
            AttemptAnswer.qid,
            sa.func.count(AttemptAnswer.id),
            sa.func.avg(AttemptAnswer.fraction),
            sa.func.avg(sa.case((thirds.c.third == 3, AttemptAnswer.fraction))),
            sa.func.avg(sa.case((thirds.c.third == 1, AttemptAnswer.fraction))),
        )
        .join(thirds, thirds.c.attempt_id == AttemptAnswer.attempt_id)
        .group_by(AttemptAnswer.qid)
    ).all()
    wrong = db.session.execute(
        sa.select(AttemptAnswer.qid, AttemptAnswer.response_key, sa.func.count(AttemptAnswer.id).label("n"))
        .join(thirds, thirds.c.attempt_id == AttemptAnswer.attempt_id)
        .where(AttemptAnswer.fraction < 1, AttemptAnswer.response_key != "")
        .group_by(AttemptAnswer.qid, AttemptAnswer.response_key)
        .order_by(AttemptAnswer.qid, sa.desc("n"), AttemptAnswer.response_key)
    ).all()
    top_wrong: dict[str, tuple[str, int]] = {}
    for qid, key, count in wrong:
        top_wrong.setdefault(qid, (key, count))
    questions = {q.qid: q for q in db.session.scalars(sa.select(QuizQuestion).where(QuizQuestion.quiz_id == quiz.id))}
    rows = []
    for qid, answered, facility, top, bottom in stats:
        question = questions.get(qid)
        key, count = top_wrong.get(qid, (None, 0))
        discrimination = (top - bottom) if top is not None and bottom is not None else None
        rows.append(ItemRow(
            qid=qid, position=question.position if question else None,
            stem=question.data["stem"] if question else qid, kind=question.kind if question else "",
            answered=answered, facility=float(facility) if facility is not None else None,
            discrimination=float(discrimination) if discrimination is not None else None,
            top_wrong=_answer_text(question, key) if key else None, top_wrong_count=count,
            archived=bool(question and question.archived_at),
        ))
    return sorted(rows, key=lambda r: (r.facility if r.facility is not None else 2, r.qid))


@dataclass(frozen=True)
class HardQuestion:
    qid: str
    stem: str
    facility: float


def hardest(quiz: Quiz, scope: sa.Select | list[int] | None = None, limit: int = 5) -> list[HardQuestion]:
    """The ``limit`` questions with the lowest facility (members in ``scope``): the dashboard's
    short list, summed from the kept per-question rows (learnhub/quizzes/kept.py)."""
    facility = sa.func.sum(QuizUnitAnswer.credit) / sa.func.sum(QuizUnitAnswer.answered)
    rows = db.session.execute(
        sa.select(QuizUnitAnswer.qid, facility)
        .where(QuizUnitAnswer.quiz_id == quiz.id, *_in_scope(QuizUnitAnswer, scope))
        .group_by(QuizUnitAnswer.qid)
        .having(sa.func.sum(QuizUnitAnswer.answered) > 0)
        .order_by(facility, QuizUnitAnswer.qid)
        .limit(limit)
    ).all()
    stems = dict(db.session.execute(
        sa.select(QuizQuestion.qid, QuizQuestion.data["stem"].as_string())
        .where(QuizQuestion.quiz_id == quiz.id, QuizQuestion.qid.in_([r[0] for r in rows]))
    ).tuples().all())
    return [HardQuestion(qid, stems.get(qid) or qid, float(value)) for qid, value in rows]


def _answer_text(question: QuizQuestion | None, key: str) -> str:
    """A response key as people read it (choice texts rather than ids): the kind says how."""
    if question is None or question.kind not in REGISTRY:
        return key
    return REGISTRY[question.kind].key_text(question.data, key)
