"""The plan criterion "a conference of the plan attended": present at a conference of the plan that
was not cancelled, completed as of the conference's start."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Flask

from learnhub.conferences.models import Attendance, AttendanceStatus, Conference
from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.plans.missing import missing_members
from learnhub.plans.models import Criterion, PlanStatus, StudyForm, StudyPlan
from learnhub.plans.services import create_plan, set_status
from tests.conftest import login
from tests.plans import test_completion
from tests.plans.test_completion import AFTER_DUE, BEFORE_DUE, report_for

org = test_completion.org  # the hand-built organisation of test_completion, as a fixture here
CONFERENCE = [Criterion.conference.value]


def conference(org: dict, starts_at: dt.datetime, *, plan_id: int | None = None, cancelled: bool = False,
               present: tuple[str, ...] = (), excused: tuple[str, ...] = ()) -> int:
    """A conference of the plan (or ``plan_id``) with members marked."""
    row = Conference(plan_id=org["plan"] if plan_id is None else plan_id, unit_id=org["town"].id,
                     title="Hội nghị quán triệt", starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2),
                     form=StudyForm.in_person, check_in_token=f"token-{starts_at.timestamp()}-{plan_id}-{cancelled}",
                     cancelled_at=starts_at if cancelled else None)
    db.session.add(row)
    db.session.flush()
    for keys, status in ((present, AttendanceStatus.present), (excused, AttendanceStatus.excused)):
        for key in keys:
            db.session.add(Attendance(conference_id=row.id, user_id=org["people"][key].id, status=status,
                                      recorded_at=starts_at))
    db.session.commit()
    return row.id


def test_present_at_a_conference_of_the_plan_completes(app: Flask, org: dict) -> None:
    with app.app_context():
        conference(org, BEFORE_DUE, present=("b_none", "a1_none"), excused=("a_late",))
        conference(org, AFTER_DUE, present=("a_lessons_only",))  # attended after the due date: late
        report = report_for(org, criteria=CONFERENCE)
        assert (report.total.required, report.total.completed, report.total.on_time) == (8, 3, 2)
        missing = {m.full_name for m in missing_members(db.session.get(StudyPlan, org["plan"]),
                                                         db.session.get(Unit, org["b"].id))}
        assert "Hoàng Văn Chưa" not in missing  # b_none came


def test_cancelled_excused_and_other_plans_do_not_count(app: Flask, org: dict) -> None:
    with app.app_context():
        conference(org, BEFORE_DUE, cancelled=True, present=("b_none",))
        conference(org, BEFORE_DUE, excused=("a1_none",))
        plan = db.session.get(StudyPlan, org["plan"])
        other = create_plan(unit=db.session.get(Unit, org["town"].id), course=plan.modules[0].course,
                            title="Kế hoạch khác", opens_on=plan.opens_on, due_on=plan.due_on,
                            target_units=[db.session.get(Unit, org["town"].id)], criteria=(Criterion.conference,))
        db.session.commit()
        conference(org, BEFORE_DUE + dt.timedelta(hours=3), plan_id=other.id, present=("a_done",))
        no_plan = conference(org, BEFORE_DUE + dt.timedelta(hours=6), present=("a_late",))
        db.session.get(Conference, no_plan).plan_id = None
        db.session.commit()
        assert report_for(org, criteria=CONFERENCE).total.completed == 0


def test_all_of_and_any_of_with_the_conference(app: Flask, org: dict) -> None:
    """a_done studied and passed before the due date; a_lessons_only only studied."""
    with app.app_context():
        conference(org, AFTER_DUE, present=("a_done",))
        conference(org, BEFORE_DUE, present=("a_lessons_only",))
        both = report_for(org, criteria=[Criterion.lessons.value, Criterion.conference.value], all_required=True)
        # a_done: completed when the last criterion was met (the late conference); a_lessons_only: on time
        assert (both.total.completed, both.total.on_time) == (2, 1)
        three = report_for(org, criteria=[Criterion.lessons.value, Criterion.quiz.value, Criterion.conference.value])
        assert (three.total.completed, three.total.on_time) == (1, 0)  # only a_done, late
        either = report_for(org, criteria=[Criterion.quiz.value, Criterion.conference.value], all_required=False)
        # quiz passers (a_done, a_late, a1_done, b_done, town_done) and a_lessons_only by the conference
        assert either.total.completed == 6


def test_closing_the_plan_keeps_conference_completions(app: Flask, org: dict) -> None:
    with app.app_context():
        conference(org, BEFORE_DUE, present=("b_none",))
        plan = db.session.get(StudyPlan, org["plan"])
        plan.criteria = CONFERENCE
        set_status(plan, PlanStatus.open)
        set_status(plan, PlanStatus.closed)
        db.session.execute(sa.delete(Attendance))
        db.session.commit()
        assert report_for(org).total.completed == 1


def test_plans_may_use_the_conference_criterion(app: Flask, client, town, make_course) -> None:
    make_course()
    login(client, "capuy")
    form = client.get("/plans/new").get_data(as_text=True)
    assert 'value="conference"' in form
    with app.app_context():
        root = db.session.get(Unit, town["root"].id)
        plan = create_plan(unit=root, course=db.session.scalars(sa.select(Course)).one(), title="Dự hội nghị",
                           opens_on=dt.date(2026, 1, 1), due_on=dt.date(2026, 12, 31), target_units=[root],
                           criteria=(Criterion.conference,))
        assert plan.criteria == ["conference"]
