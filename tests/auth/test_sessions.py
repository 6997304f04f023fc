"""Sessions: fresh at sign-in, refused on the server once revoked, ended by idle and absolute timeouts.

A "copied cookie" is what a thief who read someone's cookies would replay from another browser.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from learnhub.auth.models import MemberStatus, Role, User
from learnhub.extensions import db
from learnhub.members import services as member_services
from tests.conftest import PASSWORD, csrf_token, login, post

SESSION, REMEMBER = "learnhub", "learnhub_remember"


def signed_in(client: FlaskClient) -> bool:
    return client.get("/").status_code == 200


def replay(app: Flask, *cookies: tuple[str, str]) -> FlaskClient:
    """Another browser holding copies of the given cookies, and nothing else."""
    thief = app.test_client()
    for name, value in cookies:
        thief.set_cookie(name, value)
    return thief


def copy(client: FlaskClient, name: str) -> tuple[str, str]:
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return name, cookie.value


def change(app: Flask, username: str, **values) -> None:
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.username == username)).one()
        for key, value in values.items():
            setattr(user, key, value)
        db.session.commit()


def test_sign_in_starts_a_new_session_and_drops_what_came_before(app: Flask, client, town) -> None:
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    before = copy(client, SESSION)
    assert login(client, "an").status_code == 302
    after = copy(client, SESSION)
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session and session["_user_id"].startswith(f"{town['member_a'].id}:")
    assert not signed_in(replay(app, before))  # the cookie from before sign-in stays anonymous
    assert signed_in(replay(app, after))


def test_a_cookie_copied_before_sign_out_is_refused_afterwards(app: Flask, client, town) -> None:
    login(client, "an", remember="y")
    stolen = [copy(client, SESSION), copy(client, REMEMBER)]
    assert signed_in(replay(app, *stolen)) and signed_in(replay(app, stolen[1]))
    post(client, "/logout")
    for cookies in (stolen, stolen[:1], stolen[1:]):
        response = replay(app, *cookies).get("/")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_sign_out_ends_the_other_devices_too(app: Flask, town) -> None:
    phone, office = app.test_client(), app.test_client()
    login(phone, "an")
    login(office, "an")
    post(office, "/logout")
    assert not signed_in(phone)


def test_changing_ones_password_keeps_this_session_and_refuses_copies(app: Flask, client, town) -> None:
    login(client, "an", remember="y")
    stolen = [copy(client, SESSION), copy(client, REMEMBER)]
    token = csrf_token(client, "/account/password")
    response = client.post("/account/password", data={"csrf_token": token, "current_password": PASSWORD,
                                                      "new_password": "sen no trong ao", "confirm": "sen no trong ao"})
    assert response.status_code == 302
    assert signed_in(client)
    assert signed_in(replay(app, copy(client, REMEMBER)))  # this browser's own new cookie works
    for cookies in (stolen, stolen[:1], stolen[1:]):
        assert not signed_in(replay(app, *cookies))


def test_a_password_reset_by_the_committee_signs_the_member_out(app: Flask, client, town) -> None:
    login(client, "an")
    secretary = app.test_client()
    login(secretary, "bithu1")
    assert post(secretary, f"/members/{town['member_a'].id}/reset-password").status_code == 200
    assert not signed_in(client)


def test_deactivation_and_role_change_refuse_existing_sessions(app: Flask, town) -> None:
    cases = [("an", {"active": False}), ("binh", {"status": MemberStatus.left}),
             ("tuyentruyen", {"role": Role.member})]
    for username, values in cases:
        client = app.test_client()
        login(client, username, remember="y")
        stolen = copy(client, REMEMBER)
        change(app, username, **values)
        assert not signed_in(client), username
        assert not signed_in(replay(app, stolen)), username


def test_the_admin_pages_switching_an_account_off_end_its_sessions(app: Flask, town) -> None:
    member = app.test_client()
    login(member, "an")
    admin = app.test_client()
    login(admin, "admin")
    post(admin, f"/members/{town['member_a'].id}/account", {"role": "member"})  # "active" unticked
    assert not signed_in(member)


def test_an_exempted_member_stays_signed_in(app: Flask, ctx, town) -> None:
    client = app.test_client()
    login(client, "an")
    member = db.session.get(User, town["member_a"].id)
    member_services.set_member_status(member, MemberStatus.exempted, effective_on=dt.date(2026, 1, 5),
                                      reason="tuổi cao", actor=None)
    db.session.commit()
    assert signed_in(client)  # exempted members may still study


def test_idle_timeout_signs_out_after_thirty_quiet_minutes(app: Flask, client, town, clock) -> None:
    client.set_cookie("lh_lang", "en")
    login(client, "an")
    for _ in range(4):  # active every 29 minutes for two hours: still signed in
        clock.advance(minutes=29)
        assert signed_in(client)
    clock.advance(minutes=31)
    response = client.get("/")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out after 30 minutes without activity." in page
    assert not signed_in(client)


def test_the_idle_limit_is_a_setting(app: Flask, client, town, clock, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "IDLE_MINUTES", 5)
    login(client, "an")
    clock.advance(minutes=4)
    assert signed_in(client)
    clock.advance(minutes=6)
    assert not signed_in(client)


def test_last_seen_is_written_at_most_once_a_minute(app: Flask, client, town, clock) -> None:
    login(client, "an")
    client.get("/")
    clock.advance(seconds=20)
    assert "Set-Cookie" not in client.get("/").headers  # nothing new to keep
    clock.advance(seconds=50)
    assert SESSION in client.get("/").headers.get("Set-Cookie", "")


def test_absolute_timeout_ends_even_a_busy_or_remembered_sign_in(app: Flask, client, town, clock) -> None:
    client.set_cookie("lh_lang", "en")
    login(client, "an", remember="y")
    remembered = copy(client, REMEMBER)
    for _ in range(35):  # busy every 20 minutes for 11 h 40 min
        clock.advance(minutes=20)
        assert signed_in(client)
    clock.advance(minutes=21)  # 12 h 1 min after signing in with the password
    response = client.get("/")
    assert response.status_code == 302
    assert "signed out 12 hours after signing in" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert not signed_in(replay(app, remembered))


def test_keep_me_signed_in_waives_only_the_idle_timeout(app: Flask, client, town, clock) -> None:
    login(client, "an", remember="y")
    remembered = copy(client, REMEMBER)
    clock.advance(hours=3)
    assert signed_in(client)
    restarted = replay(app, remembered)  # the browser was closed: only the remember cookie is left
    assert signed_in(restarted)
    clock.advance(hours=2)
    assert signed_in(restarted)  # the restored session keeps "keep me signed in"
    with app.app_context():
        assert app.config["REMEMBER_COOKIE_DURATION"] == dt.timedelta(hours=12)


def test_a_session_without_remember_me_leaves_no_lasting_cookie(client, town) -> None:
    login(client, "an")
    assert client.get_cookie(REMEMBER) is None
    assert client.get_cookie(SESSION).expires is None  # gone when the browser closes
