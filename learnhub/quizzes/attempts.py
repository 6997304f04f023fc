"""Attempts: a fair draw kept for the whole attempt, answers saved as the member goes, grading on
the server exactly once, the time limit judged from the recorded start, attempts counted."""
from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from learnhub.auth.models import User
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.quizzes import kinds
from learnhub.quizzes.bank import InvalidResponse, Question
from learnhub.quizzes.models import AttemptAnswer, AttemptStatus, Quiz, QuizAttempt

# A phone on a slow network may send its last answers a little after the deadline.
SUBMIT_GRACE = dt.timedelta(seconds=20)


class AttemptRefused(Exception):
    """Starting is not allowed (no attempts left); ``reason`` says which rule."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class QuizStanding:
    """A member's record on a quiz: what the quiz page shows."""

    attempts: list[QuizAttempt]
    in_progress: QuizAttempt | None
    best: QuizAttempt | None
    attempts_left: int | None  # None: unlimited

    @property
    def passed(self) -> bool:
        return bool(self.best and self.best.passed)


def standing(user: User, quiz: Quiz) -> QuizStanding:
    attempts = list(db.session.scalars(
        sa.select(QuizAttempt).where(QuizAttempt.user_id == user.id, QuizAttempt.quiz_id == quiz.id)
        .order_by(QuizAttempt.number)
    ))
    submitted = [a for a in attempts if a.status == AttemptStatus.submitted]
    best = max(submitted, key=lambda a: (a.percent or 0, -a.number), default=None)
    limit = quiz.settings.get("max_attempts")
    left = None if limit is None else max(0, limit - len(attempts))
    in_progress = next((a for a in attempts if a.status == AttemptStatus.in_progress), None)
    return QuizStanding(attempts, in_progress, best, left)


def start_attempt(user: User, quiz: Quiz, *, now: dt.datetime | None = None, rng: random.Random | None = None) -> QuizAttempt:
    """Resume the attempt in progress, or draw a new paper; refused when no attempts are left."""
    now = now or utcnow()
    current = standing(user, quiz)
    if current.in_progress is not None:
        return current.in_progress
    if current.attempts_left == 0:
        raise AttemptRefused("no_attempts_left")
    settings = quiz.settings
    questions = quiz.active_questions
    if not questions:
        raise AttemptRefused("no_questions")
    rng = rng or random.SystemRandom()
    draw = settings.get("draw") or len(questions)
    drawn = rng.sample(questions, min(draw, len(questions)))
    paper = [_paper_entry(q.data, settings.get("shuffle", True), rng) for q in drawn]
    limit = settings.get("time_limit")
    attempt = QuizAttempt(
        quiz_id=quiz.id, user_id=user.id, number=len(current.attempts) + 1, bank_version=quiz.version,
        started_at=now, deadline=now + dt.timedelta(minutes=limit) if limit else None, paper=paper,
        pass_score=settings.get("pass_score", 80), review=settings.get("review", "always"),
        max_score=float(sum(q.points for q in drawn)),
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # the same member started in another tab a moment ago
        resumed = standing(user, quiz).in_progress
        if resumed is None:
            raise
        return resumed
    return attempt


def _paper_entry(data: dict[str, Any], shuffle: bool, rng: random.Random) -> dict[str, Any]:
    """One drawn question as the attempt keeps it: the data of this version, and its order.

    The page names choices and right-hand items by tokens given in display order ("c0", "c1", ...),
    never by their ids: ids follow the file, where the right answer is often first.
    """
    choice_ids = [c["id"] for c in data.get("choices", [])]
    if shuffle and data["kind"] != "truefalse":
        rng.shuffle(choice_ids)
    rights = [str(i) for i in range(len(data.get("pairs", [])))]
    rng.shuffle(rights)  # matching always mixes the right column, or it gives itself away
    return {
        "qid": data["id"], "question": data,
        "choices": {f"c{n}": cid for n, cid in enumerate(choice_ids)},
        "rights": {f"r{n}": index for n, index in enumerate(rights)},
    }


def to_ids(entry: dict[str, Any], raw: Any) -> Any:
    """The page's tokens in a response replaced by choice ids / pair indexes; unknown tokens stay
    as they are, for the kind's check to refuse."""
    kind = entry["question"]["kind"]
    if kind in ("single", "truefalse") and isinstance(raw, str):
        return entry["choices"].get(raw, raw) if raw else raw
    if kind == "multiple" and isinstance(raw, list):
        return [entry["choices"].get(t, t) if isinstance(t, str) else t for t in raw]
    if kind == "matching" and isinstance(raw, dict):
        return {k: entry["rights"].get(v, v) if isinstance(v, str) and v else v for k, v in raw.items()}
    return raw


def to_tokens(entry: dict[str, Any], response: Any) -> Any:
    """A saved response as the page names things (to show it checked again after a reload)."""
    kind = entry["question"]["kind"]
    if kind in ("single", "truefalse", "multiple"):
        back = {cid: token for token, cid in entry["choices"].items()}
        return [back.get(r) for r in response] if isinstance(response, list) else back.get(response)
    if kind == "matching" and isinstance(response, dict):
        back = {index: token for token, index in entry["rights"].items()}
        return {k: back.get(v) for k, v in response.items()}
    return response


def paper_question(entry: dict[str, Any]) -> Question:
    return Question.from_dict({k: v for k, v in entry["question"].items() if k != "html"})


def time_is_up(attempt: QuizAttempt, now: dt.datetime, grace: dt.timedelta = dt.timedelta(0)) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + grace


def check_response(attempt: QuizAttempt, qid: str, raw: Any) -> tuple[dict[str, Any], Any]:
    """The paper entry and the canonical response; InvalidResponse for anything tampered with."""
    entry = next((e for e in attempt.paper if e["qid"] == qid), None)
    if entry is None:
        raise InvalidResponse("the question is not on this paper")
    question = paper_question(entry)
    return entry, kinds.kind_of(question).check(question, to_ids(entry, raw))


def save_answer(attempt: QuizAttempt, qid: str, raw: Any, *, now: dt.datetime | None = None) -> bool:
    """Save one answer while the attempt is open and in time; False when it is no longer accepted."""
    now = now or utcnow()
    if attempt.status != AttemptStatus.in_progress or time_is_up(attempt, now, SUBMIT_GRACE):
        return False
    _entry, response = check_response(attempt, qid, raw)
    _store_answer(attempt, qid, response, now)
    return True


def _store_answer(attempt: QuizAttempt, qid: str, response: Any, now: dt.datetime) -> None:
    answer = db.session.scalar(
        sa.select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id, AttemptAnswer.qid == qid)
    )
    if answer is None:
        answer = AttemptAnswer(attempt_id=attempt.id, qid=qid)
        db.session.add(answer)
    answer.response = response
    answer.response_key = response_key(response)
    answer.saved_at = now


