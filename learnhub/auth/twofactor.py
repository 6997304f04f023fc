"""Two-step sign-in: a code from an authenticator app (TOTP, RFC 6238, 30-second steps) or one of
ten single-use recovery codes, asked for after the password.

A code is accepted for the current step and one step either side (clocks drift), and each step at
most once: the last step used is stored, and a conditional UPDATE makes two requests racing with
the same code end with one success. Recovery codes are 12 characters from a 31-letter alphabet:
four find the row, the other eight (40 random bits) are kept only as a salted scrypt hash. Offered to everyone; admins and committee members who enrolled cannot turn it off
(an admin can reset it for them, audited).
"""
from __future__ import annotations

import hmac
import re
import secrets
from typing import NamedTuple

import pyotp
import sqlalchemy as sa
from flask import current_app, session
from werkzeug.security import check_password_hash, generate_password_hash

from learnhub import audit, qr
from learnhub.auth import sessions
from learnhub.auth.models import RecoveryCode, User
from learnhub.auth.throttle import PENDING
from learnhub.db import rows_changed, utcnow
from learnhub.extensions import db

ISSUER = "LearnHub"
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 12  # shown as xxxx-xxxx-xxxx: a 4-character selector, then 8 secret ones (40 bits)
SELECTOR_LENGTH = 4
RECOVERY_HASH_METHOD = "scrypt"
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: copied from paper
_DIGITS = re.compile(r"^\d{6}$")
SETUP_SECRET = "_lh_totp_setup"


def new_secret() -> str:
    """A fresh 160-bit secret in base32, as authenticator apps take it."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG, drawn on the server (no script, no outside service)."""
    return qr.qr_svg(uri, title="QR")


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]+", "", code or "").lower()


def matching_step(secret: str, code: str, at: float) -> int | None:
    """The time step (``at``'s, or one either side) whose code is ``code``, or None."""
    code = _normalise(code)
    if not _DIGITS.match(code):
        return None
    totp = pyotp.TOTP(secret)
    step = int(at // STEP_SECONDS)
    for candidate in (step, step - 1, step + 1):
        if hmac.compare_digest(totp.at(candidate * STEP_SECONDS), code):
            return candidate
    return None


def use_totp(user: User, code: str) -> bool:
    """Accept a current code once: a step already used (or an earlier one) is refused."""
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code, sessions.now())
    if step is None:
        return False
    return rows_changed(db.session, (
        sa.update(User)
        .where(User.id == user.id, sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )) == 1


def new_recovery_codes(user: User) -> list[str]:
    """Replace ``user``'s recovery codes with ten new ones, returned once for showing."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes: dict[str, str] = {}
    while len(codes) < RECOVERY_CODE_COUNT:
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        codes.setdefault(raw[:SELECTOR_LENGTH], raw)
    db.session.add_all(
        RecoveryCode(user_id=user.id, selector=selector,
                     code_hash=generate_password_hash(raw[SELECTOR_LENGTH:], method=RECOVERY_HASH_METHOD))
        for selector, raw in codes.items()
    )
    db.session.flush()
    return [f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" for raw in codes.values()]


def replace_recovery_codes(user: User) -> list[str]:
    """New recovery codes asked for by their owner (audited); the old ones stop working."""
    audit.record("two_factor.recovery_codes", object_type="user", object_id=user.id,
                 summary=audit.N_("%(username)s made new recovery codes"), params={"username": user.username})
    return new_recovery_codes(user)


def use_recovery_code(user: User, code: str) -> bool:
    """Accept an unused recovery code of ``user`` and spend it (audited)."""
    code = _normalise(code)
    if len(code) != RECOVERY_CODE_LENGTH:
        return False
    row = db.session.scalar(sa.select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.selector == code[:SELECTOR_LENGTH],
        RecoveryCode.used_at.is_(None)))
    if row is None or not check_password_hash(row.code_hash, code[SELECTOR_LENGTH:]):
        return False
    claimed = rows_changed(db.session, (
        sa.update(RecoveryCode).where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False)
    ))
    if claimed != 1:  # spent by a request racing this one
        return False
    audit.record("two_factor.recovery_code", object_type="user", object_id=user.id, actor=user,
                 summary=audit.N_("%(username)s signed in with a recovery code"), params={"username": user.username})
    return True


def verify(user: User, code: str) -> str | None:
    """How ``code`` proves the second step ("totp" or "recovery_code"), or None."""
    if _DIGITS.match(_normalise(code)):
        return "totp" if use_totp(user, code) else None
    return "recovery_code" if use_recovery_code(user, code) else None


def remaining_recovery_codes(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ) or 0


def enrol(user: User, secret: str, code: str) -> list[str] | None:
    """Turn two-step sign-in on once ``code`` proves the app holds ``secret``; the recovery codes."""
    step = matching_step(secret, code, sessions.now())
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_last_step = step
    user.totp_enrolled_at = utcnow()
    audit.record("two_factor.enrol", object_type="user", object_id=user.id,
                 summary=audit.N_("%(username)s turned on two-step sign-in"), params={"username": user.username})
    return new_recovery_codes(user)


def _remove(user: User) -> None:
    user.totp_secret = None
    user.totp_last_step = None
    user.totp_enrolled_at = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def disable(user: User) -> None:
    """The user turns two-step sign-in off (the view has checked a code and the role)."""
    _remove(user)
    audit.record("two_factor.disable", object_type="user", object_id=user.id,
                 summary=audit.N_("%(username)s turned off two-step sign-in"), params={"username": user.username})


def reset(user: User, *, actor: User | None) -> None:
    """An admin (or the command line) removes a user's two-step sign-in, e.g. after a lost phone."""
    _remove(user)
    audit.record("two_factor.reset", object_type="user", object_id=user.id, actor=actor,
                 summary=audit.N_("reset the two-step sign-in of %(username)s"), params={"username": user.username})


class Pending(NamedTuple):
    user: User
    remember: bool
    target: str


def begin_pending(user: User, *, remember: bool, target: str) -> None:
    """The password was right: wait for the second step on a fresh session, not yet signed in."""
    session.clear()
    session[PENDING] = {"id": user.id, "v": user.session_version, "at": int(sessions.now()),
                        "remember": remember, "next": target}


def pending_sign_in() -> Pending | None:
    """The sign-in waiting for its code, if it is recent and the account unchanged."""
    data = session.get(PENDING)
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("id") or 0)
    age = sessions.now() - data.get("at", 0)
    if (user is None or not user.is_active or not user.totp_secret or user.session_version != data.get("v")
            or age > current_app.config["TWO_FACTOR_PENDING_MINUTES"] * 60):
        session.pop(PENDING, None)
        return None
    return Pending(user, bool(data.get("remember")), str(data.get("next") or ""))
