"""The study rate on a hand-built organisation: roster, completion rule, on time, roll-up, CLI."""
from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import Category, MemberStatus, User
from learnhub.courses.models import Course, Lesson, LessonProgress
from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitKind
from learnhub.plans import missing
from learnhub.plans.completion import completion_report
from learnhub.plans.missing import missing_members
from learnhub.plans.models import Criterion, PlanStatus, StudyPlan
from learnhub.plans.services import PlanRefused, create_plan
from learnhub.quizzes.kept import refresh_for_attempt
from learnhub.quizzes.models import AttemptStatus, Quiz, QuizAttempt

DUE = dt.date(2026, 6, 30)
BEFORE_DUE = dt.datetime(2026, 6, 20, 3, 0, tzinfo=dt.UTC)
AFTER_DUE = dt.datetime(2026, 7, 5, 3, 0, tzinfo=dt.UTC)
LONG_AGO = dt.datetime(2025, 3, 1, 3, 0, tzinfo=dt.UTC)


def study_all(user_id: int, when: dt.datetime) -> None:
    for lesson in db.session.scalars(sa.select(Lesson)):
        db.session.add(LessonProgress(user_id=user_id, lesson_id=lesson.id, first_opened_at=when,
                                      last_seen_at=when, studied_at=when, seconds_spent=600))


def pass_quiz(user_id: int, when: dt.datetime, passed: bool = True) -> None:
    quiz = db.session.scalars(sa.select(Quiz)).one()
    number = db.session.scalar(sa.select(sa.func.count()).where(QuizAttempt.user_id == user_id)) + 1
    attempt = QuizAttempt(quiz_id=quiz.id, user_id=user_id, number=number, bank_version=1,
                          status=AttemptStatus.submitted, started_at=when, submitted_at=when, paper=[],
                          pass_score=80, review="always", score=1, max_score=1,
                          percent=100.0 if passed else 50.0, passed=passed)
    db.session.add(attempt)
    refresh_for_attempt(attempt)  # as grading does


@pytest.fixture
def org(app: Flask, make_unit, make_user, make_quiz) -> dict:
    """Town ⊃ cell A ⊃ group A1, and cell B; members in every situation the rate must handle."""
    make_quiz(count=6)
    town = make_unit("Đảng bộ Thị trấn", UnitKind.committee)
    a = make_unit("Chi bộ A", UnitKind.cell, parent=town)
    a1 = make_unit("Tổ A1", UnitKind.cell, parent=a)
    b = make_unit("Chi bộ B", UnitKind.cell, parent=town)
    make_unit("Chi bộ C", UnitKind.cell, parent=town)  # no members: no rate
    people = {
        "a_done": make_user(unit=a), "a_late": make_user(unit=a), "a_lessons_only": make_user(unit=a),
        "a1_done": make_user(unit=a1, category=Category.civil_servant), "a1_none": make_user(unit=a1),
        "b_done": make_user(unit=b), "b_none": make_user(unit=b, full_name="Hoàng Văn Chưa"),
        "town_done": make_user(unit=town), "citizen_done": make_user(unit=b, category=Category.citizen),
        "exempted": make_user(unit=b), "deceased_done": make_user(unit=b),
    }
    with app.app_context():
        for key in ("a_done", "a1_done", "b_done", "town_done", "citizen_done"):
            study_all(people[key].id, BEFORE_DUE)
            pass_quiz(people[key].id, BEFORE_DUE)
        study_all(people["deceased_done"].id, LONG_AGO)  # completed before the plan opened
        pass_quiz(people["deceased_done"].id, LONG_AGO)
        study_all(people["a_late"].id, BEFORE_DUE)
        pass_quiz(people["a_late"].id, BEFORE_DUE, passed=False)
        pass_quiz(people["a_late"].id, AFTER_DUE)
        study_all(people["a_lessons_only"].id, BEFORE_DUE)
        db.session.get(User, people["exempted"].id).status = MemberStatus.exempted
        db.session.get(User, people["deceased_done"].id).status = MemberStatus.deceased
        course = db.session.scalars(sa.select(Course)).one()
        plan = create_plan(unit=db.session.get(Unit, town.id), course=course, title="Học tập Chỉ thị 05",
                           opens_on=dt.date(2026, 6, 1), due_on=DUE, target_units=[db.session.get(Unit, town.id)])
        db.session.commit()
        plan_id = plan.id
    return {"town": town, "a": a, "a1": a1, "b": b, "people": people, "plan": plan_id}


