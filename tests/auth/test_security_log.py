"""The security log: sign-ins, failures and refused access, one line each, UTC, no forged lines."""
from __future__ import annotations

import logging
import re

import pytest
from flask import Flask

from learnhub.auth.security_log import FORMAT, UTCFormatter, clean
from tests.conftest import csrf_token, login, post

LOGGER = "learnhub.security"


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == LOGGER]


def test_successes_and_failures_are_logged(app: Flask, client, town, caplog) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    login(client, "an", "sai-mat-khau")
    login(client, "khong-co", "sai-mat-khau")
    login(client, "an")
    post(client, "/logout")
    logged = lines(caplog)
    member_id = town["member_a"].id
    assert "sign_in.failed user='an' id=- address='127.0.0.1' reason='wrong_password'" in logged
    assert "sign_in.failed user='khong-co' id=- address='127.0.0.1' reason='unknown_user'" in logged
    assert f"sign_in.succeeded user='an' id={member_id} address='127.0.0.1' method='password'" in logged
    assert f"sign_out user='an' id={member_id} address='127.0.0.1'" in logged
    failed = next(r for r in caplog.records if "sign_in.failed" in r.getMessage())
    assert failed.levelno == logging.WARNING


def test_a_username_cannot_forge_a_log_line(app: Flask, client, town, caplog) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    forged = "an\nsign_in.succeeded user='admin' id=1\r\u2028x\x1b[31m"
    token = csrf_token(client)
    client.post("/login", data={"username": forged, "password": "x", "csrf_token": token})
    [line] = [line for line in lines(caplog) if line.startswith("sign_in.failed")]
    assert "\n" not in line and "\r" not in line and "\u2028" not in line and "\x1b" not in line
    # The form cleans the typed name first (learnhub.forms.FlaskForm): breaks become spaces, controls go.
    assert line.startswith(r"sign_in.failed user='an sign_in.succeeded user=\'admin\' id=1 x[31m'")


def test_clean_keeps_vietnamese_and_bounds_length() -> None:
    assert clean("Nguyễn Văn An") == "'Nguyễn Văn An'"
    assert len(clean("a" * 500)) < 130


def test_timestamps_are_utc_iso_8601(app: Flask, client, town, caplog) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    login(client, "an")
    record = next(r for r in caplog.records if r.name == LOGGER)
    record.created = 1_800_000_000.25  # 2027-01-15 08:00:00.250 UTC
    record.msecs = 250
    formatted = UTCFormatter(FORMAT).format(record)
    assert formatted.startswith("2027-01-15T08:00:00.250Z INFO learnhub.security sign_in.succeeded")


def test_refused_access_is_logged(app: Flask, client, town, caplog) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    login(client, "an")
    assert client.get("/members/").status_code == 403
    secretary = app.test_client()
    login(secretary, "bithu2")
    assert secretary.get(f"/members/{town['member_a'].id}").status_code == 404  # outside their cell
    logged = lines(caplog)
    assert f"access.denied user='an' id={town['member_a'].id} address='127.0.0.1' method='GET' path='/members/'" in logged
    assert any(re.match(rf"access.not_found user='bithu2' id={town['bithu2'].id} .* path='/members/{town['member_a'].id}'",
                        line) for line in logged)
    denied = next(r for r in caplog.records if "access.denied" in r.getMessage())
    assert denied.levelno == logging.WARNING


def test_throttled_attempts_are_logged(app: Flask, client, town, throttled, caplog) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    for _ in range(6):
        login(client, "an", "sai-mat-khau")
    assert any(line.startswith("throttled user='an'") for line in lines(caplog))
