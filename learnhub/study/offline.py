"""Crediting reading done offline: the same rules as online heartbeats, applied when the phone is back.

A lesson page that loses its connection keeps the times of the heartbeats it could not send (the
member's phone clock) and sends them as one stretch when the connection returns. The stretch is
credited like online heartbeats (each gap at most HEARTBEAT_CAP), only if it happened recently and not
in the future, only once, and never over another stretch of the same member: a member reads one
thing at a time. Which lesson may be read is the caller's loader (study/access.py).
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from learnhub.auth.models import User
from learnhub.courses.models import Lesson, LessonProgress
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.study.models import OfflineReading
from learnhub.study.services import HEARTBEAT_CAP, _progress_for

# Reading older than this is not credited: a phone away from any connection for a week is rare,
# and a plan's figures should not change long after the fact.
OFFLINE_MAX_AGE = dt.timedelta(days=7)
# Phone clocks are a little off; a time further ahead of the server than this is refused.
CLOCK_SKEW = dt.timedelta(minutes=2)
# A stretch of 24 hours at one heartbeat every 30 seconds; anything longer is not a real page.
MAX_BEATS = 2880


class ReadingRefused(Exception):
    """The stretch breaks a rule; ``reason`` is one of REASONS."""

    REASONS = ("too_old", "in_future", "overlap")

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def credit_offline_reading(
    user: User, lesson: Lesson, *, started_at: dt.datetime, beats: list[dt.datetime],
    now: dt.datetime | None = None,
) -> int:
    """Credit the stretch from ``started_at`` through ``beats``; return the seconds added (0 if it was
    credited before). Raises ReadingRefused when it is too old, in the future or overlaps another."""
    now = now or utcnow()
    times = sorted({t for t in beats if t > started_at})
    if not times:
        return 0
    if started_at < now - OFFLINE_MAX_AGE:
        raise ReadingRefused("too_old")
    if times[-1] > now + CLOCK_SKEW:
        raise ReadingRefused("in_future")
    times = [min(t, now) for t in times]
    reading = db.session.scalar(sa.select(OfflineReading).where(
        OfflineReading.user_id == user.id, OfflineReading.started_at == started_at))
    if reading is not None and reading.lesson_id != lesson.id:
        raise ReadingRefused("overlap")
    start = reading.ended_at if reading is not None else started_at
    times = [t for t in times if t > start]  # a replay brings nothing new
    if not times:
        return 0
    if _overlaps(user, start, times[-1], reading):
        raise ReadingRefused("overlap")
    seconds = _seconds(start, times)
    if reading is None:
        reading = OfflineReading(user_id=user.id, lesson_id=lesson.id, started_at=started_at,
                                 ended_at=times[-1], seconds=0)
        db.session.add(reading)
    reading.ended_at = times[-1]
    reading.seconds += seconds
    _add_to_progress(user, lesson, started_at, times[-1], seconds)
    db.session.flush()
    return seconds


def _overlaps(user: User, start: dt.datetime, end: dt.datetime, own: OfflineReading | None) -> bool:
    query = sa.select(OfflineReading.id).where(
        OfflineReading.user_id == user.id, OfflineReading.started_at < end, OfflineReading.ended_at > start)
    if own is not None:
        query = query.where(OfflineReading.id != own.id)
    return db.session.scalar(query.limit(1)) is not None


def _seconds(start: dt.datetime, times: list[dt.datetime]) -> int:
    """The online rule: each gap between signs of life counts, at most HEARTBEAT_CAP."""
    total = dt.timedelta(0)
    for before, after in zip([start, *times], times, strict=False):
        total += min(after - before, HEARTBEAT_CAP)
    return int(total.total_seconds())


def _add_to_progress(user: User, lesson: Lesson, start: dt.datetime, end: dt.datetime, seconds: int) -> None:
    progress: LessonProgress = _progress_for(user, lesson, start)
    progress.seconds_spent += seconds
    progress.first_opened_at = min(progress.first_opened_at, start)
    progress.last_seen_at = max(progress.last_seen_at, end)
