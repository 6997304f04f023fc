"""The roster of a conference and its attendance: who is invited, who came, guests and head counts.

The **roster** is every active account (any category, any role) of the invited units and the units
below them, as the organisation is now, plus anyone already marked for the conference (a member who
moved away afterwards keeps their mark). Each change is audited and repeating it changes nothing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from learnhub import audit
from learnhub.auth.models import SIGN_IN_STATUSES, User
from learnhub.conferences.models import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    Conference,
    ConferenceGuest,
    ConferenceUnit,
    GuestKind,
)
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.paging import RowsPage, rows_page
from learnhub.security import subtree_ids
from learnhub.text import fold

MAX_HEAD_COUNT = 100_000


class AttendanceRefused(ValueError):
    """A change the conference does not accept; ``args[0]`` is a code the view explains."""


def invited_unit_ids(conference_id: int) -> sa.Select[tuple[int]]:
    """The invited units and every unit below them."""
    return subtree_ids(sa.select(ConferenceUnit.unit_id).where(ConferenceUnit.conference_id == conference_id))


def _roster_statement(conference_id: int, *columns: Any) -> sa.Select:
    """``columns`` of roster members, each with their attendance row (if any) outer-joined."""
    mark = sa.and_(Attendance.user_id == User.id, Attendance.conference_id == conference_id)
    invited = sa.and_(
        User.unit_id.in_(invited_unit_ids(conference_id)),
        User.active.is_(True),
        User.status.in_(list(SIGN_IN_STATUSES)),
    )
    return (
        sa.select(*columns)
        .select_from(User)
        .outerjoin(Attendance, mark)
        .where(sa.or_(invited, Attendance.id.is_not(None)))
    )


def _name_filter(statement: sa.Select, query: str) -> sa.Select:
    """Folded search, as the member list does: "nguyen van a" finds "Nguyễn Văn A"."""
    for word in fold(query).split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(
            sa.or_(User.search_name.like(f"%{escaped}%", escape="\\"),
                   User.username.like(f"%{escaped}%", escape="\\"))
        )
    return statement


@dataclass(frozen=True)
class RosterRow:
    user_id: int
    full_name: str
    username: str
    unit_id: int
    category: str
    search_name: str
    status: AttendanceStatus | None
    method: CheckInMethod | None
    recorded_at: dt.datetime | None


def _roster_rows(conference: Conference, query: str) -> sa.Select:
    statement = _roster_statement(
        conference.id, User.id, User.full_name, User.username, User.unit_id, User.category, User.search_name,
        Attendance.status, Attendance.method, Attendance.recorded_at,
    )
    return _name_filter(statement, query).order_by(User.sort_key, User.id)


def roster(conference: Conference, query: str = "") -> list[RosterRow]:
    """The roster in Vietnamese name order, with each member's mark; ``query`` narrows it by name."""
    return [RosterRow(*row) for row in db.session.execute(_roster_rows(conference, query))]


ROSTER_PAGE_SIZE = 100


def roster_page(conference: Conference, query: str = "", *, page: int = 1,
                per_page: int = ROSTER_PAGE_SIZE) -> RowsPage[RosterRow]:
    """A page of the roster: a conference of a whole commune would be a page of 600 KB on a phone."""
    return rows_page(_roster_rows(conference, query), lambda row: RosterRow(*row), page=page, per_page=per_page)


@dataclass(frozen=True)
class Counts:
    invited: int
    present: int
    excused: int
    absent: int

    @property
    def unmarked(self) -> int:
        return self.invited - self.present - self.excused - self.absent

    def as_dict(self) -> dict[str, int]:
        return {"invited": self.invited, "present": self.present, "excused": self.excused,
                "absent": self.absent, "unmarked": self.unmarked}


def counts(conference: Conference) -> Counts:
    """Present, excused, absent and not marked among the whole roster, in one query."""

    def tally(status: AttendanceStatus):
        return sa.func.coalesce(sa.func.sum(sa.case((Attendance.status == status, 1), else_=0)), 0)

    row = db.session.execute(_roster_statement(
        conference.id, sa.func.count(User.id), tally(AttendanceStatus.present), tally(AttendanceStatus.excused),
        tally(AttendanceStatus.absent),
    )).one()
    return Counts(*row)


def on_roster(conference: Conference, user_id: int) -> bool:
    """Whether ``user_id`` is on the conference's roster."""
    return db.session.scalar(_roster_statement(conference.id, User.id).where(User.id == user_id)) is not None


def attendance_of(conference: Conference, user_id: int) -> Attendance | None:
    return db.session.scalar(
        sa.select(Attendance).where(Attendance.conference_id == conference.id, Attendance.user_id == user_id)
    )


