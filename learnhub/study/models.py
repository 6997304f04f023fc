"""Reading done offline and credited when the phone came back (docs/offline.md)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from learnhub.db import utcnow
from learnhub.extensions import Model


class OfflineReading(Model):
    """One stretch of a lesson read without a connection, as credited: a member reads one thing at a
    time, so a member's stretches never overlap, and the same stretch sent twice is credited once."""

    __tablename__ = "offline_reading"
    __table_args__ = (sa.UniqueConstraint("user_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lesson.id"), index=True)
    started_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime]
    seconds: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
