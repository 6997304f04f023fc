"""Demo quiz attempts: members answer as people do, so the item analysis has a story to tell."""
from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa

from learnhub.auth.models import User
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.quizzes import attempts
from learnhub.quizzes.models import Quiz


def add_quiz_attempts(rng: random.Random, member_ids: list[int], share: float = 0.8) -> int:
    """Some members sit each quiz once or twice; each question has its own difficulty."""
    made = 0
    quizzes = db.session.scalars(sa.select(Quiz)).all()
    now = utcnow()
    for quiz in quizzes:
        difficulty = {q.qid: rng.uniform(0.45, 0.97) for q in quiz.active_questions}
        for member_id in member_ids:
            if rng.random() > share:
                continue
            user = db.session.get_one(User, member_id)
            skill = rng.uniform(-0.1, 0.25)
            for round_ in range(3):
                started = now - dt.timedelta(days=rng.randint(1, 25), minutes=rng.randint(0, 600))
                try:
                    attempt = attempts.start_attempt(user, quiz, now=started, rng=rng)
                except attempts.AttemptRefused:  # a database that already holds this member's attempts
                    break
                answers = {}
                for entry in attempt.paper:
                    right = rng.random() < difficulty[entry["qid"]] + skill + 0.1 * round_
                    kind = attempts.kind_of_entry(entry)
                    response = kind.demo_right(entry["question"]) if right else kind.demo_wrong(entry["question"], rng)
                    answers[entry["qid"]] = attempts.to_tokens(entry, response)
                attempts.submit_attempt(attempt, answers, now=started + dt.timedelta(minutes=rng.randint(4, 14)))
                made += 1
                if attempt.passed or rng.random() < 0.15:
                    break
    return made
