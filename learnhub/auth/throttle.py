"""Throttling failed sign-ins with Flask-Limiter (docs/security-signin.md explains the numbers).

Only failures count (``deduct_when``), each against three limits:

- one account from one address (SIGN_IN_LIMIT_PAIR, the strictest): slows a guesser down without
  touching the member signing in from their own phone;
- one account from anywhere (SIGN_IN_LIMIT_ACCOUNT): stops guessing spread over many addresses,
  but over a short window, so an attacker can keep a member out for minutes at most after they stop;
- one address for any account (SIGN_IN_LIMIT_ADDRESS): stops one machine trying many accounts,
  loose enough for an office where everyone shares an address.

Codes for two-step sign-in are limited per account (TWO_FACTOR_LIMIT). A refused attempt gets the
429 page before the password is even checked. Usernames are hashed into the keys, so typed text
never reaches the store as it is.
"""
from __future__ import annotations

import hashlib

from flask import current_app, g, request, session
from flask_limiter.util import get_remote_address
from flask_login import current_user

from learnhub.auth.services import normalise_username
from learnhub.extensions import limiter

FAILED = "sign_in_failed"
PENDING = "_lh_2fa"  # the session key of a sign-in waiting for its two-step code


def _account() -> str:
    username = normalise_username(request.form.get("username", ""))
    return hashlib.sha256(username.encode("utf-8")).hexdigest()[:32]


def account_key() -> str:
    return f"account:{_account()}"


def pair_key() -> str:
    return f"pair:{_account()}:{get_remote_address()}"


def address_key() -> str:
    return f"address:{get_remote_address()}"


def code_key() -> str:
    """The account a two-step code is for: the one half-way through sign-in, or the signed-in one."""
    if current_user.is_authenticated:
        return f"two-factor:{current_user.id}"
    pending = session.get(PENDING)
    return f"two-factor:{pending.get('id', '-') if isinstance(pending, dict) else '-'}"


def mark_failed() -> None:
    """Called by a view when the attempt failed, so the limits below count it."""
    g.setdefault(FAILED, True)


def _failed(_response: object) -> bool:
    return bool(g.get(FAILED))


def _setting(name: str):
    return lambda: current_app.config[name]


def _limit(name: str, key_func, scope: str):
    return limiter.limit(_setting(name), key_func=key_func, scope=scope, methods=["POST"],
                         deduct_when=_failed)


def sign_in_limits(view):
    """The three sign-in limits, for the password form."""
    view = _limit("SIGN_IN_LIMIT_ADDRESS", address_key, "sign-in-address")(view)
    view = _limit("SIGN_IN_LIMIT_ACCOUNT", account_key, "sign-in-account")(view)
    return _limit("SIGN_IN_LIMIT_PAIR", pair_key, "sign-in-pair")(view)


def two_factor_limits(view):
    """Wrong two-step codes, at sign-in and when changing two-step settings."""
    return _limit("TWO_FACTOR_LIMIT", code_key, "two-factor")(view)


@limiter.request_filter
def _switched_off() -> bool:
    """Throttling can be switched off per app (tests switch it on only where they check it)."""
    return not current_app.config.get("SIGN_IN_THROTTLING", True)
