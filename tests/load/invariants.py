"""What must hold in the database after the load: read afterwards, through the app's own models."""
from __future__ import annotations

from collections import Counter
from typing import Any

import sqlalchemy as sa

from tests.load.journeys import Sitting


def attempt_problems(attempt: Any, rows: list[Any]) -> list[str]:
    """An attempt is either in progress (answers on its paper, nothing graded) or graded whole
    (every question of its paper answered once and scored, the total and percent agreeing)."""
    from learnhub.quizzes import kinds
    from learnhub.quizzes.attempts import paper_question
    from learnhub.quizzes.models import AttemptStatus

    name = f"attempt {attempt.id} (user {attempt.user_id}, number {attempt.number}, {attempt.status.value})"
    problems = []
    paper = {entry["qid"]: entry for entry in attempt.paper}
    counts = Counter(row.qid for row in rows)
    if [qid for qid, n in counts.items() if n > 1]:
        problems.append(f"{name}: an answer stored twice")
    if set(counts) - set(paper):
        problems.append(f"{name}: answers to questions not on its paper")
    if attempt.status == AttemptStatus.in_progress:
        graded = [attempt.submitted_at, attempt.score, attempt.percent, attempt.passed]
        if any(value is not None for value in graded) or any(r.score is not None or r.fraction is not None for r in rows):
            problems.append(f"{name}: in progress but partly graded")
        return problems
    if None in (attempt.submitted_at, attempt.score, attempt.percent, attempt.passed):
        problems.append(f"{name}: submitted without its score")
        return problems
    if set(counts) != set(paper):
        problems.append(f"{name}: graded with {len(counts)} of {len(paper)} answers")
        return problems
    total = 0.0
    for row in rows:
        expected = kinds.grade(paper_question(paper[row.qid]), row.response)
        if row.score is None or abs(row.score - expected) > 1e-9:
            problems.append(f"{name}: answer {row.qid} scored {row.score}, not {expected}")
        total += expected
    if abs(attempt.score - round(total, 4)) > 1e-6:
        problems.append(f"{name}: score {attempt.score}, its answers add up to {total}")
    percent = round(100 * total / attempt.max_score, 2) if attempt.max_score else 0.0
    if abs(attempt.percent - percent) > 1e-6 or attempt.passed != (percent >= attempt.pass_score):
        problems.append(f"{name}: percent {attempt.percent} / passed {attempt.passed} disagree with the score")
    return problems


def check_database(database_url: str, sittings: dict[str, Sitting], lesson_slug: str | None) -> list[str]:
    """Every attempt whole; exactly one graded attempt per member who sat, holding the answers they
    sent last; and, when ``lesson_slug`` is given, that lesson studied once by each of them."""
    from learnhub import create_app
    from learnhub.auth.models import User
    from learnhub.courses.models import Lesson, LessonProgress
    from learnhub.extensions import db
    from learnhub.quizzes.attempts import check_response
    from learnhub.quizzes.models import AttemptAnswer, AttemptStatus, QuizAttempt

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "check-only"})
    problems: list[str] = []
    with app.app_context():
        users = dict(db.session.execute(sa.select(User.id, User.username)).all())
        rows_by_attempt: dict[int, list[Any]] = {}
        for row in db.session.scalars(sa.select(AttemptAnswer)):
            rows_by_attempt.setdefault(row.attempt_id, []).append(row)
        attempts = list(db.session.scalars(sa.select(QuizAttempt).order_by(QuizAttempt.id)))
        for attempt in attempts:
            problems += attempt_problems(attempt, rows_by_attempt.get(attempt.id, []))
        graded = Counter(users[a.user_id] for a in attempts if a.status == AttemptStatus.submitted)
        per_member = Counter(users[a.user_id] for a in attempts)
        for username, sitting in sittings.items():
            if graded[username] != 1 or per_member[username] != 1:
                problems.append(f"{username}: {per_member[username]} attempts, {graded[username]} graded (want 1 and 1)")
                continue
            attempt = db.session.get(QuizAttempt, sitting.attempt_id)
            if attempt is None or users[attempt.user_id] != username:
                problems.append(f"{username}: attempt {sitting.attempt_id} is not theirs")
                continue
            stored = {row.qid: row.response for row in rows_by_attempt.get(attempt.id, [])}
            for qid, raw in sitting.answers.items():
                if stored.get(qid) != check_response(attempt, qid, raw)[1]:
                    problems.append(f"{username}: answer {qid} stored as {stored.get(qid)!r}, sent {raw!r}")
        strangers = set(per_member) - set(sittings)
        if strangers:
            problems.append(f"attempts by members who never sat: {sorted(strangers)[:5]}")
        if lesson_slug is not None:
            progress = db.session.execute(
                sa.select(LessonProgress.user_id, LessonProgress.studied_at)
                .join(Lesson, Lesson.id == LessonProgress.lesson_id).where(Lesson.slug == lesson_slug)
            ).all()
            studied = Counter(users[user_id] for user_id, studied_at in progress if studied_at is not None)
            missing = [u for u in sittings if studied[u] != 1]
            if missing or len(progress) != len(sittings):
                problems.append(f"lesson progress: {len(progress)} rows for {len(sittings)} members; "
                                f"not studied once: {missing[:5]}")
        db.session.remove()
        db.engine.dispose()
    return problems
