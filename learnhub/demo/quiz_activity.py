"""Demo quiz attempts: members answer as people do, so the item analysis has a story to tell."""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

import sqlalchemy as sa

from learnhub.auth.models import User
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.quizzes import attempts
from learnhub.quizzes.models import Quiz


def _right(question: dict[str, Any]) -> Any:
    kind = question["kind"]
    if kind in ("single", "truefalse"):
        return max(question["choices"], key=lambda c: c["weight"])["id"]
    if kind == "multiple":
        return [c["id"] for c in question["choices"] if c["weight"] > 0]
    if kind == "short":
        return question["answers"][0]["text"]
    if kind == "numerical":
        n = question["numeric"][0]
        return f"{n['value'] if n['value'] is not None else n['low']:g}"
    return {str(i): str(i) for i, p in enumerate(question["pairs"]) if p["left"]}


def _wrong(question: dict[str, Any], rng: random.Random) -> Any:
    """A wrong answer; most wrong answers fall on one tempting distractor, as in real classes."""
    kind = question["kind"]
    wrong_choices = [c["id"] for c in question.get("choices", []) if c["weight"] <= 0]
    if kind in ("single", "truefalse"):
        return wrong_choices[0] if rng.random() < 0.7 else rng.choice(wrong_choices)
    if kind == "multiple":
        right = [c["id"] for c in question["choices"] if c["weight"] > 0]
        return right[:1] + wrong_choices[:1]
    if kind == "short":
        return "không nhớ"
    if kind == "numerical":
        return "90"
    lefts = [str(i) for i, p in enumerate(question["pairs"]) if p["left"]]
    shifted = lefts[1:] + lefts[:1]
    return dict(zip(lefts, shifted, strict=True))


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
            user = db.session.get(User, member_id)
            skill = rng.uniform(-0.1, 0.25)
            for round_ in range(3):
                started = now - dt.timedelta(days=rng.randint(1, 25), minutes=rng.randint(0, 600))
                attempt = attempts.start_attempt(user, quiz, now=started, rng=rng)
                answers = {}
                for entry in attempt.paper:
                    right = rng.random() < difficulty[entry["qid"]] + skill + 0.1 * round_
                    response = _right(entry["question"]) if right else _wrong(entry["question"], rng)
                    answers[entry["qid"]] = attempts.to_tokens(entry, response)
                attempts.submit_attempt(attempt, answers, now=started + dt.timedelta(minutes=rng.randint(4, 14)))
                made += 1
                if attempt.passed or rng.random() < 0.15:
                    break
    return made
