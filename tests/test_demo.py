"""`learnhub demo`: the seed's town with 403 people, the shipped courses, safe to run twice."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import Category, Role, User
from learnhub.courses.models import Course, LessonProgress
from learnhub.extensions import db
from learnhub.orgs.models import Unit


def snapshot() -> dict[str, object]:
    return {
        "units": db.session.scalar(sa.select(sa.func.count()).select_from(Unit)),
        "users": db.session.scalar(sa.select(sa.func.count()).select_from(User)),
        "progress": db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)),
        "courses": sorted(db.session.scalars(sa.select(Course.slug))),
    }


def test_demo_builds_the_town_and_is_safe_to_run_twice(fresh_app: Flask) -> None:
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "dangvien" in result.stderr and "http://" in result.stderr
    with fresh_app.app_context():
        first = snapshot()
        assert first["units"] == 13
        assert first["users"] == 403
        assert first["courses"] == ["chi-thi-05-ct-tw", "nang-cao-chat-luong-hoc-tap-nghi-quyet"]
        assert first["progress"] > 100  # some members are part-way through
        categories = dict(db.session.execute(sa.select(User.category, sa.func.count()).group_by(User.category)).all())
        assert set(categories) == set(Category)
        roles = set(db.session.scalars(sa.select(User.role)))
        assert roles == set(Role)
        usernames = list(db.session.scalars(sa.select(User.username)))
        assert len(usernames) == len(set(usernames))
        assert all(name.isascii() for name in usernames)
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0, again.output
    with fresh_app.app_context():
        assert snapshot() == first


def test_demo_year_has_conferences_outreach_and_a_closed_plan_with_lagging_cells(fresh_app: Flask) -> None:
    """The yearly report and the evaluation have something to show in the demo's current year."""
    import datetime as dt

    from learnhub.conferences.models import Attendance, Conference
    from learnhub.inspections.models import Inspection
    from learnhub.outreach.models import OutreachSession, PublicVisit
    from learnhub.plans.completion import completion_report
    from learnhub.plans.models import PlanStatus, StudyPlan

    assert fresh_app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with fresh_app.app_context():
        year = dt.date.today().year
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Conference)) >= 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) > 300
        assert db.session.scalar(sa.select(sa.func.sum(OutreachSession.head_count))) > 1000
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PublicVisit)) > 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Inspection)) == 3
        plans = db.session.scalars(sa.select(StudyPlan)).all()
        assert all(plan.due_on.year == year for plan in plans)
        closed = next(plan for plan in plans if plan.status == PlanStatus.closed)
        root = db.session.scalar(sa.select(Unit).where(Unit.parent_id.is_(None)))
        report = completion_report(closed, root)
        lagging = {u.name for u in report.units if not report.meets_target(u)}
        assert lagging == {"Chi bộ Khu phố 6", "Chi bộ Trạm Y tế"}
        assert report.meets_target(report.total)  # the town as a whole reaches the 98% target
