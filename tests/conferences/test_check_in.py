"""Self check-in: the window, the token, the roster, once only, and a cancelled conference refuses."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.auth.models import User
from learnhub.conferences import attendance, check_in, services
from learnhub.conferences.models import Attendance, AttendanceStatus, CheckInMethod, Conference
from learnhub.extensions import db
from tests.conferences.conftest import english, make_conference
from tests.conftest import PASSWORD, csrf_token, login, post

START = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)  # 08:00 in Hanoi


@pytest.fixture
def scheduled(app: Flask, town) -> int:
    """Cell A's conference on 1 December 2026, 08:00 to 10:00 Hanoi time."""
    with app.app_context():
        return make_conference(town["a"].id, [town["a"].id], starts_at=START, hours=2)


def token_of(app: Flask, conference_id: int) -> str:
    with app.app_context():
        return db.session.get(Conference, conference_id).check_in_token


def rows() -> list[tuple]:
    return db.session.execute(sa.select(Attendance.conference_id, Attendance.user_id, Attendance.status,
                                         Attendance.method)).all()


@pytest.mark.parametrize(("minutes", "refused"), [
    (-31, "not_yet"), (-30, None), (0, None), (119, None), (120, None), (121, "closed"), (60 * 24, "closed"),
])
def test_the_window_opens_30_minutes_before_and_closes_at_the_end(app: Flask, town, scheduled, minutes, refused) -> None:
    with app.app_context():
        conference = db.session.get(Conference, scheduled)
        member = db.session.get(User, town["member_a"].id)
        now = START + dt.timedelta(minutes=minutes)
        assert check_in.state(conference, member, now).refused == refused
        if refused:
            with pytest.raises(check_in.CheckInRefused, match=refused):
                check_in.check_in(conference, member, now)
            assert rows() == []
        else:
            _row, recorded = check_in.check_in(conference, member, now)
            assert recorded and rows() == [(scheduled, member.id, AttendanceStatus.present, CheckInMethod.self_check_in)]


def test_only_the_roster_and_never_a_cancelled_conference(app: Flask, town, scheduled) -> None:
    with app.app_context():
        conference = db.session.get(Conference, scheduled)
        during = START + dt.timedelta(minutes=5)
        outsider = db.session.get(User, town["member_b"].id)  # cell B: not invited
        with pytest.raises(check_in.CheckInRefused, match="not_invited"):
            check_in.check_in(conference, outsider, during)
        services.cancel_conference(conference)
        with pytest.raises(check_in.CheckInRefused, match="cancelled"):
            check_in.check_in(conference, db.session.get(User, town["member_a"].id), during)
        assert rows() == []


def test_a_member_marked_absent_who_arrives_checks_in_present(app: Flask, town, scheduled) -> None:
    with app.app_context():
        conference = db.session.get(Conference, scheduled)
        member = db.session.get(User, town["member_a"].id)
        attendance.mark(conference, member, AttendanceStatus.absent, by=db.session.get(User, town["bithu1"].id))
        _row, recorded = check_in.check_in(conference, member, START)
        assert recorded and rows() == [(scheduled, member.id, AttendanceStatus.present, CheckInMethod.self_check_in)]


def test_the_link_asks_for_sign_in_and_comes_back(app: Flask, client, town, cell_conference) -> None:
    url = f"/conferences/check-in/{token_of(app, cell_conference)}"
    english(client)
    response = client.get(url)
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    token = csrf_token(client, "/login")
    signed_in = client.post(response.headers["Location"],
                            data={"username": "an", "password": PASSWORD, "csrf_token": token})
    assert signed_in.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    assert "You are checking in as Nguyễn Văn An." in page and 'data-testid="check-in-button"' in page
    with app.app_context():
        assert rows() == []  # opening the link changes nothing


def test_check_in_once_then_already_checked_in(app: Flask, client, town, cell_conference) -> None:
    url = f"/conferences/check-in/{token_of(app, cell_conference)}"
    login(english(client), "an")
    first = post(client, url)
    assert first.status_code == 302 and first.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    assert "You are checked in. Welcome to the conference." in page
    with app.app_context():
        recorded_at = db.session.scalar(sa.select(Attendance.recorded_at))
    from flask_babel import format_time

    with app.test_request_context():
        local = format_time(recorded_at, "HH:mm")
    assert f"Already checked in at {local}" in page and 'data-testid="check-in-button"' not in page
    second = post(client, url, follow_redirects=True)
    assert second.status_code == 200 and f"Already checked in at {local}" in second.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Attendance.recorded_at)) == recorded_at  # nothing changed
        assert list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("attendance%")))) == [
            "attendance.check_in"]
    organiser = english(app.test_client())
    login(organiser, "bithu1")
    roster = organiser.get(f"/conferences/{cell_conference}/roster").get_data(as_text=True)
    row = roster.split('data-testid="roster-an"')[1].split("</tr>")[0]
    assert "checked in by QR code" in row and 'aria-pressed="true">Present' in row


