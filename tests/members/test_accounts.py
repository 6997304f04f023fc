"""Accounts for people who never had one: slips, first passwords, forced and self-service changes."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.auth.models import User
from learnhub.extensions import db
from tests.conftest import PASSWORD, csrf_token, login, post

SLIP_ROW = re.compile(r"<td>([^<]+)</td><td><code>([a-z0-9._-]+)</code></td><td><code>([a-z0-9]+)</code></td>")


def slip_passwords(html: str) -> dict[str, str]:
    return {username: password for _name, username, password in SLIP_ROW.findall(html)}


def set_flags(app: Flask, username: str, **values) -> None:
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.username == username)).one()
        for key, value in values.items():
            setattr(user, key, value)
        db.session.commit()


def test_slips_give_first_passwords_and_the_member_must_change_it(app: Flask, client, town) -> None:
    set_flags(app, "an", must_change_password=True, password_hash=None)
    login(client, "bithu1")
    response = post(client, "/members/slips", {"unit": town["a"].id, "only_new": "y"})
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    passwords = slip_passwords(html)
    assert list(passwords) == ["an"]  # the others chose their own passwords already
    assert "<svg" in html and "http://localhost" in html  # the address and its QR code
    assert "Chi bộ Khu phố 1" in html

    member = app.test_client()
    assert login(member, "an", passwords["an"]).headers["Location"] == "/account/password"
    assert member.get("/").headers["Location"] == "/account/password"  # nothing else until changed
    token = csrf_token(member, "/account/password")
    short = member.post("/account/password", data={"csrf_token": token, "current_password": passwords["an"],
                                                   "new_password": "ngan", "confirm": "ngan"})
    assert "Mật khẩu cần ít nhất 8 ký tự." in short.get_data(as_text=True)
    done = member.post("/account/password", data={"csrf_token": token, "current_password": passwords["an"],
                                                  "new_password": "hoc tap suot doi", "confirm": "hoc tap suot doi"})
    assert done.headers["Location"] == "/"
    assert member.get("/").status_code == 200
    post(member, "/logout")
    assert login(member, "an", "hoc tap suot doi").headers["Location"] == "/"


def test_printing_slips_again_replaces_the_passwords(app: Flask, client, town) -> None:
    login(client, "bithu1")
    first = slip_passwords(post(client, "/members/slips", {"unit": town["a"].id}).get_data(as_text=True))
    second = slip_passwords(post(client, "/members/slips", {"unit": town["a"].id}).get_data(as_text=True))
    assert set(first) == set(second) and "an" in first
    assert all(first[name] != second[name] for name in first)
    member = app.test_client()
    assert login(member, "an", first["an"]).status_code == 200  # the old slip no longer works
    assert login(member, "an", second["an"]).status_code == 302


def test_committee_resets_a_password_in_scope_only(app: Flask, client, town) -> None:
    login(client, "bithu1")
    slip = post(client, f"/members/{town['member_a'].id}/reset-password").get_data(as_text=True)
    password = slip_passwords(slip)["an"]
    assert post(client, f"/members/{town['member_b'].id}/reset-password").status_code == 404
    member = app.test_client()
    assert login(member, "an", PASSWORD).status_code == 200  # the old password is gone
    assert login(member, "an", password).headers["Location"] == "/account/password"
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEntry.actor_name).where(AuditEntry.action == "password.reset")) == "bithu1"


def test_self_service_change_needs_the_current_password(client, town) -> None:
    login(client, "an")
    token = csrf_token(client, "/account/password")
    wrong = client.post("/account/password", data={"csrf_token": token, "current_password": "sai",
                                                   "new_password": "mat khau moi 1", "confirm": "mat khau moi 1"})
    assert "Mật khẩu hiện tại không đúng." in wrong.get_data(as_text=True)
    mismatch = client.post("/account/password", data={"csrf_token": token, "current_password": PASSWORD,
                                                      "new_password": "mat khau moi 1", "confirm": "khac"})
    assert "Hai mật khẩu không giống nhau." in mismatch.get_data(as_text=True)
    same = client.post("/account/password", data={"csrf_token": token, "current_password": PASSWORD,
                                                  "new_password": "an", "confirm": "an"})
    assert same.status_code == 400  # refused, the form again
    ok = client.post("/account/password", data={"csrf_token": token, "current_password": PASSWORD,
                                                "new_password": "mat khau moi 1", "confirm": "mat khau moi 1"})
    assert ok.status_code == 302


class FakeSMTP:
    sent: list = []

    def __init__(self, host: str, port: int, timeout: int) -> None:
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def starttls(self) -> None:
        pass

    def login(self, user: str, password: str) -> None:
        pass

    def send_message(self, message) -> None:
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(app: Flask, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.vn")
    FakeSMTP.sent = []
    return FakeSMTP.sent


def test_reset_by_email_when_smtp_is_configured(app: Flask, client, town, smtp) -> None:
    set_flags(app, "an", email="an@example.vn")
    assert "Quên mật khẩu?" in client.get("/login").get_data(as_text=True)
    token = csrf_token(client, "/password/forgot")
    unknown = client.post("/password/forgot", data={"csrf_token": token, "email": "khong@example.vn"})
    known = client.post("/password/forgot", data={"csrf_token": token, "email": "AN@example.vn"})
    assert unknown.headers["Location"] == known.headers["Location"] == "/login"  # the same answer
    assert len(smtp) == 1 and smtp[0]["To"] == "an@example.vn"
    link = re.search(r"http://localhost(/password/reset/\S+)", smtp[0].get_content()).group(1)
    page_token = csrf_token(client, link)
    changed = client.post(link, data={"csrf_token": page_token, "new_password": "mat khau rat moi",
                                      "confirm": "mat khau rat moi"})
    assert changed.headers["Location"] == "/login"
    assert login(client, "an", "mat khau rat moi").status_code == 302
    post(client, "/logout")
    again = client.get(link)  # single use: the password changed
    assert again.headers["Location"] == "/password/forgot"


def test_without_smtp_the_page_says_whom_to_ask(client) -> None:
    html = client.get("/password/forgot").get_data(as_text=True)
    assert "Hãy liên hệ bí thư chi bộ" in html and "<form method=\"post\"" not in html.split("</header>")[1]
