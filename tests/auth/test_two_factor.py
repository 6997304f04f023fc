"""Two-step sign-in: enrolment with a QR code, the code after the password, no replays,
single-use recovery codes, kept on for admins and committee members, reset by an admin."""
from __future__ import annotations

import re

import pyotp
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from learnhub.audit import AuditEntry
from learnhub.auth import twofactor
from learnhub.auth.models import RecoveryCode, User
from learnhub.extensions import db
from tests.auth.conftest import enrol
from tests.conftest import PASSWORD, csrf_token, login, post

SECRET_TEXT = re.compile(r'data-testid="two-factor-secret">([A-Z2-7 ]+)<')


def code_page(client: FlaskClient, code: str):
    return post(client, "/login/code", {"code": code})


def user(app: Flask, username: str) -> User:
    with app.app_context():
        found = db.session.scalars(sa.select(User).where(User.username == username)).one()
        db.session.expunge(found)
        return found


def actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_enrolment_shows_the_secret_and_qr_code_then_gives_recovery_codes_once(app: Flask, client, town, clock,
                                                                              monkeypatch) -> None:
    monkeypatch.setattr(twofactor, "RECOVERY_HASH_METHOD", "scrypt")  # as in production
    login(client, "an")
    assert 'data-testid="two-factor-setup"' in client.get("/account/two-factor").get_data(as_text=True)
    page = client.get("/account/two-factor/setup")
    html = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    secret = SECRET_TEXT.search(html).group(1).replace(" ", "")
    assert "<svg" in html and 'data-testid="two-factor-qr"' in html
    assert secret in client.get("/account/two-factor/setup").get_data(as_text=True).replace(" ", "")  # kept
    totp = pyotp.TOTP(secret)
    wrong = post(client, "/account/two-factor/setup", {"code": "000000" if totp.at(clock()) != "000000" else "111111",
                                                       "password": PASSWORD})
    assert wrong.status_code == 400 and user(app, "an").totp_secret is None
    no_password = post(client, "/account/two-factor/setup", {"code": totp.at(clock()), "password": "sai-mat-khau"})
    assert no_password.status_code == 400 and user(app, "an").totp_secret is None
    done = post(client, "/account/two-factor/setup", {"code": totp.at(clock()), "password": PASSWORD})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", done.get_data(as_text=True))
    assert len(set(codes)) == 10
    assert user(app, "an").totp_secret == secret and "two_factor.enrol" in actions(app)
    with app.app_context():
        stored = db.session.execute(sa.select(RecoveryCode.selector, RecoveryCode.code_hash)).all()
    assert sorted(selector for selector, _hash in stored) == sorted(code[:4] for code in codes)
    assert all(code_hash.startswith("scrypt:") for _selector, code_hash in stored)  # salted password hashes
    assert not any(code.replace("-", "")[4:] in code_hash for code in codes for _s, code_hash in stored)
    assert client.get("/").status_code == 200  # this session goes on
    status = client.get("/account/two-factor").get_data(as_text=True)
    assert "two-factor-setup" not in status and not any(code in status for code in codes)


def test_the_password_alone_no_longer_signs_in(app: Flask, client, town, clock) -> None:
    secret, _codes = enrol(app, "an", clock())
    response = login(client, "an")
    assert response.headers["Location"] == "/login/code"
    assert client.get("/").status_code == 302  # not signed in between the two steps
    assert client.get("/account/two-factor").headers["Location"].startswith("/login")
    clock.advance(seconds=30)
    assert code_page(client, "123 456" if pyotp.TOTP(secret).at(clock()) != "123456" else "654321").status_code == 400
    done = code_page(client, pyotp.TOTP(secret).at(clock()))
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_code_page_keeps_the_next_page_and_remember_me(app: Flask, client, town, clock) -> None:
    secret, _codes = enrol(app, "an", clock())
    clock.advance(seconds=30)
    token = csrf_token(client)
    client.post("/login?next=/account/two-factor", data={"username": "an", "password": PASSWORD,
                                                         "csrf_token": token, "remember": "y"})
    done = code_page(client, pyotp.TOTP(secret).at(clock()))
    assert done.headers["Location"] == "/account/two-factor"
    assert client.get_cookie("learnhub_remember") is not None


def test_a_code_cannot_be_used_twice(app: Flask, client, town, clock) -> None:
    secret, _codes = enrol(app, "an", clock())
    clock.advance(seconds=30)
    code = pyotp.TOTP(secret).at(clock())
    login(client, "an")
    assert code_page(client, code).status_code == 302
    post(client, "/logout")
    login(client, "an")
    assert code_page(client, code).status_code == 400  # same step, seconds later: refused
    previous = pyotp.TOTP(secret).at(clock() - 30)
    assert code_page(client, previous).status_code == 400  # an earlier step is refused too
    clock.advance(seconds=30)
    assert code_page(client, pyotp.TOTP(secret).at(clock())).status_code == 302


