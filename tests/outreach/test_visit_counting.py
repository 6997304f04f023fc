"""Visits are counted once per browser, module and day, without personal data."""
from __future__ import annotations

import datetime as dt
import logging

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import Category
from learnhub.extensions import db
from learnhub.outreach import visits
from learnhub.outreach.models import PublicVisit
from tests.conftest import login

PAGE = "/public/nghi-quyet-cong-khai"
IP = "203.0.113.77"
PHONE = "Mozilla/5.0 (Linux; Android 10; Redmi 9A) Mobile Safari/537.36"


def counted(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(PublicVisit))


@pytest.fixture
def day(monkeypatch) -> list[dt.date]:
    """The counting day, frozen; tests move it by changing day[0]."""
    frozen = [dt.date(2026, 5, 10)]
    monkeypatch.setattr(visits, "today", lambda: frozen[0])
    return frozen


def test_reloads_the_same_day_count_once_and_the_next_day_counts_again(app: Flask, town, public_module, day) -> None:
    public_module()
    browser = app.test_client()
    first = browser.get(PAGE, headers={"User-Agent": PHONE})
    cookie = first.headers.getlist("Set-Cookie")
    visitor_cookie = next(c for c in cookie if c.startswith("lh_visitor="))
    assert "HttpOnly" in visitor_cookie and "SameSite=Lax" in visitor_cookie and "Path=/public" in visitor_cookie
    assert "Max-Age=31536000" in visitor_cookie and "Secure" not in visitor_cookie
    assert counted(app) == 1
    for _ in range(3):
        again = browser.get(PAGE, headers={"User-Agent": PHONE})
        assert again.status_code == 200 and not any(c.startswith("lh_visitor=") for c in again.headers.getlist("Set-Cookie"))
    assert counted(app) == 1

    day[0] = dt.date(2026, 5, 11)
    browser.get(PAGE, headers={"User-Agent": PHONE})
    assert counted(app) == 2
    with app.app_context():
        hashes = db.session.scalars(sa.select(PublicVisit.visitor).order_by(PublicVisit.day)).all()
    assert hashes[0] != hashes[1]  # the same browser cannot be followed from one day to the next


def test_each_browser_counts_and_robots_do_not(app: Flask, town, public_module, day) -> None:
    public_module()
    app.test_client().get(PAGE, headers={"User-Agent": PHONE})
    app.test_client().get(PAGE, headers={"User-Agent": PHONE})
    assert counted(app) == 2
    for robot in ("Googlebot/2.1", "Mozilla/5.0 (compatible; AhrefsCrawler)", "Baiduspider",
                  "Zalo link PREVIEW", "facebookexternalhit/1.1 Facebot"):
        response = app.test_client().get(PAGE, headers={"User-Agent": robot})
        assert response.status_code == 200 and "lh_visitor" not in response.headers.get("Set-Cookie", "")
    assert app.test_client().head(PAGE, headers={"User-Agent": PHONE}).status_code == 200
    assert counted(app) == 2


def test_a_cookie_we_did_not_issue_is_replaced(app: Flask, town, public_module, day) -> None:
    public_module()
    browser = app.test_client()
    browser.set_cookie("lh_visitor", "<script>", path="/public")
    response = browser.get(PAGE)
    assert any(c.startswith("lh_visitor=") and "<script>" not in c for c in response.headers.getlist("Set-Cookie"))
    browser.get(PAGE)
    assert counted(app) == 1


def test_the_cookie_is_secure_over_https(app: Flask, town, public_module, day) -> None:
    public_module()
    response = app.test_client().get(PAGE, base_url="https://localhost")
    assert "Secure" in next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("lh_visitor="))


def test_signed_in_party_members_are_not_counted_but_citizens_are(app: Flask, town, public_module, make_user,
                                                                  day) -> None:
    public_module()
    member = app.test_client()
    login(member, "an")
    assert member.get(PAGE).status_code == 200
    assert counted(app) == 0
    make_user(username="dan", category=Category.citizen, unit=town["a"], full_name="Ngô Thị Dân")
    citizen = app.test_client()
    login(citizen, "dan")
    citizen.get(PAGE)
    assert counted(app) == 1