def report_for(org: dict, unit_key: str = "town", **changes):
    plan = db.session.get(StudyPlan, org["plan"])
    for key, value in changes.items():
        setattr(plan, key, value)
    return completion_report(plan, db.session.get(Unit, org[unit_key].id))


def test_the_rate_counts_the_roster_and_the_completed(app: Flask, org: dict) -> None:
    with app.app_context():
        report = report_for(org)
        # roster: party members and civil servants who are active: 8 (citizen, exempted, deceased left out)
        assert (report.total.required, report.total.completed, report.total.on_time) == (8, 5, 4)
        assert report.total.rate == pytest.approx(5 / 8)
        assert report.by_category[Category.civil_servant].required == 1
        assert Category.citizen not in report.by_category
        units = {u.name: (u.required, u.completed, u.rate) for u in report.units}
        assert units == {
            "Chi bộ A": (5, 3, pytest.approx(3 / 5)),  # Tổ A1 rolls up into Chi bộ A
            "Chi bộ B": (2, 1, 0.5),
            "Đảng bộ Thị trấn": (1, 1, 1.0),  # members of the town committee itself
        }
        assert sum(u.required for u in report.units) == report.total.required
        assert not report.meets_target(report.units[0])


def test_any_of_counts_lessons_or_quiz_and_categories_follow_the_plan(app: Flask, org: dict) -> None:
    with app.app_context():
        report = report_for(org, all_required=False)
        assert report.total.completed == 6  # the member who studied every lesson but did not pass
        only_lessons = report_for(org, criteria=[Criterion.lessons.value])
        assert only_lessons.total.completed == 6
        everyone = report_for(org, categories=[c.value for c in Category], include_exempted=True)
        assert everyone.total.required == 10


def test_a_unit_view_and_the_missing_members(app: Flask, org: dict) -> None:
    with app.app_context():
        cell = report_for(org, "b")
        assert (cell.total.required, cell.total.completed) == (2, 1)
        plan = db.session.get(StudyPlan, org["plan"])
        missing = missing_members(plan, db.session.get(Unit, org["b"].id))
        assert [(m.full_name, m.lessons_done, m.lessons_total, m.quiz_passed) for m in missing] == [
            ("Hoàng Văn Chưa", 0, 3, False)]
        empty = completion_report(plan, db.session.scalars(sa.select(Unit).where(Unit.name == "Chi bộ C")).one())
        assert empty.total.required == 0 and empty.total.rate is None  # no rate, not 0%


def test_the_missing_list_is_the_same_for_a_page_and_for_the_download(app: Flask, org: dict, monkeypatch) -> None:
    """A few members' steps come from their own rows, a long list's from one pass over the subtree:
    the same members, order and steps either way, at the top and in a cell."""
    with app.app_context():
        plan = db.session.get(StudyPlan, org["plan"])
        for key in ("town", "a", "b"):
            unit = db.session.get(Unit, org[key].id)
            few = missing_members(plan, unit)
            monkeypatch.setattr(missing, "STEPS_CHUNK", 1)  # any list longer than 1: the whole subtree
            many = missing_members(plan, unit)
            assert missing_members(plan, unit, limit=1) == few[:1]
            monkeypatch.undo()
            assert many == few and len(few) >= 1
        assert len(missing_members(plan, db.session.get(Unit, org["town"].id))) == 3


