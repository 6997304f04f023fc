"""Membership over time: transfers and status changes, never deleted."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from learnhub.auth.models import MemberStatus
from learnhub.db import enum_column, utcnow
from learnhub.extensions import Model


class MembershipEventKind(StrEnum):
    joined = "joined"
    transfer = "transfer"
    status = "status"


class MembershipEvent(Model):
    __tablename__ = "membership_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    kind: Mapped[MembershipEventKind] = mapped_column(enum_column(MembershipEventKind))
    effective_on: Mapped[dt.date]
    from_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"))
    to_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"))
    status: Mapped[MemberStatus | None] = mapped_column(enum_column(MemberStatus))
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