def response_key(response: Any) -> str:
    """A short canonical text of a response, for grouping the answers members give."""
    if isinstance(response, list):
        return ",".join(response)[:200]
    if isinstance(response, dict):
        return json.dumps(response, sort_keys=True)[:200]
    return kinds.normalise_text(str(response or ""))[:200]


def submit_attempt(attempt: QuizAttempt, answers: dict[str, Any] | None = None, *, now: dt.datetime | None = None) -> bool:
    """Save the last answers (when in time) and grade, exactly once.

    The attempt is claimed with one conditional UPDATE before anything else is written, so a
    double click, a second tab or a concurrent request finds nothing left to do and changes
    nothing. Returns True for the call that graded.
    """
    now = now or utcnow()
    checked = {qid: check_response(attempt, qid, raw)[1] for qid, raw in (answers or {}).items()}
    if attempt.status != AttemptStatus.in_progress:
        return False
    late = time_is_up(attempt, now, SUBMIT_GRACE)
    claimed = db.session.execute(
        sa.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.status == AttemptStatus.in_progress)
        .values(status=AttemptStatus.submitted, submitted_at=now, late=late)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return False
    if not late:  # a late submission keeps only the answers saved before the deadline
        for qid, response in checked.items():
            _store_answer(attempt, qid, response, now)
    db.session.flush()
    db.session.refresh(attempt)
    _grade(attempt)
    return True


def _grade(attempt: QuizAttempt) -> None:
    saved = {a.qid: a for a in db.session.scalars(sa.select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id))}
    total = 0.0
    for entry in attempt.paper:
        question = paper_question(entry)
        answer = saved.get(entry["qid"])
        if answer is None:  # unanswered questions count, as zero, in the statistics too
            answer = AttemptAnswer(attempt_id=attempt.id, qid=entry["qid"], response=None, response_key="")
            db.session.add(answer)
        score = kinds.grade(question, answer.response)
        answer.score = score
        answer.fraction = score / question.points if question.points else 0.0
        total += score
    attempt.score = round(total, 4)
    attempt.percent = round(100 * total / attempt.max_score, 2) if attempt.max_score else 0.0
    attempt.passed = attempt.percent >= attempt.pass_score
    db.session.flush()


def finish_if_expired(attempt: QuizAttempt, *, now: dt.datetime | None = None) -> bool:
    """Grade an attempt whose time ran out with the answers saved before the deadline."""
    now = now or utcnow()
    if attempt.status == AttemptStatus.in_progress and time_is_up(attempt, now, SUBMIT_GRACE):
        return submit_attempt(attempt, None, now=now)
    return False


def may_review_answers(attempt: QuizAttempt, user_passed: bool) -> bool:
    """Whether the review shows correct answers and explanations (the quiz's `review` setting)."""
    if attempt.status != AttemptStatus.submitted:
        return False
    return attempt.review == "always" or (attempt.review == "after_pass" and user_passed)
