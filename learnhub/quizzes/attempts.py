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
from learnhub.db import rows_changed, utcnow
from learnhub.extensions import db
from learnhub.quizzes import kept, kinds
from learnhub.quizzes.bank import InvalidResponse, paper_question
from learnhub.quizzes.models import AttemptAnswer, AttemptStatus, Quiz, QuizAttempt
from learnhub.quizzes.review import legacy_review

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
    submitted: list[QuizAttempt]
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
    # An attempt under way is "in progress", not a used attempt: starting again resumes it.
    left = None if limit is None else max(0, limit - len(submitted))
    in_progress = next((a for a in attempts if a.status == AttemptStatus.in_progress), None)
    return QuizStanding(attempts, submitted, in_progress, best, left)


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
    paper = draw_paper([q.data for q in questions], settings.get("draw"), settings.get("shuffle", True), rng)
    limit = settings.get("time_limit")
    attempt = QuizAttempt(
        quiz_id=quiz.id, user_id=user.id, number=len(current.attempts) + 1, bank_version=quiz.version,
        started_at=now, deadline=now + dt.timedelta(minutes=limit) if limit else None, paper=paper,
        pass_score=settings.get("pass_score", 80), review=legacy_review(settings.get("review")),
        max_score=paper_points(paper),
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


def draw_questions(questions: list[dict[str, Any]], draw: Any, rng: random.Random) -> list[dict[str, Any]]:
    """The questions of a new paper: all, ``draw`` of them at random, or with a draw by category
    ({category: n}, Moodle's "random question from category") n of each named category, in the
    categories' order."""
    if isinstance(draw, dict):
        drawn: list[dict[str, Any]] = []
        for name, count in draw.items():
            pool = [q for q in questions if (q.get("category") or "") == name]
            drawn += rng.sample(pool, min(int(count), len(pool)))
        return drawn
    return rng.sample(questions, min(draw or len(questions), len(questions)))


def draw_paper(questions: list[dict[str, Any]], draw: Any, shuffle: bool,
               rng: random.Random) -> list[dict[str, Any]]:
    """A fair draw (``draw_questions``) with this paper's tokens: what a quiz attempt and a contest
    entry both keep for their whole sitting."""
    return [_paper_entry(data, shuffle, rng) for data in draw_questions(questions, draw, rng)]


def paper_points(paper: list[dict[str, Any]]) -> float:
    """The most a paper can earn."""
    return float(sum(paper_question(entry).points for entry in paper))


def grade_paper(paper: list[dict[str, Any]], responses: dict[str, Any]) -> dict[str, float]:
    """The points each question of the paper earns for checked ``responses`` (missing: unanswered)."""
    return {entry["qid"]: kinds.grade(paper_question(entry), responses.get(entry["qid"])) for entry in paper}


def _paper_entry(data: dict[str, Any], shuffle: bool, rng: random.Random) -> dict[str, Any]:
    """One drawn question as the attempt keeps it: the data of this version, and the tokens its
    page names things by (``c0``, ``r0``, ``o0``... in display order, never their ids)."""
    entry: dict[str, Any] = {"qid": data["id"], "question": data, "choices": {}, "rights": {}}
    entry.update(kinds.kind_named(data["kind"]).tokens(data, shuffle, rng))
    return entry


def kind_of_entry(entry: dict[str, Any]) -> kinds.QuestionKind:
    """The kind of a question on an attempt's paper."""
    return kinds.kind_named(entry["question"]["kind"])


def to_ids(entry: dict[str, Any], raw: Any) -> Any:
    """The page's response in canonical form (choice ids, pair or item indexes); InvalidResponse
    for anything but this attempt's tokens."""
    return kind_of_entry(entry).to_ids(entry, raw)


def to_tokens(entry: dict[str, Any], response: Any) -> Any:
    """A saved response as the page names things (to show it checked again after a reload)."""
    return kind_of_entry(entry).to_tokens(entry, response)


def time_is_up(attempt: QuizAttempt, now: dt.datetime, grace: dt.timedelta = dt.timedelta(0)) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + grace


def check_response(attempt: QuizAttempt, qid: str, raw: Any) -> tuple[dict[str, Any], Any]:
    """The paper entry and the canonical response; InvalidResponse for anything tampered with."""
    return check_paper_response(attempt.paper, qid, raw)


def check_paper_response(paper: list[dict[str, Any]], qid: str, raw: Any) -> tuple[dict[str, Any], Any]:
    """``check_response`` on any paper (a quiz attempt's or a contest entry's)."""
    entry = next((e for e in paper if e["qid"] == qid), None)
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
    claimed = rows_changed(
        db.session,
        sa.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.status == AttemptStatus.in_progress)
        .values(status=AttemptStatus.submitted, submitted_at=now, late=late)
        # Grading below writes the attempt through the session, which keeps the figures.
        .execution_options(synchronize_session=False, kept="noted"),
    )
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
    kept.refresh_for_attempt(attempt)


def finish_if_expired(attempt: QuizAttempt, *, now: dt.datetime | None = None) -> bool:
    """Grade an attempt whose time ran out with the answers saved before the deadline."""
    now = now or utcnow()
    if attempt.status == AttemptStatus.in_progress and time_is_up(attempt, now, SUBMIT_GRACE):
        return submit_attempt(attempt, None, now=now)
    return False
