"""Sign-in sessions: started fresh, revocable on the server, ended by idle and absolute timeouts.

Flask-Login keeps one string per sign-in, in the session cookie and in the remember-me cookie:
here it is ``"<user id>:<session version>:<signed-in time>"`` (both cookies are signed with the
secret key). The user loader accepts it only while

- the account is active and its ``session_version`` is the one in the token (sign-out, a new
  password, a role change, deactivation and two-step changes raise the version, see models.py),
- the password sign-in is less than SESSION_MAX_HOURS old, whatever cookie carries it, and
- the last request is less than IDLE_MINUTES ago, unless "Keep me signed in" was chosen.

The last-seen time is kept in the session and rewritten at most once a minute.
"""
from __future__ import annotations

import logging
import time
from typing import NamedTuple

from flask import Flask, current_app, flash, g, request, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user, user_loaded_from_cookie

from learnhub.auth import security_log
from learnhub.auth.models import User
from learnhub.extensions import db

SEEN = "_lh_seen"  # the last request, in seconds since the epoch
KEEP = "_lh_keep"  # "Keep me signed in": no idle timeout
TOUCH_SECONDS = 60
TIMEOUTS = ("idle_timeout", "absolute_timeout")


def now() -> float:
    """The clock every sign-in rule reads (tests replace it)."""
    return time.time()


class Token(NamedTuple):
    user_id: int
    version: int
    signed_in_at: int


def make_token(user: User, signed_in_at: int) -> str:
    return f"{user.id}:{user.session_version}:{signed_in_at}"


def parse_token(value: str | None) -> Token | None:
    parts = (value or "").split(":")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    return Token(*(int(part) for part in parts))


def start(user: User, *, remember: bool) -> None:
    """Sign ``user`` in on a new, empty session: nothing from before sign-in is carried over."""
    session.clear()
    login_user(user, remember=remember)
    signed_in_at = int(now())
    session["_user_id"] = make_token(user, signed_in_at)  # also what the remember cookie holds
    session[SEEN] = signed_in_at
    if remember:
        session[KEEP] = True


def renew(user: User) -> None:
    """Keep this sign-in after the user changed their own account (which ended all the others)."""
    token = parse_token(session.get("_user_id"))
    if token is None:
        return
    session["_user_id"] = make_token(user, token.signed_in_at)
    if current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies:
        session["_remember"] = "set"


def end(user: User | None = None, *, everywhere: bool = False) -> None:
    """Sign out; with ``everywhere``, every other device and copied cookie of ``user`` too."""
    if everywhere and user is not None:
        user.session_version += 1
    session.clear()
    logout_user()


def _refuse(reason: str, user: User | None) -> None:
    """Forget this session (and the remember-me cookie), saying why in the log and on the next page."""
    session.clear()
    if current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies:
        session["_remember"] = "clear"
    g.session_ended = reason
    security_log.event("session.ended", username=getattr(user, "username", None),
                       user_id=getattr(user, "id", None), reason=reason)
    config = current_app.config
    if reason == "idle_timeout":
        flash(_("You were signed out after %(n)d minutes without activity. Sign in again.",
                n=config["IDLE_MINUTES"]), "info")
    elif reason == "absolute_timeout":
        flash(_("You were signed out %(n)d hours after signing in. Sign in again.",
                n=config["SESSION_MAX_HOURS"]), "info")


def load_user(value: str) -> User | None:
    """Flask-Login's user loader: the user of a valid, current token, or None."""
    token = parse_token(value)
    if token is None:
        return None
    user = db.session.get(User, token.user_id)
    if user is None or not user.is_active or user.session_version != token.version:
        _refuse("revoked", user)
        return None
    config = current_app.config
    clock = now()
    if clock - token.signed_in_at > config["SESSION_MAX_HOURS"] * 3600:
        _refuse("absolute_timeout", user)
        return None
    seen = session.get(SEEN)
    if seen is not None and not session.get(KEEP) and clock - seen > config["IDLE_MINUTES"] * 60:
        _refuse("idle_timeout", user)
        return None
    if seen is None or clock - seen >= TOUCH_SECONDS:
        session[SEEN] = int(clock)
    return user


def _restored_from_cookie(_app: Flask, user: User) -> None:
    """A sign-in brought back by "Keep me signed in" keeps that choice in its new session."""
    session[KEEP] = True
    security_log.event("session.restored", logging.INFO, username=user.username, user_id=user.id)


def init_sessions(app: Flask) -> None:
    user_loaded_from_cookie.connect(_restored_from_cookie, app)