def test_plan_rules_are_checked(app: Flask, org: dict) -> None:
    with app.app_context():
        course = db.session.scalars(sa.select(Course)).one()
        town = db.session.get(Unit, org["town"].id)
        with pytest.raises(PlanRefused):
            create_plan(unit=town, course=course, title="x", opens_on=DUE, due_on=dt.date(2026, 1, 1), target_units=[town])
        with pytest.raises(PlanRefused):
            create_plan(unit=town, course=course, title="x", opens_on=DUE, due_on=DUE, target_units=[town], criteria=())


def test_cli_report_and_plans_list(app: Flask, org: dict, tmp_path) -> None:
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["plans", "list", "--format", "json"])
    assert json.loads(listed.stdout) == [{"id": org["plan"], "title": "Học tập Chỉ thị 05", "status": "draft",
                                          "opens": "2026-06-01", "due": "2026-06-30", "number": ""}]
    result = runner.invoke(args=["report", "completion", "--plan", str(org["plan"]), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["plan"], data["target"], data["required"], data["completed"]) == ("Học tập Chỉ thị 05", 0.98, 8, 5)
    assert data["rate"] == pytest.approx(0.625)
    assert sum(u["required"] for u in data["units"]) == data["required"]
    assert sum(u["completed"] for u in data["units"]) == data["completed"]
    cell = runner.invoke(args=["report", "completion", "--plan", "Học tập Chỉ thị 05", "--unit", "Chi bộ A", "--format", "json"])
    units = {u["unit"]: u for u in json.loads(cell.stdout)["units"]}
    assert units["Tổ A1"]["required"] == 2 and units["Chi bộ A"]["own_members"]
    xlsx = tmp_path / "bao-cao.xlsx"
    assert runner.invoke(args=["report", "completion", "--plan", str(org["plan"]), "--format", "xlsx", "-o", str(xlsx)]).exit_code == 0
    assert xlsx.stat().st_size > 0
    bad = runner.invoke(args=["report", "completion", "--plan", "999"])
    assert bad.exit_code == 2 and "no plan '999'" in bad.stderr


def test_closing_freezes_the_roster_and_results(app: Flask, org: dict) -> None:
    from learnhub.plans.models import PlanStatus
    from learnhub.plans.services import set_status

    with app.app_context():
        plan = db.session.get(StudyPlan, org["plan"])
        set_status(plan, PlanStatus.open)
        set_status(plan, PlanStatus.closed)
        db.session.commit()
        before = report_for(org)
        # after closing: a member leaves, another completes, a new member joins: the figures stay
        db.session.get(User, org["people"]["a_done"].id).status = MemberStatus.moved
        study_all(org["people"]["b_none"].id, AFTER_DUE)
        pass_quiz(org["people"]["b_none"].id, AFTER_DUE)
        db.session.add(User(username="moi", full_name="Người Mới", category=Category.party_member,
                            unit_id=org["a"].id))
        db.session.commit()
        after = report_for(org)
        assert (after.total.required, after.total.completed, after.total.on_time) == (
            before.total.required, before.total.completed, before.total.on_time) == (8, 5, 4)
        assert [(u.name, u.required, u.completed) for u in after.units] == [
            (u.name, u.required, u.completed) for u in before.units]
        set_status(plan, PlanStatus.open)  # reopening reads the organisation as it is now
        reopened = report_for(org)
        # a_done moved away but had completed (kept), b_none completed, "moi" joined
        assert (reopened.total.required, reopened.total.completed) == (9, 6)


def test_an_accepted_reflection_can_complete_a_plan(app: Flask, org: dict) -> None:
    from learnhub.plans.models import Reflection, ReflectionStatus

    with app.app_context():
        member = org["people"]["b_none"]
        plan = db.session.get(StudyPlan, org["plan"])
        db.session.add(Reflection(plan_id=plan.id, user_id=member.id, status=ReflectionStatus.accepted,
                                  submitted_at=BEFORE_DUE, reviewed_at=BEFORE_DUE))
        db.session.commit()
        report = report_for(org, criteria=[Criterion.reflection.value])
        assert (report.total.completed, report.total.on_time) == (1, 1)
        both = report_for(org, criteria=[Criterion.lessons.value, Criterion.reflection.value], all_required=True)
        assert both.total.completed == 0  # b_none has not studied the lessons


def test_a_cell_that_clicks_through_lessons_is_flagged(app: Flask, org: dict) -> None:
    from learnhub.plans.formalism import formalism_signals

    with app.app_context():
        # everyone in cell B "studies" each 10-minute lesson in 30 seconds
        for key in ("b_none",):
            for lesson in db.session.scalars(sa.select(Lesson)):
                db.session.add(LessonProgress(user_id=org["people"][key].id, lesson_id=lesson.id,
                                              first_opened_at=BEFORE_DUE, last_seen_at=BEFORE_DUE,
                                              studied_at=BEFORE_DUE, seconds_spent=30))
        db.session.query(LessonProgress).filter(LessonProgress.user_id == org["people"]["b_done"].id).update(
            {"seconds_spent": 20})
        db.session.commit()
        plan = db.session.get(StudyPlan, org["plan"])
        plan.status = PlanStatus.open  # a draft plan shows no signal: its window has not opened
        signals = formalism_signals(plan, org["town"].id)
        rushed = {unit: next(s for s in sigs if s.name == "rushed") for unit, sigs in signals.items()
                  if any(s.name == "rushed" for s in sigs)}
        assert rushed[org["b"].id].flagged and rushed[org["b"].id].value == 1.0
        assert not rushed[org["a"].id].flagged and rushed[org["a"].id].threshold == 0.30


def test_a_member_who_leaves_after_completing_stays_counted(app: Flask, org: dict) -> None:
    with app.app_context():
        plan = db.session.get(StudyPlan, org["plan"])
        plan.opens_on = dt.date(2026, 6, 1)
        db.session.get(User, org["people"]["a_done"].id).status = MemberStatus.moved  # completed on 20/06
        db.session.get(User, org["people"]["a1_none"].id).status = MemberStatus.moved  # had not completed
        db.session.commit()
        report = report_for(org)
        assert (report.total.required, report.total.completed) == (7, 5)


CRITERIA_SETS = [["lessons"], ["quiz"], ["reflection"], ["lessons", "quiz"], ["lessons", "reflection"],
                 ["quiz", "reflection"], ["lessons", "quiz", "reflection"]]


@pytest.mark.parametrize("criteria", CRITERIA_SETS, ids=["+".join(c) for c in CRITERIA_SETS])
@pytest.mark.parametrize("all_required", [True, False], ids=["all", "any"])
def test_the_completion_rule_over_every_combination(app: Flask, org: dict, criteria, all_required) -> None:
    """a_lessons_only studied every lesson, passed no quiz and wrote no reflection."""
    with app.app_context():
        plan = db.session.get(StudyPlan, org["plan"])
        plan.criteria, plan.all_required = criteria, all_required
        member = org["people"]["a_lessons_only"].id
        missing = {m.user_id for m in missing_members(plan, db.session.get(Unit, org["a"].id))}
        met = {"lessons"}
        expected = set(criteria) <= met if all_required else bool(set(criteria) & met)
        assert (member not in missing) == expected


def test_signals_use_the_thresholds_in_force(app: Flask, org: dict) -> None:
    from learnhub.plans.formalism import formalism_signals
    from learnhub.settings import set_setting

    with app.app_context():
        db.session.query(LessonProgress).filter(LessonProgress.user_id == org["people"]["b_done"].id).update(
            {"seconds_spent": 20})
        db.session.commit()
        plan = db.session.get(StudyPlan, org["plan"])
        plan.status = PlanStatus.open  # a draft plan shows no signal: its window has not opened
        rushed = next(s for s in formalism_signals(plan, org["town"].id)[org["b"].id] if s.name == "rushed")
        assert rushed.flagged
        set_setting("formalism_rushed_fraction", 0.01)  # only lessons read in under 1% of their time count
        db.session.commit()
        rushed = next(s for s in formalism_signals(plan, org["town"].id)[org["b"].id] if s.name == "rushed")
        assert not rushed.flagged and rushed.value == 0.0
