"""Private calendar feeds (RFC 5545): a member's due dates and conferences, or a unit's for its
committee; creating and revoking their secret addresses."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _

from learnhub.auth.models import User
from learnhub.conferences.models import Conference, ConferencePresenter, ConferenceUnit
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.notify.access import token_hash
from learnhub.notify.models import CalendarFeed
from learnhub.orgs.models import Unit
from learnhub.plans.member_plans import plans_for_member
from learnhub.plans.models import PlanStatus, PlanUnit, StudyPlan
from learnhub.plans.steps import describe
from learnhub.security import ancestor_ids, subtree_ids
from learnhub.settings import get_setting, local_today

PAST_DAYS = 90  # conferences older than this are left out: calendars keep their own copy


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    day: dt.date | None = None  # an all-day event
    starts_at: dt.datetime | None = None  # or a timed one (aware)
    ends_at: dt.datetime | None = None


def new_feed(owner: User, unit: Unit | None = None) -> str:
    """A new secret address for ``owner``'s calendar (or ``unit``'s); the previous one of the same
    kind stops working. Returns the token, shown once; only its hash is kept. Only flushes."""
    revoke_feeds(owner, unit)
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarFeed(user_id=owner.id, unit_id=unit.id if unit else None, token_hash=token_hash(token)))
    db.session.flush()
    return token


def revoke_feeds(owner: User, unit: Unit | None = None) -> int:
    """Stop ``owner``'s feed of that kind (their own, or the unit's); returns how many stopped."""
    result = db.session.execute(
        sa.update(CalendarFeed)
        .where(CalendarFeed.user_id == owner.id, CalendarFeed.revoked_at.is_(None),
               CalendarFeed.unit_id.is_(None) if unit is None else CalendarFeed.unit_id == unit.id)
        .values(revoked_at=utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


def active_feeds(owner: User) -> list[tuple[CalendarFeed, Unit | None]]:
    """The owner's feeds in use, their own first, then by unit name."""
    rows = db.session.execute(
        sa.select(CalendarFeed, Unit).outerjoin(Unit, Unit.id == CalendarFeed.unit_id)
        .where(CalendarFeed.user_id == owner.id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.unit_id.is_not(None), Unit.name, CalendarFeed.id)).all()
    return [(row[0], row[1]) for row in rows]


def _host() -> str:
    return urlsplit(str(get_setting("public_url"))).hostname or "learnhub"


def _site(path: str) -> str:
    return str(get_setting("public_url")).rstrip("/") + path


def _plan_event(plan: StudyPlan, description: str) -> Event:
    return Event(uid=f"plan-{plan.id}-due@{_host()}", summary=_("Due: %(plan)s", plan=plan.title),
                 description=description, day=plan.due_on, url=_site(f"/#plan-{plan.id}"))


def _conference_event(conference: Conference) -> Event:
    return Event(uid=f"conference-{conference.id}@{_host()}", summary=conference.title,
                 location=conference.place, starts_at=conference.starts_at, ends_at=conference.ends_at,
                 description=conference.presenters)


def _conferences(statement: sa.Select[tuple[Conference]]) -> list[Event]:
    since = utcnow() - dt.timedelta(days=PAST_DAYS)
    found = db.session.scalars(statement.where(Conference.cancelled_at.is_(None), Conference.ends_at >= since)
                               .order_by(Conference.starts_at, Conference.id))
    return [_conference_event(c) for c in found]


def member_events(member: User) -> list[Event]:
    """The due dates of the member's open plans not yet completed (with what is left) and the
    conferences their units are invited to or they present at."""
    events = [_plan_event(p.plan, _("Still to do: %(steps)s", steps=describe(p.steps)))
              for p in plans_for_member(member, local_today()) if not p.completed]
    invited = sa.exists(sa.select(ConferenceUnit.id).where(
        ConferenceUnit.conference_id == Conference.id,
        ConferenceUnit.unit_id.in_(ancestor_ids(sa.select(sa.literal(member.unit_id))))))
    presents = sa.exists(sa.select(ConferencePresenter.id).where(
        ConferencePresenter.conference_id == Conference.id, ConferencePresenter.user_id == member.id))
    return events + _conferences(sa.select(Conference).where(sa.or_(invited, presents)))


def unit_events(unit: Unit) -> list[Event]:
    """The due dates of open plans whose targets include the unit (or units below it) and the
    conferences the unit or its sub-units organise or are invited to."""
    around = sa.union(ancestor_ids(sa.select(sa.literal(unit.id))), subtree_ids(sa.select(sa.literal(unit.id))))
    near = sa.select(around.subquery().c[0])
    plans = db.session.scalars(
        sa.select(StudyPlan).where(StudyPlan.status == PlanStatus.open, sa.exists(sa.select(PlanUnit.id).where(
            PlanUnit.plan_id == StudyPlan.id, PlanUnit.unit_id.in_(near))))
        .order_by(StudyPlan.due_on, StudyPlan.id))
    below = subtree_ids(sa.select(sa.literal(unit.id)))
    invited = sa.exists(sa.select(ConferenceUnit.id).where(ConferenceUnit.conference_id == Conference.id,
                                                           ConferenceUnit.unit_id.in_(near)))
    return ([_plan_event(plan, "") for plan in plans]
            + _conferences(sa.select(Conference).where(sa.or_(Conference.unit_id.in_(below), invited))))


def _escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space, never splitting a character."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def to_ical(name: str, events: list[Event]) -> str:
    """The events as an iCalendar document (timed events in UTC, due dates as all-day events)."""
    stamp = _utc(utcnow())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//LearnHub//Calendar//VI", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(name)}"]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{stamp}"]
        if event.day is not None:
            end = event.day + dt.timedelta(days=1) if event.day < dt.date.max else event.day  # no day after 9999-12-31
            lines += [f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}", "TRANSP:TRANSPARENT"]
        elif event.starts_at is not None and event.ends_at is not None:
            lines += [f"DTSTART:{_utc(event.starts_at)}", f"DTEND:{_utc(event.ends_at)}"]
        lines.append(f"SUMMARY:{_escape(event.summary)}")
        lines += [f"{key}:{_escape(value)}" for key, value in
                  (("DESCRIPTION", event.description), ("LOCATION", event.location)) if value]
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
