"""The security log: sign-ins, sign-outs, throttling and refused access, one line each, in UTC.

Records go to the ``learnhub.security`` logger. Values a visitor controls (the username typed at
sign-in, the path) are quoted with every control and line-break character escaped, so a username
such as "an\\n... sign-in succeeded user='admin'" cannot forge a second line.
"""
from __future__ import annotations

import logging
import time
import unicodedata

from flask import Flask, Response, request
from flask_login import current_user

log = logging.getLogger("learnhub.security")
MAX_VALUE_LENGTH = 120
# Control characters, format characters (e.g. bidi overrides) and line/paragraph separators.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def clean(value: object) -> str:
    """``value`` quoted for a log line: control characters escaped, at most 120 characters."""
    text = str(value)
    if len(text) > MAX_VALUE_LENGTH:
        text = text[:MAX_VALUE_LENGTH] + "…"
    out = []
    for char in text:
        if char in "\\'":
            out.append("\\" + char)
        elif unicodedata.category(char) in _UNSAFE_CATEGORIES:
            out.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


class UTCFormatter(logging.Formatter):
    """ISO 8601 timestamps in UTC with milliseconds: 2026-11-25T08:30:00.123Z."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"


FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def _address() -> str:
    return clean(request.remote_addr or "-")


def event(name: str, level: int = logging.INFO, *, username: str | None = None, user_id: int | None = None,
          **fields: object) -> None:
    """Log one security event: ``sign_in.failed user='an' id=- address='10.0.0.5' reason='password'``."""
    parts = [name]
    if username is not None:
        parts.append(f"user={clean(username)}")
    parts.append(f"id={user_id if user_id is not None else '-'}")
    parts.append(f"address={_address()}")
    parts.extend(f"{key}={clean(value)}" for key, value in fields.items())
    log.log(level, " ".join(parts))


def _log_refusals(response: Response) -> Response:
    """403s always; 404s for signed-in people (scope checks answer 404 outside one's units); 429s."""
    if response.status_code == 429:
        event("throttled", logging.WARNING, username=request.form.get("username"),
              method=request.method, path=request.path)
    elif response.status_code == 403 or (response.status_code == 404 and current_user.is_authenticated):
        user = current_user if current_user.is_authenticated else None
        event("access.denied" if response.status_code == 403 else "access.not_found", logging.WARNING,
              username=getattr(user, "username", None), user_id=getattr(user, "id", None),
              method=request.method, path=request.path)
    return response


def init_security_log(app: Flask) -> None:
    """Log refusals, and give the security logger a UTC handler when nothing else handles it."""
    app.after_request(_log_refusals)
    log.setLevel(logging.INFO)
    if not log.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(UTCFormatter(FORMAT))
        log.addHandler(handler)
