"""Settings: defaults, then the instance config file, then LEARNHUB_* environment variables."""
from __future__ import annotations

import datetime as dt
import os
import secrets
import time
from pathlib import Path
from typing import Any

from flask import Flask

from learnhub.replica import replica_binds

CONFIG_FILENAME = "learnhub.cfg"
SECRET_KEY_FILENAME = "secret_key"

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,
    # Committee reports read from a PostgreSQL streaming replica (docs/replica.md): its URL (none:
    # everything reads the primary), the lag past which a page says how far behind it is, how long
    # an unreachable replica is left alone before it is tried again, and its connect timeout.
    "REPLICA_DATABASE_URL": None,
    "REPLICA_LAG_WARN_SECONDS": 60,
    "REPLICA_RETRY_SECONDS": 30,
    "REPLICA_CONNECT_TIMEOUT": 2,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "learnhub",
    "REMEMBER_COOKIE_NAME": "learnhub_remember",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=12),
    # Sign-in (docs/security-signin.md): signed out after IDLE_MINUTES without a request, and
    # SESSION_MAX_HOURS after signing in with the password whatever happens ("Keep me signed in"
    # waives only the first). REMEMBER_COOKIE_DURATION follows SESSION_MAX_HOURS unless set.
    "IDLE_MINUTES": 30,
    "SESSION_MAX_HOURS": 12,
    "TWO_FACTOR_PENDING_MINUTES": 5,
    # Failed sign-ins (Flask-Limiter syntax). Storage: memory:// for one process; a shared store
    # such as redis://127.0.0.1:6379/0 when several workers serve the app.
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_STRATEGY": "moving-window",
    "RATELIMIT_KEY_PREFIX": "learnhub",
    # If the shared store stops answering, each worker counts on its own instead of failing sign-in.
    "RATELIMIT_SWALLOW_ERRORS": True,
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "API_RATE_LIMIT": "120 per minute",  # calls per API token (docs/api.md)
    "SIGN_IN_LIMIT_PAIR": "5 per 15 minutes",
    "SIGN_IN_LIMIT_ACCOUNT": "10 per 15 minutes",
    "SIGN_IN_LIMIT_ADDRESS": "50 per 15 minutes",
    "TWO_FACTOR_LIMIT": "3 per 15 minutes",
    # Public contest entries started (docs/contests.md): per address (a commune office may share
    # one) and per phone number.
    "CONTEST_ENTRY_LIMIT_ADDRESS": "60 per 10 minutes",
    "CONTEST_ENTRY_LIMIT_PHONE": "5 per hour",
    "HTTPS": False,
    "PROXY_FIX": False,
    # br/gzip for pages, CSS, JS and JSON (learnhub/assets.py); false when a proxy compresses instead.
    "COMPRESS_RESPONSES": True,
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    # The largest audio or video file of a lesson or bulletin recording, in MB (docs/course-format.md);
    # keep it below MAX_CONTENT_LENGTH so the upload itself is accepted.
    "MEDIA_MAX_MB": 16,
    "BABEL_DEFAULT_LOCALE": "vi",
    # The calendar of due dates, "today", years and printed times (learnhub.settings.local_zone);
    # Babel prints times in it too unless BABEL_DEFAULT_TIMEZONE says otherwise.
    "TIMEZONE": "Asia/Ho_Chi_Minh",
    "LANGUAGES": ("vi", "en"),
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "WTF_CSRF_TIME_LIMIT": None,
    "PUBLIC_URL": "http://127.0.0.1:5000",
    # Scheduled reminders (`learnhub reminders send`, docs/reminders.md): members of open plans due
    # within REMINDER_DAYS days, never inside the quiet hours (local time, "HH:MM-HH:MM"; empty: none),
    # by the first of REMINDER_CHANNELS that is set up, reaches the member and is not turned off.
    "REMINDER_DAYS": 3,
    "REMINDER_QUIET_HOURS": "21:00-07:00",
    "REMINDER_CHANNELS": ["zalo", "sms", "email", "in_app"],
    "NOTIFY_TIMEOUT": 10,  # seconds to wait on an SMS gateway or Zalo before counting the message failed
    # An SMS gateway taking one HTTP request per message: the body is a JSON template whose strings
    # may hold {phone} (+84...), {phone84} (84...), {phone0} (0...) and {text}.
    "SMS_GATEWAY_URL": "",
    "SMS_GATEWAY_METHOD": "POST",
    "SMS_GATEWAY_HEADERS": {},
    "SMS_GATEWAY_BODY": '{"phone": "{phone84}", "message": "{text}"}',
    "SMS_GATEWAY_ID_FIELD": "",  # where the gateway's answer names the message, e.g. "SMSID" or "data.id"
    "SMS_ASCII": True,  # write texts without diacritics (one 160-character part instead of 70)
    "SMS_FOOTER": "",  # how to stop the texts, e.g. "Tu choi: soan TC gui 8xxx"; empty: a stop link
    # Zalo Official Account template messages (ZNS): a template approved by Zalo, filled from
    # ZALO_TEMPLATE_DATA whose strings may hold {name}, {plan}, {due}, {steps}, {link} and {stop}.
    "ZALO_API_URL": "https://business.openapi.zalo.me/message/template",
    "ZALO_ACCESS_TOKEN": "",
    "ZALO_TEMPLATE_ID": "",
    "ZALO_TEMPLATE_DATA": {"name": "{name}", "plan": "{plan}", "due": "{due}", "steps": "{steps}"},
}


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Fill app.config in order: defaults, instance file, environment, then ``overrides`` (tests)."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile(CONFIG_FILENAME, silent=True)
    app.config.from_prefixed_env("LEARNHUB")
    if overrides:
        app.config.from_mapping(overrides)

    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TIMEZONE"])
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            app.config["DATABASE_URL"] or f"sqlite:///{instance / 'learnhub.sqlite'}"
        )
    if not app.config.get("SQLALCHEMY_BINDS"):
        app.config["SQLALCHEMY_BINDS"] = replica_binds(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(instance)
    _sign_in_settings(app)


def _sign_in_settings(app: Flask) -> None:
    """Cookie and throttling settings that follow from HTTPS, the session length and testing."""
    config = app.config
    config.setdefault("REMEMBER_COOKIE_DURATION", dt.timedelta(hours=config["SESSION_MAX_HOURS"]))
    # Tests are not throttled, except those that switch throttling on themselves.
    config.setdefault("SIGN_IN_THROTTLING", not config.get("TESTING", False))
    if config["HTTPS"]:
        # "__Host-" cookies are only accepted by browsers when Secure, on path "/" and with no
        # Domain, so no other site or path can set or shadow them.
        host = "__Host-"
        config.update(
            SESSION_COOKIE_SECURE=True,
            REMEMBER_COOKIE_SECURE=True,
            PREFERRED_URL_SCHEME="https",
            SESSION_COOKIE_NAME=host + config["SESSION_COOKIE_NAME"].removeprefix(host),
            SESSION_COOKIE_PATH="/",
            SESSION_COOKIE_DOMAIN=None,
            REMEMBER_COOKIE_NAME=host + config["REMEMBER_COOKIE_NAME"].removeprefix(host),
            REMEMBER_COOKIE_PATH="/",
            REMEMBER_COOKIE_DOMAIN=None,
        )


def _instance_secret_key(instance: Path) -> str:
    """Read the instance's secret key, generating it on first start (never a fixed default).

    O_EXCL makes the first of several starting workers the only writer; the others read its key.
    """
    path = instance / SECRET_KEY_FILENAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text(encoding="ascii").strip()
            if key:
                return key
            time.sleep(0.05)
        raise RuntimeError(f"{path} is empty: delete it to generate a new secret key") from None
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key
