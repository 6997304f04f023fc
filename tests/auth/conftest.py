"""Fixtures for the sign-in tests: a clock to move, throttling switched on, an enrolled account."""
from __future__ import annotations

import time
import types
from collections.abc import Iterator

import pyotp
import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.auth import sessions, twofactor
from learnhub.auth.models import User
from learnhub.extensions import db, limiter


class Clock:
    """The time every sign-in rule reads; tests move it forward."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, *, minutes: float = 0, hours: float = 0, seconds: float = 0) -> None:
        self.now += seconds + minutes * 60 + hours * 3600


@pytest.fixture(autouse=True)
def _cheap_recovery_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten scrypt hashes per enrolment are slow on purpose; tests that do not look at them use a
    cheap method (test_two_factor checks the real one)."""
    monkeypatch.setattr(twofactor, "RECOVERY_HASH_METHOD", "pbkdf2:sha256:1000")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock(1_800_000_000.0)  # 2027-01-15 08:00 UTC, on a 30-second step boundary
    monkeypatch.setattr(sessions, "now", fake)
    return fake


@pytest.fixture
def throttled(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[types.SimpleNamespace]:
    """Sign-in throttling on, counting from zero in memory; ``offset`` moves the limiter's clock."""
    monkeypatch.setitem(app.config, "SIGN_IN_THROTTLING", True)
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    limiter.reset()
    state = types.SimpleNamespace(offset=0.0)
    import limits.storage.memory as memory

    monkeypatch.setattr(memory, "time", types.SimpleNamespace(time=lambda: time.time() + state.offset,
                                                              sleep=time.sleep))
    yield state
    limiter.reset()


def enrol(app: Flask, username: str, at: float) -> tuple[str, list[str]]:
    """Turn two-step sign-in on for ``username`` at time ``at``; the secret and recovery codes."""
    secret = twofactor.new_secret()
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.username == username)).one()
        codes = twofactor.enrol(user, secret, pyotp.TOTP(secret).at(at))
        db.session.commit()
    assert codes
    return secret, codes