def test_a_recovery_code_works_once(app: Flask, client, town, clock) -> None:
    _secret, codes = enrol(app, "an", clock())
    login(client, "an")
    assert code_page(client, codes[0][:5] + "zzzz-zzzz").status_code == 400  # the right selector alone
    assert code_page(client, codes[0].upper().replace("-", " ")).status_code == 302
    assert "two_factor.recovery_code" in actions(app)
    post(client, "/logout")
    login(client, "an")
    assert code_page(client, codes[0]).status_code == 400
    assert code_page(client, codes[1]).status_code == 302


def test_the_second_step_must_follow_the_password_within_minutes(app: Flask, client, town, clock) -> None:
    secret, _codes = enrol(app, "an", clock())
    assert client.get("/login/code").headers["Location"] == "/login"  # no password given yet
    login(client, "an")
    clock.advance(minutes=6)
    response = code_page(client, pyotp.TOTP(secret).at(clock()))
    assert response.headers["Location"] == "/login" and client.get("/").status_code == 302


def test_committee_members_cannot_turn_it_off_but_members_can_with_a_code(app: Flask, town, clock) -> None:
    for username, allowed in (("bithu1", False), ("admin", False), ("an", True)):
        secret, _codes = enrol(app, username, clock())
        client = app.test_client()
        login(client, username)
        clock.advance(seconds=30)
        code_page(client, pyotp.TOTP(secret).at(clock()))
        page = client.get("/account/two-factor").get_data(as_text=True)
        assert ("/account/two-factor/disable" in page) is allowed
        clock.advance(seconds=30)
        if not allowed:
            response = post(client, "/account/two-factor/disable", {"off-code": pyotp.TOTP(secret).at(clock())})
            assert response.status_code == 403 and user(app, username).totp_secret is not None
            continue
        assert post(client, "/account/two-factor/disable", {"off-code": "12345"}).status_code == 400
        assert user(app, username).totp_secret is not None
        response = post(client, "/account/two-factor/disable", {"off-code": pyotp.TOTP(secret).at(clock())})
        assert response.status_code == 302 and user(app, username).totp_secret is None
        assert client.get("/").status_code == 200
        assert "two_factor.disable" in actions(app)


def test_new_recovery_codes_replace_the_old_ones(app: Flask, client, town, clock) -> None:
    secret, old = enrol(app, "an", clock())
    login(client, "an")
    clock.advance(seconds=30)
    code_page(client, pyotp.TOTP(secret).at(clock()))
    clock.advance(seconds=30)
    page = post(client, "/account/two-factor/recovery-codes", {"codes-code": pyotp.TOTP(secret).at(clock())})
    new = re.findall(r"<code>([a-z2-9-]{14})</code>", page.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    post(client, "/logout")
    login(client, "an")
    assert code_page(client, old[0]).status_code == 400
    assert code_page(client, new[0]).status_code == 302


def test_an_admin_resets_someones_two_step_sign_in(app: Flask, town, clock) -> None:
    secret, _codes = enrol(app, "bithu1", clock())
    secretary = app.test_client()
    login(secretary, "bithu1")
    clock.advance(seconds=30)
    code_page(secretary, pyotp.TOTP(secret).at(clock()))
    assert secretary.get("/my-study").status_code == 200
    target = f"/users/{town['bithu1'].id}/two-factor"
    assert secretary.get(target).status_code == 403
    assert post(secretary, f"{target}/reset").status_code == 403
    admin = app.test_client()
    login(admin, "admin")
    page = admin.get(target)
    assert page.status_code == 200 and f'action="{target}/reset"' in page.get_data(as_text=True)
    assert post(admin, f"{target}/reset").status_code == 302
    assert user(app, "bithu1").totp_secret is None
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "two_factor.reset")).one()
        assert entry.actor_name == "admin" and entry.object_id == town["bithu1"].id
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
    assert secretary.get("/my-study").status_code == 302  # signed out everywhere
    assert login(secretary, "bithu1").headers["Location"] == "/"  # the password alone, until set up again


def test_an_admin_cannot_reset_their_own(app: Flask, client, town, clock) -> None:
    secret, _codes = enrol(app, "admin", clock())
    login(client, "admin")
    clock.advance(seconds=30)
    code_page(client, pyotp.TOTP(secret).at(clock()))
    post(client, f"/users/{town['admin'].id}/two-factor/reset")
    assert user(app, "admin").totp_secret is not None


def test_reset_from_the_command_line(app: Flask, town, clock) -> None:
    enrol(app, "admin", clock())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "reset-two-factor", "ADMIN"])
    assert result.exit_code == 0, result.output
    assert user(app, "admin").totp_secret is None
    again = runner.invoke(args=["users", "reset-two-factor", "admin"])
    assert again.exit_code == 2 and "does not use two-step sign-in" in again.stderr
    assert runner.invoke(args=["users", "reset-two-factor", "khong-co"]).exit_code == 2
