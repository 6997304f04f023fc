"""The dashboard's quiz figures (summary + hardest questions) at the top unit and in a cell, from the
raw attempts and answers (as before figures were kept) and from the kept rows; and what keeping costs.

    PYTHONPATH=$PWD .venv/bin/python -m benchmarks.quiz_figures URL [URL ...]

on databases made by ``learnhub bench generate`` (which rebuilds the kept rows at its end).
"""
from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.quizzes import analysis
from learnhub.quizzes.models import AttemptAnswer, AttemptStatus, Quiz, QuizAttempt


def _where(quiz: Quiz, scope: Any) -> list[Any]:
    where = [QuizAttempt.quiz_id == quiz.id, QuizAttempt.status == AttemptStatus.submitted]
    if scope is not None:
        where.append(QuizAttempt.user_id.in_(sa.select(User.id).where(User.unit_id.in_(scope))))
    return where


def live_summary(quiz: Quiz, scope: Any) -> analysis.QuizSummary:
    """The summary from the raw attempts, as analysis.summary computed it before figures were kept."""
    where = _where(quiz, scope)
    attempts, members, mean = db.session.execute(
        sa.select(sa.func.count(QuizAttempt.id), sa.func.count(sa.distinct(QuizAttempt.user_id)),
                  sa.func.avg(QuizAttempt.percent)).where(*where)).one()
    if not attempts:
        return analysis.QuizSummary(0, 0, None, None, None, None)
    middle = [float(p or 0) for p in db.session.scalars(
        sa.select(QuizAttempt.percent).where(*where).order_by(QuizAttempt.percent)
        .offset((attempts - 1) // 2).limit(2 - attempts % 2))]
    per_member = (
        sa.select(sa.func.max(sa.case((QuizAttempt.passed.is_(True), 1), else_=0)).label("passed"),
                  sa.func.max(sa.case((sa.and_(QuizAttempt.number == 1, QuizAttempt.passed.is_(True)), 1), else_=0)).label("first"),
                  sa.func.max(QuizAttempt.percent).label("best"))
        .where(*where).group_by(QuizAttempt.user_id).subquery())
    passed, first, best = db.session.execute(
        sa.select(sa.func.sum(per_member.c.passed), sa.func.sum(per_member.c.first), sa.func.avg(per_member.c.best))).one()
    return analysis.QuizSummary(attempts, members, float(mean), sum(middle) / len(middle),
                                passed / members, first / members, float(best))


def live_facilities(quiz: Quiz, scope: Any) -> dict[str, float]:
    """Every question's facility from the raw answers of submitted attempts (hardest's old source)."""
    return dict(db.session.execute(
        sa.select(AttemptAnswer.qid, sa.func.avg(AttemptAnswer.fraction))
        .join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id).where(*_where(quiz, scope))
        .group_by(AttemptAnswer.qid)
    ).tuples().all())


def _ms(work: Callable[[], Any], repeat: int = 3) -> str:
    """The median wall time and this process's CPU time of ``work``, in ms (on SQLite the CPU time
    is the whole cost, the database running in the process: it does not grow with the machine's load)."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return f"{statistics.median(walls):.1f} ms (CPU {statistics.median(cpus):.1f} ms)"


def measure(url: str) -> None:
    """Print the figures' times for the database at ``url``."""
    from learnhub import create_app
    from learnhub.orgs.models import Unit
    from learnhub.plans.completion import unit_scope
    from learnhub.quizzes.kept import (
        quiz_figure_differences,
        rebuild_quiz_figures,
        refresh_quiz_units,
    )

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        quiz = db.session.scalars(
            sa.select(Quiz).join(QuizAttempt, QuizAttempt.quiz_id == Quiz.id)
            .group_by(Quiz.id).order_by(sa.func.count().desc()).limit(1)).one()
        top = db.session.scalar(sa.select(Unit.id).where(Unit.parent_id.is_(None)))
        cell = db.session.scalars(sa.select(User.unit_id).join(QuizAttempt, QuizAttempt.user_id == User.id)
                                  .where(QuizAttempt.quiz_id == quiz.id).limit(1)).one()
        attempts = db.session.scalar(sa.select(sa.func.count()).where(QuizAttempt.quiz_id == quiz.id))
        print(f"{url.split('/')[-1]} ({db.engine.dialect.name}): quiz {quiz.id}, {attempts:,} attempts")
        scopes: list[tuple[str, list[int] | None]] = [("top unit", unit_scope(top) if top else None),
                                                      ("a cell", unit_scope(cell))]
        for name, scope in scopes:
            def raw(scope: list[int] | None = scope) -> Any:
                return live_summary(quiz, scope), live_facilities(quiz, scope)

            def kept(scope: list[int] | None = scope) -> Any:
                return analysis.summary(quiz, scope), analysis.hardest(quiz, scope)

            before, after = _ms(raw), _ms(kept)
            print(f"  {name}: summary + hardest from the raw rows {before}, kept {after}")
            db.session.rollback()
        refresh = _ms(lambda: refresh_quiz_units([cell], [quiz.id]), repeat=20)
        db.session.rollback()
        print(f"  refreshing one cell's rows (as a graded attempt does): {refresh}")
        started = time.perf_counter()
        rows = rebuild_quiz_figures()
        db.session.commit()
        print(f"  rebuild of every quiz: {rows:,} (quiz, unit) rows in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        differences = quiz_figure_differences()
        print(f"  check: {len(differences)} differences in {time.perf_counter() - started:.1f} s")
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        measure(argument)
