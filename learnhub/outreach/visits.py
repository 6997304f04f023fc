"""Visits to the public module pages ("lượt"), counted without personal data.

How a visit is counted:

- A browser is recognised by a first-party cookie ``lh_visitor`` holding a random token from
  :mod:`secrets` (HttpOnly, SameSite=Lax, path ``/public``, one year, Secure when the request is
  HTTPS). The token is never stored.
- The stored ``PublicVisit.visitor`` is HMAC-SHA256, keyed with the app's ``SECRET_KEY``, of the
  day and the token. It changes every day, so visits cannot be linked across days, and the token
  cannot be read back from it. No IP address, user agent or account is stored or logged by us.
- One row per (module, day, visitor): a reload the same day by the same browser finds its row and
  is not counted; the next day counts again. The insert is ``INSERT ... ON CONFLICT DO NOTHING``
  (SQLite and PostgreSQL), so two simultaneous requests can never count twice or fail.
- Pages are sent with ``Cache-Control: private, no-cache``: no shared cache answers for the view,
  so every visit reaches it.
- A browser without the cookie (its first request) gets a new token and is counted once with it;
  its later requests carry the cookie. A browser that refuses cookies is counted on each request:
  without an address there is nothing else to tell it apart.
- Not counted: HEAD requests; obvious robots (a User-Agent containing bot, crawler, spider or
  preview); and (**Decision**) signed-in accounts that are not citizens: party members and civil
  servants are not "quần chúng", and authors checking their own page would inflate the figure.
- The day is the calendar day in Asia/Ho_Chi_Minh.

The figures: ``visits_by_month`` (one module, per month of a year) and ``outreach_visits`` (the
visits part of a unit's outreach figure), both COUNTs of ``public_visit`` rows in SQL.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from learnhub.auth.models import Category
from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.outreach.models import PublicVisit
from learnhub.plans.member_plans import local_today
from learnhub.security import subtree_ids

VISITOR_COOKIE = "lh_visitor"
VISITOR_COOKIE_AGE = 365 * 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
_BOT = re.compile(r"bot|crawler|spider|preview", re.IGNORECASE)
_INSERTS: dict[str, Callable[[Any], sqlite.Insert | postgresql.Insert]] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def today() -> dt.date:
    """The counting day: today in Asia/Ho_Chi_Minh (tests replace it to move the clock)."""
    return local_today()


def new_token() -> str:
    """A fresh random visitor token for the cookie."""
    return secrets.token_urlsafe(32)


def valid_token(value: str | None) -> str | None:
    """The cookie's token when it looks like one we issued, else None (a new one is issued)."""
    return value if value and _TOKEN.fullmatch(value) else None


def is_bot(user_agent: str | None) -> bool:
    """Obvious robots and link previewers, by their User-Agent."""
    return bool(user_agent and _BOT.search(user_agent))


def visitor_hash(token: str, day: dt.date) -> str:
    """HMAC-SHA256 of the day and the token, keyed with SECRET_KEY: unlinkable across days."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"{day.isoformat()}|{token}".encode(), hashlib.sha256).hexdigest()


def count_visit(course_id: int, token: str, day: dt.date | None = None) -> bool:
    """Count one visit of ``course_id`` by the browser holding ``token`` on ``day`` (default today).

    Returns True when it was counted, False for a repeat the same day. Only executes; the view commits.
    """
    day = day or today()
    insert = _INSERTS[db.session.get_bind().dialect.name]
    statement = (
        insert(PublicVisit).values(course_id=course_id, day=day, visitor=visitor_hash(token, day))
        .on_conflict_do_nothing(index_elements=["course_id", "day", "visitor"])
        .returning(PublicVisit.id)
    )
    return db.session.execute(statement).scalar() is not None


def record_visit(
    course_id: int, *, cookie: str | None, user_agent: str | None, user: Any = None, day: dt.date | None = None
) -> str | None:
    """Apply the counting rules to one page view; returns a new token to set in the cookie, or None.

    ``cookie`` is the ``lh_visitor`` value the browser sent (None without one).
    """
    if is_bot(user_agent):
        return None
    if user is not None and getattr(user, "is_authenticated", False) and user.category != Category.citizen:
        return None
    token = valid_token(cookie)
    issued = None
    if token is None:
        token = issued = new_token()
    count_visit(course_id, token, day)
    return issued


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def monthly_visits(course_ids: sa.Select[Any] | list[int], year: int) -> dict[int, dict[int, int]]:
    """{course id: {month: visits}} for the courses given, in one GROUP BY (months without visits left out)."""
    start, end = _year_bounds(year)
    month = sa.extract("month", PublicVisit.day)
    rows = db.session.execute(
        sa.select(PublicVisit.course_id, month.label("month"), sa.func.count())
        .where(PublicVisit.course_id.in_(course_ids), PublicVisit.day.between(start, end))
        .group_by(PublicVisit.course_id, month)
    ).all()
    table: dict[int, dict[int, int]] = {}
    for course_id, m, n in rows:
        table.setdefault(course_id, {})[int(m)] = int(n)
    return table


def visits_by_month(course_id: int, year: int) -> dict[int, int]:
    """Visits ("lượt") of one module's public page per month of ``year``: {1: n, ..., 12: n}, zeros included."""
    counted = monthly_visits([course_id], year).get(course_id, {})
    return {m: counted.get(m, 0) for m in range(1, 13)}


def outreach_visits(unit_id: int, start: dt.date, end: dt.date) -> int:
    """Daily-unique visits, with start <= day <= end, to the public pages of modules owned by
    ``unit_id`` or a unit below it (one row of ``public_visit`` is one visit)."""
    owned = sa.select(Course.id).where(Course.owner_unit_id.in_(subtree_ids(sa.select(sa.literal(unit_id)))))
    return db.session.scalar(
        sa.select(sa.func.count(PublicVisit.id)).where(
            PublicVisit.course_id.in_(owned), PublicVisit.day >= start, PublicVisit.day <= end
        )
    ) or 0
