"""What a member still has to do: one list (learnhub.plans.steps) for the member's home, the dashboard,
the download and the reminders, knowing every criterion and the reflection's state."""
from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import Role
from learnhub.extensions import db
from learnhub.notifications import Notification
from learnhub.orgs.models import Unit
from learnhub.plans.missing import missing_members
from learnhub.plans.models import Criterion, PlanStatus, Reflection, ReflectionStatus, StudyPlan
from learnhub.plans.reminders import send_reminders
from learnhub.plans.services import set_status
from learnhub.plans.steps import StepKind, members_turn, remaining_steps
from tests.conftest import login
from tests.plans import test_completion
from tests.plans.test_completion import BEFORE_DUE
from tests.plans.test_conference_criterion import conference

org = test_completion.org  # the hand-built organisation of test_completion, as a fixture here
EVERY_CRITERION = [c.value for c in (Criterion.lessons, Criterion.quiz, Criterion.conference, Criterion.reflection)]


def row(**values) -> SimpleNamespace:
    """A member's progress as member_progress returns it: nothing done unless said."""
    defaults = dict(lessons_done=0, lessons_total=3, passed_at=None, attended_at=None, reflection_status=None,
                    completed_at=None)
    return SimpleNamespace(**(defaults | values))


def kinds(plan, progress) -> list[StepKind]:
    return [step.kind for step in remaining_steps(plan, progress)]


def test_each_criterion_and_each_state_of_the_reflection_gives_its_step() -> None:
    plan = SimpleNamespace(criteria=EVERY_CRITERION, all_required=True, modules=[])
    assert kinds(plan, row()) == [StepKind.lessons, StepKind.quiz, StepKind.conference, StepKind.reflection]
    assert remaining_steps(plan, row(lessons_done=1))[0].count == 2
    done = dict(lessons_done=3, passed_at=BEFORE_DUE, attended_at=BEFORE_DUE)
    assert kinds(plan, row(**done, reflection_status=ReflectionStatus.draft)) == [StepKind.reflection]
    assert kinds(plan, row(**done, reflection_status=ReflectionStatus.submitted)) == [StepKind.in_review]
    assert kinds(plan, row(**done, reflection_status=ReflectionStatus.returned)) == [StepKind.returned]
    assert kinds(plan, row(**done, reflection_status=ReflectionStatus.accepted)) == []
    assert kinds(plan, row(completed_at=BEFORE_DUE)) == []  # completed: nothing left, whatever the rest
    only_quiz = SimpleNamespace(criteria=[Criterion.quiz.value], all_required=True, modules=[])
    assert kinds(only_quiz, row()) == [StepKind.quiz]  # criteria the plan does not ask for are not listed


def test_a_member_only_awaiting_a_review_has_nothing_to_do() -> None:
    plan = SimpleNamespace(criteria=[Criterion.reflection.value], all_required=True, modules=[])
    assert not members_turn(remaining_steps(plan, row(reflection_status=ReflectionStatus.submitted)))
    assert members_turn(remaining_steps(plan, row(reflection_status=ReflectionStatus.returned)))


def reflect(org: dict, key: str, status: ReflectionStatus) -> None:
    db.session.add(Reflection(plan_id=org["plan"], user_id=org["people"][key].id, status=status,
                              learned="…", submitted_at=BEFORE_DUE))


def test_the_home_page_the_dashboard_and_the_download_list_the_same_steps(app: Flask, client, org: dict, make_user) -> None:
    """Chi bộ B: b_none has done nothing; b_done studied and passed, attended, and awaits the review."""
    with app.app_context():
        plan = db.session.get(StudyPlan, org["plan"])
        plan.criteria = EVERY_CRITERION
        set_status(plan, PlanStatus.open)
        reflect(org, "b_done", ReflectionStatus.submitted)
        db.session.commit()
        conference(org, BEFORE_DUE, present=("b_done",))
        missing = {m.full_name: m for m in missing_members(plan, db.session.get(Unit, org["b"].id))}
    nothing = missing["Hoàng Văn Chưa"]
    assert [s.kind for s in nothing.steps] == [StepKind.lessons, StepKind.quiz, StepKind.conference,
                                                 StepKind.reflection]
    assert [s.kind for s in missing[org["people"]["b_done"].full_name].steps] == [StepKind.in_review]

    make_user(Role.admin, username="uyvien", unit=org["town"])
    login(client, "uyvien")
    page = client.get(f"/plans/{org['plan']}?unit={org['b'].id}").get_data(as_text=True)
    expected = "còn 3 bài chưa học; làm bài kiểm tra đạt; dự một hội nghị của kế hoạch; viết và nộp bài thu hoạch"
    assert expected in page and "bài thu hoạch đang chờ duyệt" in page
    download = client.get(f"/plans/{org['plan']}/missing.xlsx?unit={org['b'].id}")
    listing = openpyxl.load_workbook(io.BytesIO(download.data))
    cells = {r[1]: r[3] for r in listing.active.iter_rows(values_only=True) if r and isinstance(r[0], int)}
    assert cells["Hoàng Văn Chưa"] == expected
    assert cells[org["people"]["b_done"].full_name] == "bài thu hoạch đang chờ duyệt"
    member = app.test_client()
    login(member, org["people"]["b_none"].username)
    home = member.get("/").get_data(as_text=True)
    assert f"Còn phải làm: {expected}" in home  # the member's own home page lists the same steps


def test_reminders_skip_members_who_only_await_a_review(app: Flask, org: dict) -> None:
    with app.app_context():
        plan = db.session.get(StudyPlan, org["plan"])
        plan.criteria = [Criterion.reflection.value]
        set_status(plan, PlanStatus.open)
        reflect(org, "b_done", ReflectionStatus.submitted)  # waits on the committee, not on the member
        reflect(org, "b_none", ReflectionStatus.returned)  # has to revise it
        db.session.commit()
        assert send_reminders(plan, db.session.get(Unit, org["b"].id), None, today=dt.date(2026, 6, 10)) == 1
        reminded = db.session.scalars(sa.select(Notification.user_id)).all()
        assert reminded == [org["people"]["b_none"].id]
