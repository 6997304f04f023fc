"""Failed sign-ins are throttled per account and address, per account, and per address, and a
throttled member is back within minutes; several workers share the counts through Redis."""
from __future__ import annotations

import hashlib
import socket

import pytest
from flask import Flask
from flask.testing import FlaskClient

from learnhub.extensions import limiter
from tests.conftest import PASSWORD, csrf_token

WRONG = "sai-mat-khau"


def attempt(client: FlaskClient, username: str, password: str = WRONG, address: str = "10.0.0.1") -> int:
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                           environ_base={"REMOTE_ADDR": address})
    return response.status_code


def test_limits_are_off_unless_switched_on(app: Flask, client, town) -> None:
    assert not app.config["SIGN_IN_THROTTLING"]  # TESTING: other tests are never throttled
    assert [attempt(client, "an") for _ in range(7)] == [200] * 7


def test_one_address_gets_five_tries_at_one_account(app: Flask, client, town, throttled) -> None:
    client.set_cookie("lh_lang", "en")
    assert [attempt(client, "an") for _ in range(5)] == [200] * 5
    token = csrf_token(client, "/login")
    refused = client.post("/login", data={"username": "an", "password": PASSWORD, "csrf_token": token},
                          environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert refused.status_code == 429  # even the right password waits
    page = refused.get_data(as_text=True)
    assert "Too many requests" in page and "Wait a minute, then try again." in page
    assert "Traceback" not in page
    assert attempt(client, "an", PASSWORD, address="10.0.0.2") == 302  # the member on their own phone
    assert attempt(app.test_client(), "binh", PASSWORD, address="10.0.0.1") == 302  # others from there too


def test_the_error_page_is_vietnamese_by_default(app: Flask, client, town, throttled) -> None:
    for _ in range(5):
        attempt(client, "an")
    response = client.post("/login", data={"username": "an", "password": WRONG,
                                           "csrf_token": csrf_token(client, "/login")},
                           environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.status_code == 429 and "Quá nhiều yêu cầu" in response.get_data(as_text=True)


def test_guesses_from_many_addresses_stop_at_ten_and_only_for_minutes(app: Flask, client, town, throttled) -> None:
    codes = [attempt(client, "an", address=f"10.0.1.{n}") for n in range(10)]
    assert codes == [200] * 10
    assert attempt(client, "an", PASSWORD, address="10.0.2.1") == 429
    throttled.offset = 14 * 60
    assert attempt(client, "an", PASSWORD, address="10.0.2.1") == 429
    throttled.offset = 16 * 60  # the window has passed: the member signs in again
    assert attempt(client, "an", PASSWORD, address="10.0.2.1") == 302


def test_the_defaults_and_that_they_are_settings(app: Flask) -> None:
    from learnhub.config import DEFAULTS

    assert (DEFAULTS["SIGN_IN_LIMIT_PAIR"], DEFAULTS["SIGN_IN_LIMIT_ACCOUNT"], DEFAULTS["SIGN_IN_LIMIT_ADDRESS"]) == (
        "5 per 15 minutes", "10 per 15 minutes", "50 per 15 minutes")
    assert DEFAULTS["RATELIMIT_STORAGE_URI"] == "memory://"


def test_one_address_trying_many_accounts_is_stopped(app: Flask, client, town, throttled, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SIGN_IN_LIMIT_ADDRESS", "8 per 15 minutes")  # 50 by default
    codes = [attempt(client, f"khong-co-{n}") for n in range(8)]
    assert codes == [200] * 8
    assert attempt(client, "an", PASSWORD) == 429
    assert attempt(client, "an", PASSWORD, address="10.0.0.9") == 302


def test_successful_sign_ins_do_not_count(app: Flask, town, throttled) -> None:
    for _ in range(6):
        client = app.test_client()
        assert attempt(client, "an", PASSWORD) == 302


def test_the_username_is_matched_however_it_is_typed(app: Flask, client, town, throttled) -> None:
    for username in ("an", "AN", " an", "An ", "aN"):
        attempt(client, username)
    assert attempt(client, "an", PASSWORD) == 429


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_reachable(), reason="no Redis server at 127.0.0.1:6379")
def test_workers_share_the_counts_through_redis(app: Flask, client, town, throttled, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/15")
    limiter.init_app(app)
    try:
        limiter.reset()
        assert [attempt(client, "an") for _ in range(3)] == [200] * 3
        limiter.init_app(app)  # another worker: a new connection, no counts of its own
        assert [attempt(client, "an") for _ in range(2)] == [200] * 2
        assert attempt(client, "an", PASSWORD) == 429
        import redis

        keys = b" ".join(redis.Redis.from_url("redis://127.0.0.1:6379/15").keys("*learnhub*"))
        assert hashlib.sha256(b"an").hexdigest()[:32].encode() in keys  # usernames stored hashed
        assert b"account:an" not in keys and b"pair:an" not in keys
    finally:
        limiter.reset()
        monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", "memory://")
        limiter.init_app(app)


def test_a_dead_shared_store_does_not_stop_sign_in(app: Flask, client, town, throttled, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", "redis://127.0.0.1:1/0")  # nothing listens
    limiter.init_app(app)
    try:
        assert attempt(client, "an", PASSWORD) == 302
    finally:
        monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", "memory://")
        limiter.init_app(app)


def test_wrong_two_step_codes_are_throttled(app: Flask, client, town, throttled, clock) -> None:
    import pyotp

    from tests.auth.conftest import enrol

    secret, _codes = enrol(app, "an", clock())
    clock.advance(seconds=30)
    assert attempt(client, "an", PASSWORD) == 302  # the password step
    right = pyotp.TOTP(secret).at(clock())
    wrong = "000000" if right != "000000" else "111111"
    statuses = [client.post("/login/code", data={"code": wrong, "csrf_token": csrf_token(client, "/login/code")}).status_code
                for _ in range(3)]
    assert statuses == [400] * 3
    assert client.post("/login/code", data={"code": right, "csrf_token": csrf_token(client, "/login/code")}).status_code == 429
