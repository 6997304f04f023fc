"""Committees plan conferences in their scope: times in Vietnam's time, notice, list, changes, cancel."""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.conferences.models import Conference
from learnhub.extensions import db
from learnhub.plans.services import create_plan
from tests.conferences.conftest import english, make_conference
from tests.conftest import login, post


def form_data(town, **changes) -> dict:
    data = {
        "title": "Hội nghị học tập Chỉ thị 05", "unit": town["a"].id, "plan": 0,
        "starts_at": "2026-12-01T08:00", "ends_at": "2026-12-01T11:00", "place": "Hội trường",
        "form": "in_person", "presenters": "Đồng chí Bí thư", "presenter_accounts": [town["propagandist"].id],
        "invited_units": [town["a"].id], "agenda": "1. Khai mạc\n2. Quán triệt",
    }
    data.update(changes)
    return data


def audit_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_secretary_plans_a_conference_in_local_time(app: Flask, client, town, make_course) -> None:
    make_course()
    with app.app_context():
        from learnhub.courses.models import Course
        from learnhub.orgs.models import Unit

        cell = db.session.get(Unit, town["a"].id)
        plan = create_plan(unit=cell, course=db.session.scalars(sa.select(Course)).one(), title="Kế hoạch 05",
                           opens_on=dt.date(2026, 11, 1), due_on=dt.date(2026, 12, 31), target_units=[cell])
        db.session.commit()
        plan_id = plan.id
    login(english(client), "bithu1")
    form = client.get(f"/conferences/new?plan={plan_id}").get_data(as_text=True)
    assert f'<option selected value="{plan_id}">' in form or f'value="{plan_id}" selected' in form
    assert "Vũ Minh Tâm" in form and "Hoàng Thị Bình" not in form  # presenters from the scope only
    response = post(client, "/conferences/new", form_data(town, plan=plan_id))
    assert response.status_code == 302
    with app.app_context():
        conference = db.session.scalars(sa.select(Conference)).one()
        # 08:00 in Hanoi is 01:00 UTC
        assert conference.starts_at == dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)
        assert conference.ends_at == dt.datetime(2026, 12, 1, 4, 0, tzinfo=dt.UTC)
        assert conference.plan_id == plan_id and conference.unit_id == town["a"].id
        assert [u.unit_id for u in conference.invited_units] == [town["a"].id]
        assert [p.user_id for p in conference.presenter_links] == [town["propagandist"].id]
        assert len(conference.check_in_token) >= 32
        assert audit_actions() == ["plan.create", "conference.create"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "01/12/2026, 08:00 to 11:00" in page and "Kế hoạch 05" in page and "Vũ Minh Tâm" in page
    assert "<strong>Quán triệt</strong>" not in page and "<li>Khai mạc</li>" in page  # Markdown agenda


def test_the_form_refuses_bad_times_and_units_outside_the_scope(app: Flask, client, town) -> None:
    login(english(client), "bithu1")
    backwards = post(client, "/conferences/new", form_data(town, ends_at="2026-12-01T07:00"))
    assert backwards.status_code == 400 and "The end must be after the start." in backwards.get_data(as_text=True)
    weeks = post(client, "/conferences/new", form_data(town, ends_at="2026-12-21T07:00"))
    assert weeks.status_code == 400 and "at most 7 days" in weeks.get_data(as_text=True)
    garbled = post(client, "/conferences/new", form_data(town, starts_at="tomorrow"))
    assert garbled.status_code == 400
    assert post(client, "/conferences/new", form_data(town, unit=town["b"].id)).status_code == 400
    assert post(client, "/conferences/new", form_data(town, invited_units=[town["b"].id])).status_code == 400
    assert post(client, "/conferences/new", form_data(town, invited_units=[])).status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Conference)) == 0
        assert audit_actions() == []


