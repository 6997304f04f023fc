"""`learnhub bench generate` builds a realistic organisation in bulk, on either database."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import Category, User
from learnhub.conferences.models import Attendance
from learnhub.courses.models import LessonProgress
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.plans.completion import completion_report
from learnhub.plans.models import PlanStatus, StudyPlan
from learnhub.quizzes.models import AttemptAnswer, QuizAttempt


def test_generate_builds_a_tree_members_and_a_year_of_activity(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["bench", "generate", "--members", "300", "--units", "20", "--plans", "2"])
    assert result.exit_code == 0, result.output
    assert "300 members" in result.stderr and "members: 300" in result.stderr  # progress on stderr
    with app.app_context():
        count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
        assert count(User) == 300 and count(Unit) >= 15
        depth = db.session.scalar(sa.select(sa.func.count()).select_from(Unit).where(Unit.parent_id.is_(None)))
        assert depth == 1
        categories = set(db.session.scalars(sa.select(User.category).distinct()))
        assert categories == set(Category)
        assert count(LessonProgress) > 300 and count(QuizAttempt) > 50 and count(Attendance) > 100
        assert count(AttemptAnswer) == 10 * count(QuizAttempt)
        plans = db.session.scalars(sa.select(StudyPlan).order_by(StudyPlan.id)).all()
        assert [p.status for p in plans] == [PlanStatus.closed, PlanStatus.open]
        root = db.session.scalar(sa.select(Unit).where(Unit.parent_id.is_(None)))
        report = completion_report(plans[1], root)
        assert 0 < report.total.completed < report.total.required
        # ids written explicitly stay in step with PostgreSQL's sequences
        db.session.add(QuizAttempt(quiz_id=db.session.scalar(sa.select(QuizAttempt.quiz_id).limit(1)),
                                   user_id=db.session.scalar(sa.select(User.id).limit(1)), number=9, bank_version=1,
                                   paper=[], pass_score=70, review="always", max_score=1.0))
        db.session.commit()


def test_bad_arguments_exit_with_one_line(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["bench", "generate", "--members", "0"])
    assert result.exit_code == 2 and "--members" in result.output


def test_the_same_seed_and_day_draw_the_same_activity_on_either_database(app: Flask) -> None:
    """Two runs with one seed and one day write the same members, reading and quiz results (the
    rows go in by COPY on PostgreSQL and by executemany on SQLite: the draws are the same)."""
    import datetime as dt

    from learnhub.bench.generate import generate

    def fingerprints() -> list[tuple]:
        prefix = sa.func.substr(User.username, 1, 12)  # "bench" + 6 hex digits + "-": one run's members
        studied = db.session.execute(
            sa.select(prefix, sa.func.count(), sa.func.sum(LessonProgress.seconds_spent))
            .join(LessonProgress, LessonProgress.user_id == User.id).group_by(prefix).order_by(prefix)).all()
        sat = db.session.execute(
            sa.select(prefix, sa.func.count(), sa.func.sum(QuizAttempt.score), sa.func.min(QuizAttempt.submitted_at))
            .join(QuizAttempt, QuizAttempt.user_id == User.id).group_by(prefix).order_by(prefix)).all()
        names = db.session.execute(
            sa.select(prefix, sa.func.min(User.full_name), sa.func.max(User.sort_key), sa.func.count())
            .group_by(prefix).order_by(prefix)).all()
        return [tuple(row[1:]) for row in (*studied, *sat, *names)]

    with app.app_context():
        for _ in range(2):
            generate(members=60, units=8, plans=2, seed=5, today=dt.date(2026, 6, 15))
        runs = fingerprints()
    studied, sat, names = runs[0:2], runs[2:4], runs[4:6]
    assert studied[0] == studied[1] and studied[0][0] > 60
    assert sat[0] == sat[1] and sat[0][0] > 0
    assert names[0] == names[1] and names[0][2] == 60