def test_no_address_or_browser_detail_is_kept_or_logged(app: Flask, town, public_module, day, caplog) -> None:
    public_module()
    caplog.set_level(logging.DEBUG)
    browser = app.test_client()
    browser.get(PAGE, headers={"User-Agent": PHONE, "X-Forwarded-For": IP}, environ_base={"REMOTE_ADDR": IP})
    token = browser.get_cookie("lh_visitor", path="/public").value
    with app.app_context():
        row = db.session.scalars(sa.select(PublicVisit)).one()
        assert set(PublicVisit.__table__.columns.keys()) == {"id", "course_id", "day", "visitor"}
        assert row.day == dt.date(2026, 5, 10) and len(row.visitor) == 64
        assert row.visitor == visits.visitor_hash(token, row.day) and token not in row.visitor
        everything = " ".join(str(r) for table in db.metadata.sorted_tables
                              for r in db.session.execute(sa.select(table)).all())
    assert IP not in everything and "Redmi" not in everything and token not in everything
    assert IP not in caplog.text


def test_a_repeat_in_the_same_transaction_is_ignored_safely(ctx, town, public_module) -> None:
    course_id = public_module()
    token = visits.new_token()
    assert visits.count_visit(course_id, token, dt.date(2026, 1, 5)) is True
    assert visits.count_visit(course_id, token, dt.date(2026, 1, 5)) is False  # no IntegrityError
    assert visits.count_visit(course_id, token, dt.date(2026, 1, 6)) is True
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PublicVisit)) == 2


def test_visits_by_month(ctx, town, public_module) -> None:
    course_id = public_module()
    other = public_module(slug="chi-thi-khac")
    days = [dt.date(2026, 1, 31), dt.date(2026, 1, 1), dt.date(2026, 3, 15), dt.date(2026, 12, 31),
            dt.date(2025, 12, 31), dt.date(2027, 1, 1)]
    for day in days:
        visits.count_visit(course_id, visits.new_token(), day)
    visits.count_visit(course_id, visits.new_token(), dt.date(2026, 3, 15))
    visits.count_visit(other, visits.new_token(), dt.date(2026, 3, 15))
    db.session.commit()
    expected = {m: 0 for m in range(1, 13)} | {1: 2, 3: 2, 12: 1}
    assert visits.visits_by_month(course_id, 2026) == expected
    assert visits.visits_by_month(course_id, 2025) == {m: 0 for m in range(1, 13)} | {12: 1}
    assert visits.visits_by_month(other, 2026)[3] == 1


def test_outreach_visits_counts_modules_owned_in_the_subtree(ctx, town, public_module, make_unit) -> None:
    from learnhub.orgs.models import UnitKind

    group = make_unit("Tổ 1", UnitKind.cell, parent=town["a"])
    owned = {"root": public_module("cua-thi-tran", owner=town["root"]), "a": public_module("cua-chi-bo-1"),
             "group": public_module("cua-to-1", owner=group), "b": public_module("cua-chi-bo-2", owner=town["b"])}
    made = {"root": 1, "a": 2, "group": 4, "b": 8}
    for key, course_id in owned.items():
        for _ in range(made[key]):
            visits.count_visit(course_id, visits.new_token(), dt.date(2026, 6, 1))
    visits.count_visit(owned["a"], visits.new_token(), dt.date(2025, 12, 31))  # outside the range
    visits.count_visit(owned["a"], visits.new_token(), dt.date(2026, 12, 31))  # the last day counts
    db.session.commit()
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert visits.outreach_visits(town["root"].id, *year) == 1 + 3 + 4 + 8
    assert visits.outreach_visits(town["a"].id, *year) == 3 + 4
    assert visits.outreach_visits(group.id, *year) == 4
    assert visits.outreach_visits(town["b"].id, *year) == 8
    assert visits.outreach_visits(town["a"].id, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == 1
    assert visits.outreach_visits(town["b"].id, dt.date(2026, 6, 2), dt.date(2026, 12, 31)) == 0
