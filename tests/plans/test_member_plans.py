"""A member's own plans on the home page, notifications, and urging those not yet completed."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from flask import Flask, render_template_string
from flask_login import login_user

from learnhub.audit import AuditEntry
from learnhub.auth.models import User
from learnhub.courses.models import Course
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.notifications import Notification
from learnhub.notify.models import ChannelName, DeliveryStatus, ReminderDelivery, ReminderPreference
from learnhub.orgs.models import Unit
from learnhub.plans.member_plans import local_today, plans_for_member
from learnhub.plans.models import PlanStatus, StudyPlan
from learnhub.plans.reminders import send_reminders
from learnhub.plans.services import create_plan
from learnhub.settings import local_zone
from tests.conftest import login, post
from tests.members.test_accounts import FakeSMTP, set_flags
from tests.plans.test_completion import pass_quiz, study_all


def make_plan(app: Flask, town: dict, *, due_in: int = 30, target: str = "root", title: str = "Kế hoạch học tập",
              status: PlanStatus = PlanStatus.open) -> int:
    """A plan on the test course, due ``due_in`` days from today, targeting ``town[target]``."""
    with app.app_context():
        today = local_today()
        unit = db.session.get(Unit, town[target].id)
        plan = create_plan(unit=unit, course=db.session.scalars(sa.select(Course)).one(), title=title,
                           opens_on=today - dt.timedelta(days=60), due_on=today + dt.timedelta(days=due_in),
                           target_units=[unit])
        plan.status = status
        db.session.commit()
        return plan.id


def complete(app: Flask, user: User) -> None:
    with app.app_context():
        study_all(user.id, utcnow())
        pass_quiz(user.id, utcnow())
        db.session.commit()


def english(client):
    client.set_cookie("lh_lang", "en")
    return client


def plans_section(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return html.split('id="study-plans"', 1)[1].split("</section>", 1)[0] if 'id="study-plans"' in html else ""


def next_step(client) -> str:
    return re.search(r'class="lh-button" href="([^"]+)"', plans_section(client)).group(1)


def reminded(app: Flask) -> list[int]:
    with app.app_context():
        return sorted(db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == "reminder")))


def test_the_home_page_follows_a_member_through_a_plan(app: Flask, client, town, make_quiz) -> None:
    make_quiz(count=6)
    plan_id = make_plan(app, town, title="Học tập Chỉ thị 05")
    english(client)
    login(client, "an")
    section = plans_section(client)
    due = local_today() + dt.timedelta(days=30)
    assert "Your study plans" in section and "Học tập Chỉ thị 05" in section and f"{due:%d/%m/%Y}" in section
    assert "Not started" in section and "3 lessons to study; pass the quiz" in section
    assert f'id="plan-{plan_id}"' in section
    post(client, "/courses/nghi-quyet-thu/bai-1/studied")
    section = plans_section(client)
    assert "In progress" in section and "2 lessons to study" in section and "Not started" not in section
    post(client, "/courses/nghi-quyet-thu/bai-2/studied")
    post(client, "/courses/nghi-quyet-thu/bai-3/studied")
    with app.app_context():
        pass_quiz(town["member_a"].id, utcnow())
        db.session.commit()
    section = plans_section(client)
    assert "Completed" in section and "In progress" not in section and 'class="lh-button"' not in section


def test_drafts_and_plans_for_other_units_are_not_shown(app: Flask, client, town, make_quiz) -> None:
    make_quiz(count=6)
    make_plan(app, town, title="Bản nháp", status=PlanStatus.draft)
    make_plan(app, town, title="Riêng chi bộ 2", target="b")
    english(client)
    login(client, "an")
    html = client.get("/").get_data(as_text=True)
    assert "Your study plans" not in html and "Bản nháp" not in html and "Riêng chi bộ 2" not in html
    other = english(app.test_client())
    login(other, "binh")
    section = plans_section(other)
    assert "Riêng chi bộ 2" in section and "Bản nháp" not in section


def test_banners_for_overdue_and_due_soon_plans(app: Flask, client, town, make_quiz) -> None:
    make_quiz(count=6)
    make_plan(app, town, due_in=-2, title="Quá hạn rồi")
    make_plan(app, town, due_in=3, title="Sắp đến hạn")
    make_plan(app, town, due_in=30, title="Còn lâu")
    english(client)
    login(client, "an")
    html = client.get("/").get_data(as_text=True)
    overdue = html.split('id="plans-overdue"', 1)[1].split("</div>", 1)[0]
    soon = html.split('id="plans-due-soon"', 1)[1].split("</div>", 1)[0]
    assert "Quá hạn rồi" in overdue and "Sắp đến hạn" not in overdue
    assert "Sắp đến hạn" in soon and "Còn lâu" not in soon and "Quá hạn rồi" not in soon
    assert html.index('id="plans-overdue"') < html.index("Your study plans")
    assert "Overdue" in plans_section(client)
    complete(app, town["member_a"])
    html = client.get("/").get_data(as_text=True)
    assert 'id="plans-overdue"' not in html and 'id="plans-due-soon"' not in html
    assert plans_section(client).count("Completed") == 3  # completed wins over overdue


def test_status_and_due_soon_at_the_boundaries(app: Flask, town, make_quiz) -> None:
    make_quiz(count=6)
    plan_id = make_plan(app, town, due_in=7)
    with app.app_context(), app.test_request_context():
        user = db.session.get(User, town["member_a"].id)
        due = db.session.get(StudyPlan, plan_id).due_on
        for today, status, soon in [(due - dt.timedelta(days=8), "not_started", False),
                                    (due - dt.timedelta(days=7), "not_started", True),
                                    (due, "not_started", True), (due + dt.timedelta(days=1), "overdue", False)]:
            (found,) = plans_for_member(user, today)
            assert (found.status, found.due_soon) == (status, soon), today
        assert plans_for_member(db.session.get(User, town["bithu2"].id), due)  # the town plan reaches cell 2
        assert plans_for_member(db.session.get(User, town["member_b"].id), due)[0].lessons_left == 3


def test_the_next_step_is_the_first_unstudied_lesson_then_the_quiz(app: Flask, client, town, make_quiz) -> None:
    make_quiz(count=6)
    make_plan(app, town)
    login(client, "an")
    assert next_step(client) == "/courses/nghi-quyet-thu/bai-1"
    post(client, "/courses/nghi-quyet-thu/bai-2/studied")
    assert next_step(client) == "/courses/nghi-quyet-thu/bai-1"  # the first unstudied, not the next one
    post(client, "/courses/nghi-quyet-thu/bai-1/studied")
    assert next_step(client) == "/courses/nghi-quyet-thu/bai-3"
    post(client, "/courses/nghi-quyet-thu/bai-3/studied")
    assert next_step(client) == "/courses/nghi-quyet-thu/quiz"


def test_reminders_reach_members_not_completed_in_the_unit_once_a_day(app: Flask, client, town, make_quiz) -> None:
    make_quiz(count=6)
    plan_id = make_plan(app, town)
    complete(app, town["member_a"])
    english(client)
    login(client, "bithu1")
    response = post(client, f"/plans/{plan_id}/remind?unit={town['a'].id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/plans/{plan_id}?unit={town['a'].id}"
    # cell 1: the secretary and the propagandist; "an" has completed, cell 2 is not theirs
    assert reminded(app) == sorted([town["bithu1"].id, town["propagandist"].id])
    again = post(client, f"/plans/{plan_id}/remind?unit={town['a'].id}", follow_redirects=True)
    assert "Nobody was reminded" in again.get_data(as_text=True)
    assert len(reminded(app)) == 2
    town_committee = app.test_client()
    login(town_committee, "capuy")
    post(town_committee, f"/plans/{plan_id}/remind?unit={town['root'].id}")
    expected = [town[k].id for k in ("bithu1", "propagandist", "capuy", "bithu2", "admin", "member_b")]
    assert reminded(app) == sorted(expected)  # cell 1 was not reminded a second time today
    with app.app_context():
        notice = db.session.scalars(sa.select(Notification).where(Notification.user_id == town["member_b"].id)).one()
        assert (notice.link, notice.read_at) == (f"/#plan-{plan_id}", None)
        summaries = db.session.scalars(sa.select(AuditEntry.after).where(AuditEntry.action == "plan.remind").order_by(AuditEntry.id)).all()
        assert [s["reminded"] for s in summaries] == [2, 0, 4]
        plan, unit = db.session.get(StudyPlan, plan_id), db.session.get(Unit, town["a"].id)
        tomorrow = local_today() + dt.timedelta(days=1)
        assert send_reminders(plan, unit, None, today=tomorrow) == 2  # a new day, a new reminder


def test_a_reminder_shows_in_the_header_until_marked_read(app: Flask, client, town, make_quiz) -> None:
    make_quiz(count=6)
    plan_id = make_plan(app, town, title="Học tập Chỉ thị 05")
    secretary = app.test_client()
    login(secretary, "bithu1")
    post(secretary, f"/plans/{plan_id}/remind?unit={town['a'].id}")
    english(client)
    login(client, "an")
    assert "Notifications (1)" in client.get("/").get_data(as_text=True)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Nhắc nhở: Học tập Chỉ thị 05" in page and "New" in page and f'href="/#plan-{plan_id}"' in page
    assert post(client, "/notifications/read").headers["Location"] == "/notifications"
    page = client.get("/notifications").get_data(as_text=True)
    assert "Notifications (0)" in page and ">New<" not in page and "Nhắc nhở: Học tập Chỉ thị 05" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Notification.read_at.is_(None))) == 2  # others'


def test_the_unread_count_costs_one_query(app: Flask, town) -> None:
    with app.test_request_context("/"):
        login_user(db.session.get(User, town["member_a"].id))
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args) -> None:
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert render_template_string("{{ unread_count }}") == "0"
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        assert len(statements) == 1
        db.session.remove()


@pytest.fixture
def smtp(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list:
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.vn")
    monkeypatch.setitem(app.config, "REMINDER_QUIET_HOURS", "")  # whatever time the tests run
    FakeSMTP.sent = []
    return FakeSMTP.sent


def test_reminders_are_e_mailed_and_a_failing_server_is_logged(app: Flask, client, town, make_quiz, smtp,
                                                              monkeypatch, caplog) -> None:
    make_quiz(count=6)
    plan_id, other_plan = make_plan(app, town), make_plan(app, town, title="Kế hoạch thứ hai")
    set_flags(app, "tuyentruyen", email="tam@example.vn")
    login(client, "bithu1")
    post(client, f"/plans/{plan_id}/remind?unit={town['a'].id}")
    assert [m["To"] for m in smtp] == ["tam@example.vn"]  # the others have no address
    assert f"http://localhost/#plan-{plan_id}" in smtp[0].get_content()

    def refuse(self, message) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(FakeSMTP, "send_message", refuse)
    assert post(client, f"/plans/{other_plan}/remind?unit={town['a'].id}").status_code == 302
    assert len(reminded(app)) == 4  # the two without an address, twice, in-app
    with app.app_context():
        failed = db.session.execute(sa.select(ReminderDelivery.plan_id, ReminderDelivery.reason)
                                    .where(ReminderDelivery.status == DeliveryStatus.failed)).all()
        assert failed == [(other_plan, "connection refused")]  # in the delivery log


def test_who_may_send_reminders(app: Flask, client, town, make_quiz) -> None:
    make_quiz(count=6)
    cell_plan = make_plan(app, town, target="a")
    town_plan = make_plan(app, town)
    draft = make_plan(app, town, status=PlanStatus.draft)
    login(client, "bithu2")
    assert post(client, f"/plans/{cell_plan}/remind?unit={town['a'].id}").status_code == 404  # plan not theirs
    assert post(client, f"/plans/{town_plan}/remind?unit={town['a'].id}").status_code == 404  # unit not theirs
    member = app.test_client()
    login(member, "an")
    assert post(member, f"/plans/{town_plan}/remind?unit={town['a'].id}").status_code == 403
    assert client.post(f"/plans/{town_plan}/remind?unit={town['b'].id}").status_code == 400  # no CSRF token
    secretary = english(app.test_client())
    login(secretary, "bithu1")
    refused = post(secretary, f"/plans/{draft}/remind?unit={town['a'].id}", follow_redirects=True)
    assert "only be sent for an open plan" in refused.get_data(as_text=True)
    assert reminded(app) == []


def test_a_plan_title_with_a_line_break_cannot_add_mail_headers(app: Flask, client, town, make_quiz, smtp) -> None:
    make_quiz(count=6)
    plan_id = make_plan(app, town, title="Kế hoạch\r\nBcc: ngoai@example.org\x07")  # stored without the form
    set_flags(app, "tuyentruyen", email="tam@example.vn")
    login(client, "bithu1")
    assert post(client, f"/plans/{plan_id}/remind?unit={town['a'].id}").status_code == 302
    [message] = smtp
    assert message["Subject"] == "Nhắc nhở: Kế hoạch Bcc: ngoai@example.org" and message["Bcc"] is None


def test_the_urge_button_keeps_members_choices_and_the_one_reminder_a_day(app: Flask, client, town, make_quiz,
                                                                          smtp) -> None:
    """The committee's button goes through the notifier: an opt-out holds for it, and a member it
    reached is not reminded again that day by the scheduled run (nor the other way round)."""
    from learnhub.notify.sender import send_due_reminders

    make_quiz(count=6)
    plan_id = make_plan(app, town, due_in=2)
    set_flags(app, "tuyentruyen", email="tam@example.vn")
    set_flags(app, "bithu1", email="bithu1@example.vn")
    with app.app_context():
        db.session.add(ReminderPreference(user_id=town["propagandist"].id, opted_out=[ChannelName.email.value]))
        db.session.add(ReminderPreference(user_id=town["bithu1"].id, opted_out=[c.value for c in ChannelName]))
        db.session.commit()
    login(client, "bithu1")
    post(client, f"/plans/{plan_id}/remind?unit={town['a'].id}")
    assert smtp == []  # one turned e-mail off, the other every channel
    cell = sorted([town["member_a"].id, town["propagandist"].id])
    assert reminded(app) == cell  # in-app: the channel left on, the only one reaching "an"
    with app.app_context():
        rows = db.session.execute(sa.select(ReminderDelivery.user_id, ReminderDelivery.status)
                                  .order_by(ReminderDelivery.user_id)).all()
        assert rows == sorted([(town["bithu1"].id, DeliveryStatus.skipped), (town["member_a"].id, DeliveryStatus.sent),
                               (town["propagandist"].id, DeliveryStatus.sent)])
        ten = dt.datetime.combine(local_today(), dt.time(10), tzinfo=local_zone())
        assert send_due_reminders(now=ten).as_dict()["sent"] == 4  # the town's others; cell 1 had today's
    others = [town[k].id for k in ("capuy", "bithu2", "admin", "member_b")]
    assert reminded(app) == sorted(cell + others)


def test_the_urge_button_with_reminder_settings_it_cannot_read_sends_nothing_and_says_so(
        app: Flask, client, town, make_quiz, monkeypatch) -> None:
    make_quiz(count=6)
    plan_id = make_plan(app, town)
    monkeypatch.setitem(app.config, "REMINDER_CHANNELS", "zalo,pigeon")
    english(client)
    login(client, "bithu1")
    response = post(client, f"/plans/{plan_id}/remind?unit={town['a'].id}", follow_redirects=True)
    assert response.status_code == 200 and "reminder settings need correcting" in response.get_data(as_text=True)
    assert reminded(app) == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReminderDelivery)) == 0
