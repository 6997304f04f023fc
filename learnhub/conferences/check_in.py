"""Self check-in: a member scans the conference's QR code, signs in and is marked present, once.

The link carries the conference's secret token and works only from ``OPENS_BEFORE`` the start until
``CLOSES_AFTER`` the end, only for members on the roster, and never for a cancelled conference.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import url_for

from learnhub import qr
from learnhub.auth.models import User
from learnhub.conferences.attendance import attendance_of, on_roster, record
from learnhub.conferences.models import Attendance, AttendanceStatus, CheckInMethod, Conference
from learnhub.db import utcnow
from learnhub.settings import get_setting

OPENS_BEFORE = dt.timedelta(minutes=30)  # members arriving early may check in
CLOSES_AFTER = dt.timedelta(0)  # the link stops at the scheduled end


class CheckInRefused(ValueError):
    """Why a member cannot check in: cancelled, not_invited, not_yet or closed."""


@dataclass(frozen=True)
class CheckInState:
    """What the check-in page tells a member, before any change."""

    refused: str | None  # a CheckInRefused code, or None when the member may check in
    attendance: Attendance | None  # their mark so far, if any
    opens_at: dt.datetime
    closes_at: dt.datetime

    @property
    def checked_in(self) -> bool:
        return self.attendance is not None and self.attendance.status == AttendanceStatus.present


def window(conference: Conference) -> tuple[dt.datetime, dt.datetime]:
    """When the check-in link works."""
    return conference.starts_at - OPENS_BEFORE, conference.ends_at + CLOSES_AFTER


def state(conference: Conference, member: User, now: dt.datetime | None = None) -> CheckInState:
    """Whether ``member`` may check in now, and their mark so far. Nothing is written."""
    now = now or utcnow()
    opens_at, closes_at = window(conference)
    attendance = attendance_of(conference, member.id)
    refused = None
    if conference.cancelled_at is not None:
        refused = "cancelled"
    elif attendance is None and not on_roster(conference, member.id):
        refused = "not_invited"
    elif attendance is not None and attendance.status == AttendanceStatus.present:
        refused = None  # already checked in: the page says so, and a second scan changes nothing
    elif now < opens_at:
        refused = "not_yet"
    elif now > closes_at:
        refused = "closed"
    return CheckInState(refused, attendance, opens_at, closes_at)


def check_in(conference: Conference, member: User, now: dt.datetime | None = None) -> tuple[Attendance, bool]:
    """Mark ``member`` present by self check-in; True when recorded now, False when already present."""
    now = now or utcnow()
    current = state(conference, member, now)
    if current.refused:
        raise CheckInRefused(current.refused)
    return record(conference, member, AttendanceStatus.present, method=CheckInMethod.self_check_in, by=member,
                  now=now)


def check_in_url(conference: Conference) -> str:
    """The absolute address in the QR code, on the public address members' phones reach."""
    base = str(get_setting("public_url")).rstrip("/")
    return base + url_for("conferences.check_in", token=conference.check_in_token)


def qr_svg(text: str) -> str:
    """An inline SVG QR code that scales with its box (made on the server: no script, no network)."""
    return qr.qr_svg(text, css_class="lh-qr__code")