def test_the_organiser_changes_and_cancels(app: Flask, client, town, cell_conference) -> None:
    login(english(client), "bithu1")
    url = f"/conferences/{cell_conference}"
    edit = client.get(f"{url}/edit").get_data(as_text=True)
    assert 'value="Hội nghị quán triệt Chỉ thị 05"' in edit
    with app.app_context():
        starts = db.session.get(Conference, cell_conference).starts_at
    local = (starts + dt.timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M")  # the form shows Hanoi time
    assert f'name="starts_at" required type="datetime-local" value="{local}"' in edit
    changed = post(client, f"{url}/edit", form_data(town, title="Hội nghị đã đổi tên", invited_units=[town["a"].id]))
    assert changed.status_code == 302
    assert post(client, f"{url}/edit", form_data(town, title="Hội nghị đã đổi tên")).status_code == 302  # unchanged
    with app.app_context():
        assert db.session.get(Conference, cell_conference).title == "Hội nghị đã đổi tên"
        assert audit_actions().count("conference.update") == 1  # saving the same values again records nothing
    assert post(client, f"{url}/cancel").status_code == 302
    assert post(client, f"{url}/cancel").status_code == 302  # twice: still cancelled once
    with app.app_context():
        assert db.session.get(Conference, cell_conference).cancelled_at is not None
        assert audit_actions().count("conference.cancel") == 1
    page = client.get(url).get_data(as_text=True)
    assert "Cancelled" in page and "Roster and check-in" not in page
    assert client.get(f"{url}/edit").status_code == 302  # a cancelled conference is not changed
    assert post(client, f"{url}/edit", form_data(town, title="Sau khi hủy")).status_code == 302
    with app.app_context():
        assert db.session.get(Conference, cell_conference).title == "Hội nghị đã đổi tên"


def test_who_sees_which_conference(app: Flask, client, town, cell_conference) -> None:
    with app.app_context():
        town_wide = make_conference(town["root"].id, [town["root"].id], title="Hội nghị toàn Đảng bộ")
        cell_b = make_conference(town["b"].id, [town["b"].id], title="Hội nghị Chi bộ 2")
    login(english(client), "bithu1")
    listing = client.get("/conferences/").get_data(as_text=True)
    assert "Hội nghị toàn Đảng bộ" in listing and "Hội nghị quán triệt Chỉ thị 05" in listing
    assert "Hội nghị Chi bộ 2" not in listing
    assert client.get(f"/conferences/{town_wide}").status_code == 200  # invited: sees it and its notice
    assert client.get(f"/conferences/{town_wide}/notice").status_code == 200
    assert client.get(f"/conferences/{town_wide}/roster").status_code == 404  # not the organiser
    assert client.get(f"/conferences/{town_wide}/edit").status_code == 404
    assert post(client, f"/conferences/{town_wide}/cancel").status_code == 404
    assert client.get(f"/conferences/{cell_b}").status_code == 404
    assert client.get(f"/conferences/{cell_b}/notice").status_code == 404
    member = english(app.test_client())
    login(member, "an")
    assert member.get("/conferences/").status_code == 403
    assert member.get(f"/conferences/{cell_conference}").status_code == 403
    capuy = english(app.test_client())
    login(capuy, "capuy")
    assert capuy.get(f"/conferences/{cell_b}/roster").status_code == 200  # the town oversees its cells


def test_the_list_separates_upcoming_and_past(app: Flask, client, town) -> None:
    with app.app_context():
        from learnhub.db import utcnow

        make_conference(town["a"].id, [town["a"].id], title="Hội nghị tuần sau",
                        starts_at=utcnow() + dt.timedelta(days=7))
        make_conference(town["a"].id, [town["a"].id], title="Hội nghị tháng trước",
                        starts_at=utcnow() - dt.timedelta(days=30))
    login(english(client), "bithu1")
    html = client.get("/conferences/").get_data(as_text=True)
    upcoming, past = html.split("Upcoming and under way")[1].split("<caption")
    assert "Hội nghị tuần sau" in upcoming and "Hội nghị tháng trước" not in upcoming
    assert "Hội nghị tháng trước" in past


def test_the_printable_notice(app: Flask, client, town, cell_conference) -> None:
    with app.app_context():
        conference = db.session.get(Conference, cell_conference)
        conference.agenda = "1. Khai mạc\n2. Thảo luận <script>alert(1)</script>"
        db.session.commit()
    login(english(client), "bithu1")
    notice = client.get(f"/conferences/{cell_conference}/notice").get_data(as_text=True)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in notice and "NOTICE" in notice and "-TB/CB" in notice
    assert "CHI BỘ KHU PHỐ 1" in notice and "ĐẢNG BỘ THỊ TRẤN" in notice  # the issuer and the unit above
    assert "Hội trường khu phố 1" in notice and "Đồng chí Bí thư Chi bộ" in notice
    assert "<li>Khai mạc</li>" in notice and "<script>alert(1)</script>" not in notice
    assert "css/conferences.css" in notice  # the print stylesheet


def test_a_new_conference_defaults_to_in_person(client, town) -> None:
    login(client, "bithu1")
    html = client.get("/conferences/new").get_data(as_text=True)
    selected = re.findall(r'<option[^>]*selected[^>]*value="([a-z_]+)"|<option[^>]*value="([a-z_]+)"[^>]*selected',
                          html)
    assert ("", "in_person") in selected or ("in_person", "") in selected
