"""Public-page visits (no personal data) and outreach sessions held by mass organisations."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from learnhub.db import TimestampMixin
from learnhub.extensions import Model


class PublicVisit(Model):
    """One visitor's first view of a public module page on one day ("lượt").

    ``visitor`` is a keyed hash of a random cookie and the day: it cannot be linked to a person,
    changes every day, and only tells a reload from a new visitor. No IP address is kept.
    """

    __tablename__ = "public_visit"
    __table_args__ = (
        sa.UniqueConstraint("course_id", "day", "visitor"),
        sa.Index("ix_public_visit_course_day", "course_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"))
    day: Mapped[dt.date]
    visitor: Mapped[str] = mapped_column(sa.String(64))


class OutreachSession(TimestampMixin, Model):
    """A session held by a mass organisation (Fatherland Front, unions) with its head count."""

    __tablename__ = "outreach_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)  # whose figures it counts in
    organisation: Mapped[str] = mapped_column(sa.String(200))  # e.g. "Ủy ban MTTQ thị trấn"
    title: Mapped[str] = mapped_column(sa.String(300))
    held_on: Mapped[dt.date] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    head_count: Mapped[int]
    course_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course.id"))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))


class Bulletin(TimestampMixin, Model):
    """A unit's loudspeaker bulletin ("bản tin phát thanh") for a module: key points and a script
    to be read aloud, edited before printing, with an optional uploaded recording."""

    __tablename__ = "bulletin"
    __table_args__ = (sa.UniqueConstraint("course_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)  # whose loudspeakers read it
    title: Mapped[str] = mapped_column(sa.String(300))
    key_points: Mapped[str] = mapped_column(sa.Text, default="")  # one per line
    script: Mapped[str] = mapped_column(sa.Text, default="")  # one short sentence per line
    recording: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    recording_type: Mapped[str | None] = mapped_column(sa.String(100))  # checked by content (media_files)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))


class Broadcast(TimestampMixin, Model):
    """A bulletin read over a ward's wireless loudspeakers: counted in the year's outreach figures."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)  # whose figures it counts in
    course_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course.id"))
    held_on: Mapped[dt.date] = mapped_column(index=True)
    area: Mapped[str] = mapped_column(sa.String(200))  # the unit or khu phố the loudspeakers cover
    minutes: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
