"""What the notifier keeps: each reminder delivered (or not), members' channel choices, calendar feeds."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from learnhub.db import enum_column, utcnow
from learnhub.extensions import Model


class ChannelName(StrEnum):
    """The ways a reminder reaches someone, in the default order of preference."""

    zalo = "zalo"  # a Zalo Official Account template message to the member's phone
    sms = "sms"  # a text message through the organisation's SMS gateway
    email = "email"
    in_app = "in_app"  # a notification on LearnHub (only seen by those who sign in)


class DeliveryStatus(StrEnum):
    sending = "sending"  # claimed by a run, not yet answered (a run that died leaves it so)
    sent = "sent"
    failed = "failed"
    skipped = "skipped"  # nothing sent: opted out of every channel, or no channel reaches them


class ReminderDelivery(Model):
    """One reminder to one member about one plan on one (local) day: at most one, which the unique
    constraint keeps true even when two scheduled runs overlap."""

    __tablename__ = "reminder_delivery"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "plan_id", "day"),
        sa.Index("ix_reminder_delivery_day_status", "day", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("study_plan.id"), index=True)
    day: Mapped[dt.date]  # the organisation's calendar day the reminder counts for
    channel: Mapped[ChannelName | None] = mapped_column(enum_column(ChannelName))
    status: Mapped[DeliveryStatus] = mapped_column(enum_column(DeliveryStatus))
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    provider_id: Mapped[str] = mapped_column(sa.String(100), default="")  # the gateway's message id
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReminderPreference(Model):
    """A member's choice of channel and the channels they turned off (none stored: the defaults)."""

    __tablename__ = "reminder_preference"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), primary_key=True)
    preferred: Mapped[ChannelName | None] = mapped_column(enum_column(ChannelName))
    opted_out: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # ChannelName values
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CalendarFeed(Model):
    """A private iCal address: a member's own due dates and conferences, or (``unit_id`` set) a unit's
    for a committee member. Only the token's SHA-256 is kept; revoking makes the address unknown."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
