"""`learnhub figures rebuild` and `learnhub figures check`, and the figures an upgrade computes."""
from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import User
from learnhub.courses.importer import import_course
from learnhub.courses.models import Course, Lesson
from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitKind
from learnhub.plans.kept import PlanProgress, PlanUnitSums
from learnhub.plans.models import Criterion, PlanStatus
from learnhub.plans.services import create_plan, set_status
from learnhub.quizzes.models import QuizUnitFigures
from tests.conftest import course_source
from tests.plans.test_completion import org  # noqa: F401  (the hand-built organisation)

STUDIED = dt.datetime(2026, 6, 10, 3, 0, tzinfo=dt.UTC)


def test_rebuild_and_check_in_json(app: Flask, org: dict) -> None:  # noqa: F811
    runner = app.test_cli_runner()
    rebuilt = runner.invoke(args=["figures", "rebuild", "--format", "json"])
    assert rebuilt.exit_code == 0, rebuilt.output
    with app.app_context():  # the units whose members sat the quiz: Chi bộ A, Tổ A1, Chi bộ B, the town
        quiz_rows = db.session.scalar(sa.select(sa.func.count()).select_from(QuizUnitFigures))
    assert json.loads(rebuilt.stdout) == {"plans": [{"plan_id": org["plan"], "title": "Học tập Chỉ thị 05", "rows": 8}],
                                          "rows": 8, "quiz_rows": quiz_rows}
    assert quiz_rows == 4 and "quiz figures: 4 rows" in rebuilt.stderr
    assert f"plan {org['plan']}: 8 rows" in rebuilt.stderr
    checked = runner.invoke(args=["figures", "check", "--plan", str(org["plan"]), "--format", "json"])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["differences"] == 0


def test_check_finds_a_tampered_row_and_rebuild_mends_it(app: Flask, org: dict) -> None:  # noqa: F811
    member = org["people"]["b_none"].id
    with app.app_context():
        db.session.execute(sa.update(PlanProgress).where(PlanProgress.user_id == member).values(lessons_done=3))
        db.session.execute(sa.delete(PlanProgress).where(PlanProgress.user_id == org["people"]["a_done"].id))
        db.session.commit()
    runner = app.test_cli_runner()
    checked = runner.invoke(args=["figures", "check", "--format", "json"])
    assert checked.exit_code == 1
    report = json.loads(checked.stdout)
    assert report["differences"] == 3  # two members' rows, and the unit sums that still count the deleted one
    (plan,) = report["plans"]
    wrong = {d["user_id"]: d for d in plan["differences"] if "user_id" in d}
    assert (wrong[member]["kept"]["lessons_done"], wrong[member]["computed"]["lessons_done"]) == (3, 0)
    assert wrong[org["people"]["a_done"].id]["kept"] is None
    (sums,) = [d for d in plan["differences"] if "unit_id" in d]
    assert (sums["unit_id"], sums["category"]) == (org["people"]["a_done"].unit_id, "party_member")
    assert sums["kept"]["members"] == sums["computed"]["members"] + 1
    text = runner.invoke(args=["figures", "check"])
    assert text.exit_code == 1 and f"member {member}: lessons_done: kept 3, computed 0" in text.stdout
    assert f"unit {sums['unit_id']} (party_member) sums: members: kept" in text.stdout
    assert runner.invoke(args=["figures", "rebuild", "--plan", "Học tập Chỉ thị 05"]).exit_code == 0
    again = runner.invoke(args=["figures", "check"])
    assert again.exit_code == 0 and "no difference" in again.stdout


