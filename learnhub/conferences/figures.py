"""Conference figures of a unit over a date range, for the yearly report: SQL aggregates only.

Definitions (docs/metrics.md, "Conferences" and "Participants"):

- **held**: conferences organised by the unit or a unit below it, not cancelled, whose start falls
  between ``start`` and ``end`` inclusive (dates in Asia/Ho_Chi_Minh) and is not in the future.
- **conferences_total** and **by_form**: the held conferences, in all and per form (every form listed,
  zero included).
- **participants**: distinct party members and non-party civil servants with an account, marked
  present at one or more held conferences; plus civil-servant guests without an account (a named guest
  counted once however many conferences they attended: same name and organisation; an unnamed guest
  row once each); plus the unnamed civil-servant head counts of the conferences.
- **member_attendances**: present marks of party members and civil servants with an account
  (one per person per conference).
- **civil_servant_guests**: civil-servant guest rows plus the unnamed civil-servant head counts
  (attendances of non-members: one per person per conference).
- **citizen_attendances**: present marks of citizens with an account, plus citizen guest rows, plus
  the unnamed citizen head counts (the conferences' part of the outreach figure, "lượt").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from learnhub.auth.models import Category, User
from learnhub.conferences.models import (
    Attendance,
    AttendanceStatus,
    Conference,
    ConferenceGuest,
    GuestKind,
)
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.plans.models import StudyForm
from learnhub.security import subtree_ids
from learnhub.settings import local_midnight

MEMBER_CATEGORIES = (Category.party_member, Category.civil_servant)


@dataclass(frozen=True)
class ConferenceFigures:
    conferences_total: int
    by_form: dict[str, int] = field(default_factory=dict)  # StudyForm value -> held conferences
    participants: int = 0
    member_attendances: int = 0
    civil_servant_guests: int = 0
    citizen_attendances: int = 0

    @property
    def attendances(self) -> int:
        """Attendances of party members and civil servants, with or without an account."""
        return self.member_attendances + self.civil_servant_guests

    def as_dict(self) -> dict[str, object]:
        return {
            "conferences_total": self.conferences_total, "by_form": dict(self.by_form),
            "participants": self.participants, "member_attendances": self.member_attendances,
            "civil_servant_guests": self.civil_servant_guests, "citizen_attendances": self.citizen_attendances,
            "attendances": self.attendances,
        }


def held_conferences(unit_id: int, start: dt.date, end: dt.date, now: dt.datetime | None = None) -> sa.Select:
    """The ids of the conferences held by the unit (and below) between ``start`` and ``end``."""
    latest = min(local_midnight(end + dt.timedelta(days=1)), now or utcnow())
    return sa.select(Conference.id).where(
        Conference.unit_id.in_(subtree_ids(sa.select(sa.literal(unit_id)))),
        Conference.cancelled_at.is_(None),
        Conference.starts_at >= local_midnight(start),
        Conference.starts_at < latest,
    )


def _count_if(condition) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def conference_figures(unit_id: int, start: dt.date, end: dt.date, *, now: dt.datetime | None = None) -> ConferenceFigures:
    """The conference figures of ``unit_id`` and the units below it for ``start``..``end`` (inclusive)."""
    held = held_conferences(unit_id, start, end, now)
    by_form = {form.value: 0 for form in StudyForm}
    unnamed_civil_servants = unnamed_citizens = 0
    for form, number, civil_servants, citizens in db.session.execute(
        sa.select(Conference.form, sa.func.count(Conference.id),
                  sa.func.coalesce(sa.func.sum(Conference.unnamed_civil_servants), 0),
                  sa.func.coalesce(sa.func.sum(Conference.unnamed_citizens), 0))
        .where(Conference.id.in_(held)).group_by(Conference.form)
    ):
        by_form[StudyForm(form).value] = number
        unnamed_civil_servants += civil_servants
        unnamed_citizens += citizens

    is_member = User.category.in_(MEMBER_CATEGORIES)
    members, member_attendances, citizen_users = db.session.execute(
        sa.select(sa.func.count(sa.distinct(sa.case((is_member, Attendance.user_id)))),
                  _count_if(is_member), _count_if(User.category == Category.citizen))
        .select_from(Attendance).join(User, User.id == Attendance.user_id)
        .where(Attendance.conference_id.in_(held), Attendance.status == AttendanceStatus.present)
    ).one()

    civil = ConferenceGuest.kind == GuestKind.civil_servant
    named_key = sa.case((sa.and_(civil, ConferenceGuest.name != ""),
                         ConferenceGuest.name + "|" + ConferenceGuest.organisation))
    named_guests, unnamed_guest_rows, civil_servant_rows, citizen_guests = db.session.execute(
        sa.select(sa.func.count(sa.distinct(named_key)), _count_if(sa.and_(civil, ConferenceGuest.name == "")),
                  _count_if(civil), _count_if(ConferenceGuest.kind == GuestKind.citizen))
        .where(ConferenceGuest.conference_id.in_(held))
    ).one()

    return ConferenceFigures(
        conferences_total=sum(by_form.values()),
        by_form=by_form,
        participants=members + named_guests + unnamed_guest_rows + unnamed_civil_servants,
        member_attendances=member_attendances,
        civil_servant_guests=civil_servant_rows + unnamed_civil_servants,
        citizen_attendances=citizen_users + citizen_guests + unnamed_citizens,
    )
