"""An inspection of a unit's study (findings, a conclusion, a follow-up) and the committee's decided levels."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from learnhub.db import TimestampMixin, enum_column
from learnhub.extensions import Model


class Conclusion(StrEnum):
    praise = "praise"  # biểu dương
    remind = "remind"  # nhắc nhở
    criticise = "criticise"  # phê bình


class Level(StrEnum):
    """The four official levels for collectives ("xếp loại tập thể"), stored by name."""

    excellent = "excellent"  # Hoàn thành xuất sắc nhiệm vụ
    good = "good"  # Hoàn thành tốt nhiệm vụ
    completed = "completed"  # Hoàn thành nhiệm vụ
    not_completed = "not_completed"  # Không hoàn thành nhiệm vụ


class Inspection(TimestampMixin, Model):
    __tablename__ = "inspection"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)  # the unit inspected
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("study_plan.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(index=True)
    inspectors: Mapped[str] = mapped_column(sa.String(500))  # who inspected, as written
    findings: Mapped[str] = mapped_column(sa.Text)
    conclusion: Mapped[Conclusion] = mapped_column(enum_column(Conclusion))
    follow_up: Mapped[str] = mapped_column(sa.Text, default="")
    follow_up_due: Mapped[dt.date | None]
    follow_up_done_at: Mapped[dt.datetime | None]
    follow_up_note: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))


class LevelDecision(TimestampMixin, Model):
    """The level the committee decided for a unit's study work in a year, with its reason."""

    __tablename__ = "level_decision"
    __table_args__ = (sa.UniqueConstraint("unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    year: Mapped[int]
    level: Mapped[Level] = mapped_column(enum_column(Level))
    reason: Mapped[str] = mapped_column(sa.Text)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