def test_check_finds_tampered_unit_sums_and_rebuild_mends_them(app: Flask, org: dict) -> None:  # noqa: F811
    with app.app_context():
        db.session.execute(sa.update(PlanUnitSums).values(completed=PlanUnitSums.completed + 5))
        db.session.commit()
        tampered = db.session.scalar(sa.select(sa.func.count()).select_from(PlanUnitSums))
    runner = app.test_cli_runner()
    checked = runner.invoke(args=["figures", "check", "--format", "json"])
    assert checked.exit_code == 1
    (plan,) = json.loads(checked.stdout)["plans"]
    assert len(plan["differences"]) == tampered > 0
    assert all(d["kept"]["completed"] == d["computed"]["completed"] + 5 for d in plan["differences"])
    assert runner.invoke(args=["figures", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["figures", "check"]).exit_code == 0


def test_check_finds_tampered_quiz_figures_and_rebuild_mends_them(app: Flask, org: dict) -> None:  # noqa: F811
    with app.app_context():
        db.session.execute(sa.update(QuizUnitFigures).where(QuizUnitFigures.unit_id == org["b"].id)
                           .values(attempts=QuizUnitFigures.attempts + 1))
        db.session.commit()
    runner = app.test_cli_runner()
    checked = runner.invoke(args=["figures", "check", "--format", "json"])
    assert checked.exit_code == 1
    report = json.loads(checked.stdout)
    (wrong,) = report["quiz_differences"]
    assert (wrong["table"], wrong["key"]["unit_id"]) == ("quiz_unit_figures", org["b"].id)
    assert wrong["kept"][0] == wrong["computed"][0] + 1 and report["differences"] == 1
    text = runner.invoke(args=["figures", "check"])
    assert text.exit_code == 1 and "quiz figures quiz_unit_figures {'quiz_id'" in text.stdout
    assert runner.invoke(args=["figures", "check", "--plan", str(org["plan"])]).exit_code == 0  # one plan: no quizzes
    assert runner.invoke(args=["figures", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["figures", "check"]).exit_code == 0


def test_an_unknown_plan_is_refused_in_one_line(app: Flask, org: dict) -> None:  # noqa: F811
    for command in ("rebuild", "check"):
        result = app.test_cli_runner().invoke(args=["figures", command, "--plan", "999"])
        assert result.exit_code == 2 and "no plan '999'" in result.stderr and result.stdout == ""


def test_upgrading_a_database_with_data_computes_its_figures(fresh_app: Flask) -> None:
    """The upgrade that adds the kept figures computes them for the plans already there."""
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "96e45948d97c"]).exit_code == 0
    with fresh_app.app_context():
        db.session.info["kept_suspended"] = True  # the table does not exist yet at this revision
        town = Unit(name="Đảng bộ Thị trấn", kind=UnitKind.committee)
        db.session.add(town)
        db.session.flush()
        members = [User(username=f"dv{i}", full_name=f"Đảng viên {i}", category="party_member", unit_id=town.id)
                   for i in range(3)]
        db.session.add_all(members)
        import_course(course_source())
        course = db.session.scalars(sa.select(Course)).one()
        course.published_at = STUDIED
        plan = create_plan(unit=town, course=course, title="Kế hoạch", opens_on=dt.date(2026, 6, 1),
                           due_on=dt.date(2026, 6, 30), target_units=[town], criteria=(Criterion.lessons,))
        set_status(plan, PlanStatus.open)
        # The table as it was at that revision (no year yet: the partitions come later).
        progress = sa.table("lesson_progress", *(sa.column(name) for name in (
            "user_id", "lesson_id", "first_opened_at", "last_seen_at", "studied_at", "seconds_spent")))
        for lesson in db.session.scalars(sa.select(Lesson)):
            db.session.execute(sa.insert(progress).values(
                user_id=members[0].id, lesson_id=lesson.id, first_opened_at=STUDIED, last_seen_at=STUDIED,
                studied_at=STUDIED, seconds_spent=30))
        db.session.commit()
        db.session.info.pop("kept_suspended")
        db.session.remove()
    upgraded = runner.invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    checked = runner.invoke(args=["figures", "check", "--format", "json"])
    assert checked.exit_code == 0, checked.output
    with fresh_app.app_context():
        rows = db.session.scalars(sa.select(PlanProgress).order_by(PlanProgress.user_id)).all()
        assert [(r.lessons_done, r.completed_at is not None, r.rushed_in_window) for r in rows] == [
            (3, True, 3), (0, False, 0), (0, False, 0)]