def record(
    conference: Conference,
    member: User,
    status: AttendanceStatus,
    *,
    method: CheckInMethod,
    by: User | None,
    now: dt.datetime | None = None,
) -> tuple[Attendance, bool]:
    """Set ``member``'s attendance, once; True when it changed. Concurrent first marks make one row."""
    now = now or utcnow()
    existing = attendance_of(conference, member.id)
    if existing is None:
        existing = Attendance(conference_id=conference.id, user_id=member.id, status=status, method=method,
                              recorded_at=now, recorded_by_id=by.id if by else None)
        try:
            with db.session.begin_nested():
                db.session.add(existing)
        except IntegrityError:  # the same member marked a moment ago by another request
            existing = attendance_of(conference, member.id)
            if existing is None:
                raise
        else:
            _audit(conference, member, None, status, method)
            return existing, True
    if existing.status == status:
        return existing, False
    before = existing.status
    existing.status, existing.method, existing.recorded_at = status, method, now
    existing.recorded_by_id = by.id if by else None
    _audit(conference, member, before, status, method)
    return existing, True


def _audit(conference: Conference, member: User, before: AttendanceStatus | None, after: AttendanceStatus,
           method: CheckInMethod) -> None:
    audit.record(
        "attendance.check_in" if method == CheckInMethod.self_check_in else "attendance.mark",
        object_type="conference", object_id=conference.id,
        summary=audit.N_("%(full_name)s (%(username)s): %(value)s at %(title)s"), params={"full_name": member.full_name, "username": member.username, "value": after.value, "title": conference.title},
        before={"user_id": member.id, "status": before.value if before else None},
        after={"user_id": member.id, "status": after.value, "method": method.value},
    )


def mark(conference: Conference, member: User, status: AttendanceStatus, *, by: User,
         now: dt.datetime | None = None) -> tuple[Attendance, bool]:
    """The organiser marks a roster member present, excused or absent."""
    if conference.cancelled_at is not None:
        raise AttendanceRefused("cancelled")
    if not on_roster(conference, member.id):
        raise AttendanceRefused("not_invited")
    return record(conference, member, status, method=CheckInMethod.roster, by=by, now=now)


def guests(conference: Conference) -> list[ConferenceGuest]:
    return list(db.session.scalars(
        sa.select(ConferenceGuest).where(ConferenceGuest.conference_id == conference.id).order_by(ConferenceGuest.id)
    ))


def add_guest(conference: Conference, *, kind: GuestKind, name: str = "", organisation: str = "") -> tuple[ConferenceGuest, bool]:
    """Add a participant without an account. A named guest already listed is not added twice."""
    if conference.cancelled_at is not None:
        raise AttendanceRefused("cancelled")
    name, organisation = " ".join(name.split()), " ".join(organisation.split())
    if name:
        same = db.session.scalar(sa.select(ConferenceGuest).where(
            ConferenceGuest.conference_id == conference.id, ConferenceGuest.kind == kind,
            ConferenceGuest.name == name, ConferenceGuest.organisation == organisation))
        if same is not None:
            return same, False
    guest = ConferenceGuest(conference_id=conference.id, kind=kind, name=name, organisation=organisation)
    db.session.add(guest)
    db.session.flush()
    audit.record("conference.guest_add", object_type="conference", object_id=conference.id,
                 summary=audit.N_("guest at %(title)s: %(value)s (%(value2)s)"), params={"title": conference.title, "value": (name or '-'), "value2": kind.value},
                 after={"guest_id": guest.id, "kind": kind.value, "name": name, "organisation": organisation})
    return guest, True


def remove_guest(conference: Conference, guest: ConferenceGuest) -> None:
    """Take a guest off the list (recorded by mistake)."""
    if conference.cancelled_at is not None:
        raise AttendanceRefused("cancelled")
    audit.record("conference.guest_remove", object_type="conference", object_id=conference.id,
                 summary=audit.N_("removed guest %(value)s from %(title)s"), params={"value": (guest.name or '-'), "title": conference.title},
                 before={"guest_id": guest.id, "kind": guest.kind.value, "name": guest.name,
                         "organisation": guest.organisation})
    db.session.delete(guest)


def set_head_counts(conference: Conference, *, civil_servants: int, citizens: int) -> bool:
    """Set the numbers of unnamed civil servants and citizens present; False when unchanged."""
    if conference.cancelled_at is not None:
        raise AttendanceRefused("cancelled")
    if not (0 <= civil_servants <= MAX_HEAD_COUNT and 0 <= citizens <= MAX_HEAD_COUNT):
        raise AttendanceRefused("head_count")
    before = {"civil_servants": conference.unnamed_civil_servants, "citizens": conference.unnamed_citizens}
    after = {"civil_servants": civil_servants, "citizens": citizens}
    if before == after:
        return False
    conference.unnamed_civil_servants, conference.unnamed_citizens = civil_servants, citizens
    audit.record("conference.head_counts", object_type="conference", object_id=conference.id,
                 summary=audit.N_("unnamed participants at %(title)s"), params={"title": conference.title}, before=before, after=after)
    return True
