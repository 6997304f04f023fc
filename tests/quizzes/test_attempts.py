"""Attempt rules: a stored draw, resuming, saving as you go, one grading, time limit, attempt limit."""
from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.quizzes import attempts
from learnhub.quizzes.bank import InvalidResponse
from learnhub.quizzes.models import AttemptStatus, Quiz, QuizAttempt
from tests.quiz_factory import RIGHT

T0 = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)


def right_answers(attempt: QuizAttempt) -> dict:
    """The right response for every question, as the page would name things (tokens)."""
    return {e["qid"]: attempts.to_tokens(e, RIGHT[e["question"]["kind"]]) for e in attempt.paper}


@pytest.fixture
def sitting(app: Flask, make_quiz, make_user):
    """A member and a quiz, loaded in an app context that stays open for the test."""
    ctx = app.app_context()
    pushed = []

    def make(**settings):
        quiz = make_quiz(**settings)
        member = make_user()
        ctx.push()
        pushed.append(ctx)
        return db.session.get(User, member.id), db.session.get(Quiz, quiz.id)

    yield make
    for context in pushed:
        db.session.remove()
        context.pop()


def test_the_draw_is_stored_and_a_reload_resumes_it(sitting) -> None:
    user, quiz = sitting(draw=10)
    first = attempts.start_attempt(user, quiz, now=T0, rng=random.Random(1))
    db.session.commit()
    assert len(first.paper) == 10 and len({e["qid"] for e in first.paper}) == 10
    again = attempts.start_attempt(user, quiz, now=T0 + dt.timedelta(minutes=3), rng=random.Random(2))
    assert again.id == first.id and again.paper == first.paper
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt)) == 1


def test_choices_are_shuffled_and_named_by_tokens_not_ids(sitting) -> None:
    user, quiz = sitting()
    orders = set()
    for seed in range(8):
        entry = attempts._paper_entry(quiz.active_questions[0].data, True, random.Random(seed))
        assert set(entry["choices"]) == {"c0", "c1", "c2"}
        orders.add(tuple(entry["choices"].values()))
    assert len(orders) > 1  # different members see different orders


def test_answers_saved_as_you_go_are_graded_once(sitting) -> None:
    user, quiz = sitting()
    attempt = attempts.start_attempt(user, quiz, now=T0)
    for qid, response in right_answers(attempt).items():
        assert attempts.save_answer(attempt, qid, response, now=T0 + dt.timedelta(minutes=1))
    db.session.commit()
    assert attempts.submit_attempt(attempt, None, now=T0 + dt.timedelta(minutes=2))
    db.session.commit()
    assert attempt.percent == 100.0 and attempt.passed
    assert not attempts.submit_attempt(attempt, {}, now=T0 + dt.timedelta(minutes=3))  # the second click
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt)) == 1
    assert attempt.submitted_at == T0 + dt.timedelta(minutes=2)


def test_wrong_and_partial_answers(sitting) -> None:
    user, quiz = sitting(count=6)
    attempt = attempts.start_attempt(user, quiz, now=T0)
    answers = {}
    for entry in attempt.paper:
        kind = entry["question"]["kind"]
        wrong = {"single": "b", "truefalse": "b", "multiple": ["a"], "short": "lanh dao", "numerical": "95",
                 "matching": {"0": "0", "1": "2", "2": "1"}}[kind]
        answers[entry["qid"]] = attempts.to_tokens(entry, wrong)
    attempts.submit_attempt(attempt, answers, now=T0 + dt.timedelta(minutes=1))
    scores = {a.qid.split("-")[0]: a.fraction for a in attempt.answers}
    assert scores == {"chon": 0, "nhieu": 0, "dung": 0, "dien": 0, "so": 0, "noi": pytest.approx(1 / 3)}
    assert not attempt.passed