def test_tokens_of_other_and_cancelled_conferences(app: Flask, client, town, cell_conference) -> None:
    with app.app_context():
        other = make_conference(town["b"].id, [town["b"].id], title="Hội nghị Chi bộ 2")
    login(english(client), "an")
    other_url = f"/conferences/check-in/{token_of(app, other)}"
    assert "You are not on the list" in client.get(other_url).get_data(as_text=True)
    refused = post(client, other_url)
    assert refused.status_code == 403 and "You are not on the list" in refused.get_data(as_text=True)
    assert client.get("/conferences/check-in/not-a-token").status_code == 404
    assert post(client, "/conferences/check-in/not-a-token").status_code == 404
    organiser = english(app.test_client())
    login(organiser, "bithu1")
    post(organiser, f"/conferences/{cell_conference}/cancel")
    url = f"/conferences/check-in/{token_of(app, cell_conference)}"
    cancelled = post(client, url)
    assert cancelled.status_code == 400 and "This conference was cancelled." in cancelled.get_data(as_text=True)
    with app.app_context():
        assert rows() == []


def test_outside_the_window_the_page_says_when(app: Flask, client, town) -> None:
    from learnhub.db import utcnow

    with app.app_context():
        later = make_conference(town["a"].id, [town["a"].id], starts_at=utcnow() + dt.timedelta(hours=3))
        earlier = make_conference(town["a"].id, [town["a"].id], starts_at=utcnow() - dt.timedelta(hours=5))
    login(english(client), "an")
    early = post(client, f"/conferences/check-in/{token_of(app, later)}")
    assert early.status_code == 400 and "Check-in opens at" in early.get_data(as_text=True)
    late = post(client, f"/conferences/check-in/{token_of(app, earlier)}")
    assert late.status_code == 400 and "Check-in closed at" in late.get_data(as_text=True)
    with app.app_context():
        assert rows() == []


def test_a_new_token_retires_the_old_qr_code(app: Flask, client, town, cell_conference) -> None:
    old = token_of(app, cell_conference)
    organiser = english(app.test_client())
    login(organiser, "bithu1")
    assert post(organiser, f"/conferences/{cell_conference}/token").status_code == 302
    new = token_of(app, cell_conference)
    assert new != old and new in organiser.get(f"/conferences/{cell_conference}/roster").get_data(as_text=True)
    login(english(client), "an")
    assert post(client, f"/conferences/check-in/{old}").status_code == 404
    assert post(client, f"/conferences/check-in/{new}").status_code == 302
    with app.app_context():
        assert len(rows()) == 1


def test_two_taps_at_the_same_moment_make_one_row(app: Flask, town, cell_conference) -> None:
    url = f"/conferences/check-in/{token_of(app, cell_conference)}"
    clients = [english(app.test_client()) for _ in range(2)]
    tokens = []
    for c in clients:
        login(c, "an")
        tokens.append(csrf_token(c, url))
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def tap(c, token) -> None:
        barrier.wait()
        statuses.append(c.post(url, data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=tap, args=pair) for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [302, 302]
    with app.app_context():
        assert len(rows()) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "attendance.check_in")) == 1


def test_a_mark_written_by_another_request_meanwhile_is_kept(app: Flask, town, scheduled, monkeypatch) -> None:
    """The race the unique constraint settles: our read saw no row, another request inserted one."""
    with app.app_context():
        conference = db.session.get(Conference, scheduled)
        member = db.session.get(User, town["member_a"].id)
        db.session.add(Attendance(conference_id=scheduled, user_id=member.id, status=AttendanceStatus.present,
                                  method=CheckInMethod.self_check_in, recorded_at=START))
        db.session.commit()
        real, calls = attendance.attendance_of, []

        def stale_first(conference, user_id):
            calls.append(user_id)
            return None if len(calls) == 1 else real(conference, user_id)

        monkeypatch.setattr(attendance, "attendance_of", stale_first)
        row, recorded = attendance.record(conference, member, AttendanceStatus.present,
                                          method=CheckInMethod.self_check_in, by=member, now=START)
        db.session.commit()
        assert not recorded and row.recorded_at == START and len(calls) == 2
        assert len(rows()) == 1


TITLE, PLACE = "Hội nghị quán triệt Chỉ thị 05", "Hội trường khu phố 1"


@pytest.mark.parametrize(("username", "sees"), [
    ("an", "button"), ("bithu1", "button"), ("capuy", "not invited"), ("admin", "not invited"),
    ("binh", None), ("bithu2", None),
])
def test_the_link_shows_the_conference_only_to_those_invited_or_in_scope(
        app: Flask, client, town, cell_conference, username, sees) -> None:
    """Cell A's conference: its members and organiser see it, the town committee sees it with the
    reason it cannot check in, while a member and the secretary of cell B get a refusal naming nothing."""
    url = f"/conferences/check-in/{token_of(app, cell_conference)}"
    login(english(client), username)
    for response in (client.get(url), post(client, url) if sees is None else None):
        if response is None:
            continue
        page = response.get_data(as_text=True)
        if sees is None:
            assert response.status_code == 403 and "You are not on the list" in page
            assert TITLE not in page and PLACE not in page and "Chỉ thị 05" not in page
        else:
            assert TITLE in page and PLACE in page
            assert ('data-testid="check-in-button"' in page) == (sees == "button")
            assert ("You are not on the list" in page) == (sees == "not invited")
    with app.app_context():
        assert rows() == []


def test_a_presenter_not_on_the_roster_sees_the_conference(app: Flask, client, town) -> None:
    with app.app_context():
        presenter = db.session.get(User, town["member_b"].id)
        conference = make_conference(town["a"].id, [town["a"].id], presenter_accounts=[presenter])
    login(english(client), "binh")
    page = client.get(f"/conferences/check-in/{token_of(app, conference)}").get_data(as_text=True)
    assert TITLE in page and "You are not on the list" in page
