"""Private calendar feeds: a member's due dates and conferences, a unit's for its committee,
revocable secret addresses that open nothing else."""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from flask import Flask

from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.notify.models import CalendarFeed
from learnhub.orgs.models import Unit
from learnhub.settings import local_today
from tests.conftest import login, post
from tests.plans.test_member_plans import make_plan


def unfold(ics: str) -> list[str]:
    """The content lines of an iCalendar text (RFC 5545 3.1: CRLF then a space continues a line)."""
    assert "\n" not in ics.replace("\r\n", "")
    return ics.replace("\r\n ", "").split("\r\n")[:-1]


def events(ics: str) -> list[dict[str, str]]:
    found, current = [], None
    for line in unfold(ics):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, _sep, value = line.partition(":")
            current[name] = value
    return found


def new_address(client, unit: int | None = None) -> str:
    response = post(client, "/account/calendar", {"unit": "" if unit is None else str(unit)})
    assert response.status_code == 302
    html = client.get("/account/reminders").get_data(as_text=True)
    address = re.search(r'<code id="new-feed">([^<]+)</code>', html).group(1)
    assert "new-feed" not in client.get("/account/reminders").get_data(as_text=True)  # shown once
    return address.removeprefix("http://localhost")


def conference(app: Flask, unit_id: int, title: str) -> None:
    from learnhub.conferences import services

    with app.test_request_context():
        services.create_conference(unit=db.session.get_one(Unit, unit_id), title=title,
                                   starts_at=utcnow() + dt.timedelta(days=1),
                                   ends_at=utcnow() + dt.timedelta(days=1, hours=2),
                                   invited_units=[db.session.get_one(Unit, unit_id)])
        db.session.commit()


def test_a_members_feed_holds_their_due_dates_and_conferences(app: Flask, town: dict, make_course, client) -> None:
    make_course()
    make_plan(app, town, due_in=5, target="a", title="Kế hoạch chi bộ 1, quý I; học tập")
    make_plan(app, town, due_in=5, target="b", title="Kế hoạch chi bộ 2")
    conference(app, town["a"].id, "Hội nghị chi bộ 1")
    conference(app, town["b"].id, "Hội nghị chi bộ 2")
    login(client, "an")
    address = new_address(client)
    client.post("/logout")

    response = app.test_client().get(address)  # no session: the address is the credential
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"].startswith("private")
    ics = response.get_data(as_text=True)
    assert unfold(ics)[0] == "BEGIN:VCALENDAR" and unfold(ics)[-1] == "END:VCALENDAR"
    found = events(ics)
    due = [e for e in found if "DTSTART;VALUE=DATE" in e]
    assert [e["SUMMARY"].split(": ", 1)[1] for e in due] == ["Kế hoạch chi bộ 1\\, quý I\\; học tập"]
    assert due[0]["DTSTART;VALUE=DATE"] == f"{local_today() + dt.timedelta(days=5):%Y%m%d}"
    assert "3" in due[0]["DESCRIPTION"]  # what remains: 3 lessons
    assert [e["SUMMARY"] for e in found if "DTSTART" in e] == ["Hội nghị chi bộ 1"]
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))


def test_a_new_address_or_revoking_makes_the_old_one_404(app: Flask, town: dict, make_course, client) -> None:
    make_course()
    login(client, "an")
    first = new_address(client)
    second = new_address(client)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    with app.app_context():
        feed_id = db.session.scalar(sa.select(CalendarFeed.id).where(CalendarFeed.revoked_at.is_(None)))
    assert post(client, f"/account/calendar/{feed_id}/revoke").status_code == 302
    assert client.get(second).status_code == 404
    assert client.get("/calendar/" + "x" * 43 + ".ics").status_code == 404
    with app.app_context():  # only the hash is kept
        assert all(second.split("/")[-1].removesuffix(".ics") not in h
                   for h in db.session.scalars(sa.select(CalendarFeed.token_hash)))


def test_another_members_feed_cannot_be_revoked(app: Flask, town: dict, make_course, client) -> None:
    make_course()
    login(client, "an")
    new_address(client)
    client.post("/logout")
    other = app.test_client()
    login(other, "binh")
    assert post(other, "/account/calendar/1/revoke").status_code == 404


def test_the_token_grants_nothing_else(app: Flask, town: dict, make_course, client) -> None:
    make_course()
    login(client, "an")
    address = new_address(client)
    stranger = app.test_client()
    assert stranger.get(address).status_code == 200
    assert stranger.get("/", headers={"Authorization": "Bearer " + address.split("/")[-1]}).status_code == 302


def test_unit_feeds_for_the_committee_in_scope(app: Flask, town: dict, make_course, client) -> None:
    make_course()
    make_plan(app, town, due_in=5, target="a", title="Kế hoạch chi bộ 1")
    make_plan(app, town, due_in=5, target="b", title="Kế hoạch chi bộ 2")
    conference(app, town["a"].id, "Hội nghị chi bộ 1")
    login(client, "bithu1")
    address = new_address(client, town["a"].id)
    summaries = [e["SUMMARY"] for e in events(client.get(address).get_data(as_text=True))]
    assert any("Kế hoạch chi bộ 1" in s for s in summaries) and "Hội nghị chi bộ 1" in summaries
    assert not any("chi bộ 2" in s for s in summaries)
    # Another cell's unit is refused; a member cannot make a unit feed at all.
    assert post(client, "/account/calendar", {"unit": str(town["b"].id)}).status_code in (400, 404)
    member = app.test_client()
    login(member, "an")
    assert post(member, "/account/calendar", {"unit": str(town["a"].id)}).status_code in (400, 404)
    # Once the secretary no longer oversees the cell, the address stops working.
    from learnhub.orgs.models import UnitAssignment

    with app.app_context():
        db.session.execute(sa.delete(UnitAssignment).where(UnitAssignment.user_id == town["bithu1"].id))
        db.session.commit()
    assert client.get(address).status_code == 404


def test_the_reminder_page_says_where_messages_go(app: Flask, town: dict, client) -> None:
    with app.app_context():
        from learnhub.auth.models import User

        db.session.get_one(User, town["member_a"].id).phone = "0912345678"
        db.session.commit()
    login(client, "an")
    html = client.get("/account/reminders").get_data(as_text=True)
    assert "+84912345678" in html and "chưa có địa chỉ e-mail" in html


def test_a_due_date_on_the_last_day_there_is_makes_a_feed_not_a_crash() -> None:
    from learnhub.notify.calendar import Event, to_ical

    event = Event(uid="plan-1@x", summary="Kế hoạch; số 1, năm\nmới", day=dt.date.max)
    text = to_ical("Lịch", [event])
    assert "DTSTART;VALUE=DATE:99991231\r\n" in text and "SUMMARY:Kế hoạch\\; số 1\\, năm\\nmới\r\n" in text
