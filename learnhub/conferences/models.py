"""Conferences under a plan, who was invited, who came, and the guests who are not members."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnhub.db import TimestampMixin, enum_column, utcnow
from learnhub.extensions import Model
from learnhub.plans.models import StudyForm


class AttendanceStatus(StrEnum):
    present = "present"  # có mặt
    excused = "excused"  # vắng có lý do
    absent = "absent"  # vắng không lý do


class CheckInMethod(StrEnum):
    roster = "roster"  # marked by the organiser
    self_check_in = "self_check_in"  # the member scanned the conference's QR code


class GuestKind(StrEnum):
    civil_servant = "civil_servant"  # a civil servant from another body, not in LearnHub
    citizen = "citizen"  # quần chúng


class Conference(TimestampMixin, Model):
    """A study conference, held by ``unit_id`` (usually under a plan), for the invited units' members."""

    __tablename__ = "conference"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("study_plan.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)  # the organiser
    title: Mapped[str] = mapped_column(sa.String(300))
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)
    ends_at: Mapped[dt.datetime]
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    form: Mapped[StudyForm] = mapped_column(enum_column(StudyForm), default=StudyForm.in_person)
    presenters: Mapped[str] = mapped_column(sa.Text, default="")  # as printed on the notice
    agenda: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    # The secret in the check-in link shown as a QR code; a new one invalidates printed codes.
    check_in_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # People who came but are not LearnHub accounts and were not named: head counts.
    unnamed_civil_servants: Mapped[int] = mapped_column(default=0)
    unnamed_citizens: Mapped[int] = mapped_column(default=0)
    cancelled_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    invited_units: Mapped[list[ConferenceUnit]] = relationship(cascade="all, delete-orphan")
    presenter_links: Mapped[list[ConferencePresenter]] = relationship(cascade="all, delete-orphan")


class ConferenceUnit(Model):
    """A unit invited to a conference; the members of its subtree are on the roster."""

    __tablename__ = "conference_unit"
    __table_args__ = (sa.UniqueConstraint("conference_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)


class ConferencePresenter(Model):
    """A LearnHub account who presented at the conference (for the propagandists' roster)."""

    __tablename__ = "conference_presenter"
    __table_args__ = (sa.UniqueConstraint("conference_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)


class Attendance(Model):
    """One member's attendance at one conference; changed in place, every change audited."""

    __tablename__ = "attendance"
    __table_args__ = (sa.UniqueConstraint("conference_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_column(AttendanceStatus))
    method: Mapped[CheckInMethod] = mapped_column(enum_column(CheckInMethod), default=CheckInMethod.roster)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))


class ConferenceGuest(Model):
    """A named participant who has no LearnHub account (the name is optional: then it is a head count of 1)."""

    __tablename__ = "conference_guest"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id"), index=True)
    kind: Mapped[GuestKind] = mapped_column(enum_column(GuestKind))
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
