"""Two requests submitting the same attempt at the same moment produce one graded attempt."""
from __future__ import annotations

import threading

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.exc import OperationalError

from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.quizzes import attempts
from learnhub.quizzes.models import AttemptAnswer, Quiz, QuizAttempt
from tests.quiz_factory import RIGHT


def test_concurrent_submits_grade_once(app: Flask, make_quiz, make_user) -> None:
    quiz = make_quiz(count=6)
    member = make_user()
    with app.app_context():
        attempt = attempts.start_attempt(db.session.get(User, member.id), db.session.get(Quiz, quiz.id))
        db.session.commit()
        attempt_id = attempt.id
        answers = {e["qid"]: attempts.to_tokens(e, RIGHT[e["question"]["kind"]]) for e in attempt.paper}

    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def submit() -> None:
        with app.app_context():
            mine = db.session.get(QuizAttempt, attempt_id)
            barrier.wait()
            try:
                outcomes.append(attempts.submit_attempt(mine, answers))
                db.session.commit()
            except OperationalError:  # SQLite: the other writer held the lock; nothing was written
                db.session.rollback()
                outcomes.append(False)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes, key=bool) == [False, True]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt)) == 1
        graded = db.session.get(QuizAttempt, attempt_id)
        assert graded.status.value == "submitted" and graded.percent == 100.0
        answers_stored = db.session.scalar(sa.select(sa.func.count()).select_from(AttemptAnswer))
        assert answers_stored == 6  # one per question, none twice