def test_the_time_limit_is_judged_by_the_server(sitting) -> None:
    user, quiz = sitting(time_limit=15)
    attempt = attempts.start_attempt(user, quiz, now=T0)
    assert attempt.deadline == T0 + dt.timedelta(minutes=15)
    first, *rest = list(right_answers(attempt).items())
    assert attempts.save_answer(attempt, *first, now=T0 + dt.timedelta(minutes=10))
    assert not attempts.save_answer(attempt, *rest[0], now=T0 + dt.timedelta(minutes=20))  # too late
    attempts.submit_attempt(attempt, dict(rest), now=T0 + dt.timedelta(minutes=30))
    assert attempt.late and attempt.score == 1.0  # only the answer saved in time counts


def test_an_expired_attempt_is_finished_with_what_was_saved(sitting) -> None:
    user, quiz = sitting(time_limit=5)
    attempt = attempts.start_attempt(user, quiz, now=T0)
    attempts.save_answer(attempt, *list(right_answers(attempt).items())[0], now=T0 + dt.timedelta(minutes=1))
    assert not attempts.finish_if_expired(attempt, now=T0 + dt.timedelta(minutes=4))
    assert attempts.finish_if_expired(attempt, now=T0 + dt.timedelta(minutes=6))
    assert attempt.status == AttemptStatus.submitted and attempt.score == 1.0


def test_max_attempts_and_best_score(sitting) -> None:
    user, quiz = sitting(count=6, max_attempts=2)
    first = attempts.start_attempt(user, quiz, now=T0)
    attempts.submit_attempt(first, {}, now=T0 + dt.timedelta(minutes=1))
    second = attempts.start_attempt(user, quiz, now=T0 + dt.timedelta(minutes=2))
    attempts.submit_attempt(second, right_answers(second), now=T0 + dt.timedelta(minutes=3))
    db.session.commit()
    with pytest.raises(attempts.AttemptRefused):
        attempts.start_attempt(user, quiz, now=T0 + dt.timedelta(minutes=4))
    record = attempts.standing(user, quiz)
    assert record.best.id == second.id and record.passed and record.attempts_left == 0


@pytest.mark.parametrize("qid_or_response", [
    ("khong-co", "c0"),  # a question that is not on the paper
    (None, "c9"),  # a choice token that does not exist
    (None, "x" * 600),  # oversized text
])
def test_tampered_answers_are_refused(sitting, qid_or_response) -> None:
    user, quiz = sitting(count=6, shuffle=False)
    attempt = attempts.start_attempt(user, quiz, now=T0)
    qid, response = qid_or_response
    entry = next(e for e in attempt.paper if e["question"]["kind"] == "single") if qid is None else None
    target = qid or entry["qid"]
    if len(response) > 100:
        target = next(e["qid"] for e in attempt.paper if e["question"]["kind"] == "short")
    with pytest.raises(InvalidResponse):
        attempts.save_answer(attempt, target, response, now=T0)
    with pytest.raises(InvalidResponse):
        attempts.submit_attempt(attempt, {target: response}, now=T0)
    assert attempt.status == AttemptStatus.in_progress


def test_members_keep_the_bank_version_they_started_with(app: Flask, sitting) -> None:
    from learnhub.courses.models import Course
    from learnhub.quizzes.bank import Bank, QuizSettings
    from learnhub.quizzes.sync import sync_quiz
    from tests.quiz_factory import sample_questions

    user, quiz = sitting(count=6)
    attempt = attempts.start_attempt(user, quiz, now=T0)
    db.session.commit()
    edited = sample_questions(6)
    edited[0].stem = "Câu hỏi đã sửa?"
    sync_quiz(db.session.scalars(sa.select(Course)).one(), Bank(QuizSettings(), edited[:5]))
    db.session.commit()
    assert quiz.version == 2 and len(quiz.active_questions) == 5
    stems = {e["question"]["stem"] for e in attempt.paper}
    assert "Câu hỏi đã sửa?" not in stems and len(attempt.paper) == 6
    attempts.submit_attempt(attempt, right_answers(attempt), now=T0 + dt.timedelta(minutes=1))
    assert attempt.percent == 100.0 and attempt.bank_version == 1
