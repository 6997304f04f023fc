"""The organiser's roster: who is on it, one-tap marks with and without JavaScript, search, counts,
guests and head counts; every change audited once."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.auth.models import Category, MemberStatus, Role, User
from learnhub.conferences import attendance
from learnhub.conferences.models import Attendance, AttendanceStatus, Conference, ConferenceGuest
from learnhub.extensions import db
from learnhub.orgs.models import UnitKind
from tests.conferences.conftest import english
from tests.conftest import csrf_token, login, post


def names_on(html: str) -> list[str]:
    return re.findall(r'<span id="name-\d+">([^<]+)</span>', html)


def actions(prefix: str) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like(f"{prefix}%")).order_by(AuditEntry.id)))


def test_the_roster_lists_active_accounts_of_the_invited_subtree_in_vietnamese_order(
        app: Flask, client, town, cell_conference, make_user, make_unit) -> None:
    group = make_unit("Tổ 1", UnitKind.cell, parent=town["a"])
    make_user(unit=group, full_name="Đặng Thị Ánh", category=Category.citizen)  # below cell A, a citizen
    make_user(unit=town["a"], full_name="Trần Văn Bảo", active=False)  # account switched off
    moved = make_user(unit=town["a"], full_name="Phan Văn Cường")
    with app.app_context():
        db.session.get(User, moved.id).status = MemberStatus.moved
        db.session.commit()
    login(english(client), "bithu1")
    html = client.get(f"/conferences/{cell_conference}/roster").get_data(as_text=True)
    # given name first, Vietnamese letters: An < Ánh < Lan < Tâm
    assert names_on(html) == ["Nguyễn Văn An", "Đặng Thị Ánh", "Lê Thị Lan", "Vũ Minh Tâm"]
    assert "Hoàng Thị Bình" not in html  # cell B is not invited
    assert 'data-testid="check-in-url"' in html and "http://localhost/conferences/check-in/" in html
    assert "<svg" in html  # the QR code, drawn on the server


def test_search_by_name_ignores_diacritics(app: Flask, client, town, cell_conference) -> None:
    login(english(client), "bithu1")
    html = client.get(f"/conferences/{cell_conference}/roster?q=nguyen van").get_data(as_text=True)
    assert names_on(html) == ["Nguyễn Văn An"]
    assert names_on(client.get(f"/conferences/{cell_conference}/roster?q=LAN").get_data(as_text=True)) == ["Lê Thị Lan"]
    assert names_on(client.get(f"/conferences/{cell_conference}/roster?q=zzz").get_data(as_text=True)) == []


def test_a_tap_without_javascript_marks_once_and_comes_back_to_the_row(app: Flask, client, town, cell_conference) -> None:
    login(english(client), "bithu1")
    url = f"/conferences/{cell_conference}/attendance"
    an = town["member_a"].id
    response = post(client, url, {"member": an, "status": "present", "q": "nguyen"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/conferences/{cell_conference}/roster?q=nguyen#member-{an}")
    assert post(client, url, {"member": an, "status": "present"}).status_code == 302  # the same tap again
    with app.app_context():
        row = db.session.scalars(sa.select(Attendance)).one()
        assert (row.status, row.method.value, row.recorded_by_id) == (AttendanceStatus.present, "roster", town["bithu1"].id)
        assert actions("attendance.") == ["attendance.mark"]  # repeating changes nothing
    post(client, url, {"member": an, "status": "excused"})
    with app.app_context():
        assert db.session.scalars(sa.select(Attendance)).one().status == AttendanceStatus.excused
        entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.before, entry.after["status"]) == ({"user_id": an, "status": "present"}, "excused")
    html = client.get(f"/conferences/{cell_conference}/roster").get_data(as_text=True)
    row = html.split(f'id="member-{an}"')[1].split("</tr>")[0]
    assert 'value="excused" class="lh-roster__button lh-roster__button--excused" aria-pressed="true"' in row


def test_a_tap_with_javascript_answers_json_with_the_counts(app: Flask, client, town, cell_conference) -> None:
    login(english(client), "bithu1")
    token = csrf_token(client, f"/conferences/{cell_conference}/roster")
    response = client.post(f"/conferences/{cell_conference}/attendance",
                           data={"member": town["member_a"].id, "status": "present"},
                           headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert response.status_code == 200
    data = response.get_json()
    assert (data["member"], data["status"], data["label"]) == (town["member_a"].id, "present", "Present")
    assert data["counts"] == {"invited": 3, "present": 1, "excused": 0, "absent": 0, "unmarked": 2}
    assert data["detail"].startswith("marked by the organiser, ")
    state = client.get(f"/conferences/{cell_conference}/roster.json").get_json()
    assert state == {"counts": data["counts"], "marks": {str(town["member_a"].id): "present"}}
    refused = client.post(f"/conferences/{cell_conference}/attendance",
                          data={"member": town["member_b"].id, "status": "present"},
                          headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert refused.status_code == 400 and refused.get_json() == {"error": "This person is not on the conference's roster."}
    no_token = client.post(f"/conferences/{cell_conference}/attendance",
                           data={"member": town["member_a"].id, "status": "absent"}, headers={"Accept": "application/json"})
    assert no_token.status_code == 400
    with app.app_context():
        assert db.session.scalars(sa.select(Attendance.status)).all() == [AttendanceStatus.present]


def test_bad_marks_are_refused_with_a_message(app: Flask, client, town, cell_conference) -> None:
    login(english(client), "bithu1")
    url = f"/conferences/{cell_conference}/attendance"
    outsider = post(client, url, {"member": town["member_b"].id, "status": "present"})
    assert outsider.status_code == 400 and "not on the conference&#39;s roster" in outsider.get_data(as_text=True)
    assert post(client, url, {"member": town["member_a"].id, "status": "asleep"}).status_code == 400
    assert post(client, url, {"member": "x", "status": "present"}).status_code == 400
    assert post(client, url, {"member": 999999, "status": "present"}).status_code == 400
    post(client, f"/conferences/{cell_conference}/cancel")
    cancelled = post(client, url, {"member": town["member_a"].id, "status": "present"})
    assert cancelled.status_code == 400 and "cancelled" in cancelled.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_counts_follow_the_marks(app: Flask, town, cell_conference) -> None:
    with app.app_context():
        conference = db.session.get(Conference, cell_conference)
        organiser = db.session.get(User, town["bithu1"].id)
        for key, status in (("member_a", AttendanceStatus.present), ("propagandist", AttendanceStatus.absent)):
            attendance.mark(conference, db.session.get(User, town[key].id), status, by=organiser)
        db.session.commit()
        counts = attendance.counts(conference)
        assert (counts.invited, counts.present, counts.excused, counts.absent, counts.unmarked) == (3, 1, 0, 1, 1)
        # a member who moves away afterwards keeps their mark on the roster
        db.session.get(User, town["member_a"].id).status = MemberStatus.moved
        db.session.commit()
        assert attendance.counts(conference).present == 1
        assert [r.full_name for r in attendance.roster(conference)][0] == "Nguyễn Văn An"


def test_guests_and_head_counts(app: Flask, client, town, cell_conference) -> None:
    login(english(client), "bithu1")
    base = f"/conferences/{cell_conference}"
    guest = {"kind": "civil_servant", "name": "  Ngô Văn  Khách ", "organisation": "Phòng Tư pháp huyện"}
    assert post(client, f"{base}/guests", guest).status_code == 302
    again = post(client, f"{base}/guests", guest, follow_redirects=True)
    assert "Ngô Văn Khách is already on the list of guests." in again.get_data(as_text=True)
    post(client, f"{base}/guests", {"kind": "citizen"})  # a citizen who gave no name
    assert post(client, f"{base}/guests", {"kind": "monk"}).status_code == 400
    assert post(client, f"{base}/guests", {"kind": "citizen", "name": "x" * 201}).status_code == 400
    assert post(client, f"{base}/head-counts", {"unnamed_civil_servants": 4, "unnamed_citizens": 25}).status_code == 302
    assert post(client, f"{base}/head-counts", {"unnamed_civil_servants": 4, "unnamed_citizens": 25}).status_code == 302
    negative = post(client, f"{base}/head-counts", {"unnamed_civil_servants": -1, "unnamed_citizens": 2})
    assert negative.status_code == 400 and "whole numbers from 0" in negative.get_data(as_text=True)
    assert post(client, f"{base}/head-counts", {"unnamed_civil_servants": "", "unnamed_citizens": 2}).status_code == 400
    with app.app_context():
        conference = db.session.get(Conference, cell_conference)
        assert (conference.unnamed_civil_servants, conference.unnamed_citizens) == (4, 25)
        guests = db.session.scalars(sa.select(ConferenceGuest).order_by(ConferenceGuest.id)).all()
        assert [(g.kind.value, g.name, g.organisation) for g in guests] == [
            ("civil_servant", "Ngô Văn Khách", "Phòng Tư pháp huyện"), ("citizen", "", "")]
        assert sorted(actions("conference.")) == ["conference.create", "conference.guest_add", "conference.guest_add",
                                                  "conference.head_counts"]
        citizen_id = guests[1].id
    html = client.get(f"{base}/roster").get_data(as_text=True)
    assert "Ngô Văn Khách" in html and "Phòng Tư pháp huyện" in html
    assert post(client, f"{base}/guests/{citizen_id}/remove").status_code == 302
    assert post(client, f"{base}/guests/{citizen_id}/remove").status_code == 302  # already gone: nothing happens
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ConferenceGuest)) == 1
        assert actions("conference.guest_remove") == ["conference.guest_remove"]


def test_the_roster_page_queries_do_not_grow_with_the_hall(app: Flask, client, town, cell_conference, make_user,
                                                           count_queries) -> None:
    login(english(client), "bithu1")
    url = f"/conferences/{cell_conference}/roster"
    client.get(url)
    with count_queries() as small:
        client.get(url)
    for n in range(40):
        make_user(unit=town["a"], full_name=f"Người Dự Số {n}", role=Role.member)
    with count_queries() as large:
        html = client.get(url).get_data(as_text=True)
    assert len(names_on(html)) == 43
    assert len(large) <= len(small)  # never grows with the roster


def test_a_large_roster_comes_a_hundred_names_a_page_and_a_mark_returns_to_its_page(
        app: Flask, client, town, cell_conference, make_user) -> None:
    for n in range(110):
        make_user(unit=town["a"], full_name=f"Người Dự {n:03d}", role=Role.member)
    login(english(client), "bithu1")
    url = f"/conferences/{cell_conference}/roster"
    first = client.get(url).get_data(as_text=True)
    second = client.get(f"{url}?page=2").get_data(as_text=True)
    assert len(names_on(first)) == 100 and len(names_on(second)) == 13  # 113 on the roster
    assert set(names_on(first)).isdisjoint(names_on(second))
    assert "Page 1 of 2 · 113 in all" in first and 'rel="next"' in first and "page=2" in first
    assert '<input type="hidden" name="page" value="2">' in second
    assert client.get(f"{url}?page=0").status_code == 400
    with app.app_context():
        member_id = db.session.scalar(sa.select(User.id).where(User.full_name == "Người Dự 109"))
    response = post(client, f"/conferences/{cell_conference}/attendance",
                    {"member": member_id, "status": "present", "page": "2"})
    assert response.headers["Location"].endswith(f"/roster?page=2#member-{member_id}")
