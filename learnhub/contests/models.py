"""Online knowledge contests: the contest, its rounds, the entries (members' and citizens'),
and the certificates LearnHub issues with a verification code."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnhub.db import TimestampMixin, enum_column, utcnow
from learnhub.extensions import Model


class EntrantKind(StrEnum):
    member = "member"  # signed in: a LearnHub account
    citizen = "citizen"  # a public entry, without an account


class Contest(TimestampMixin, Model):
    """A contest held by ``unit_id``: questions drawn from a module's quiz, run in rounds."""

    __tablename__ = "contest"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)  # the organising committee
    title: Mapped[str] = mapped_column(sa.String(300))
    organiser: Mapped[str] = mapped_column(sa.String(300))  # as printed: "Ban Tuyên giáo Huyện ủy..."
    rules: Mapped[str] = mapped_column(sa.Text, default="")
    prizes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # each round's prizes, by rank
    # The questions: a module's quiz, or the contest's own bank (quiz.md, rendered once when saved).
    quiz_id: Mapped[int | None] = mapped_column(sa.ForeignKey("quiz.id"), index=True)
    bank: Mapped[list[dict[str, Any]] | None] = mapped_column(sa.JSON)
    questions_per_entry: Mapped[int] = mapped_column(default=10)
    time_limit_minutes: Mapped[int] = mapped_column(default=15)
    members_may_enter: Mapped[bool] = mapped_column(default=True)
    public_may_enter: Mapped[bool] = mapped_column(default=True)
    entries_per_person: Mapped[int] = mapped_column(default=1)  # per round, per phone or member
    published_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    rounds: Mapped[list[ContestRound]] = relationship(
        back_populates="contest", order_by="ContestRound.number", cascade="all, delete-orphan")


class ContestRound(Model):
    """One round (usually a week): entries are accepted from ``opens_at`` until ``closes_at``."""

    __tablename__ = "contest_round"
    __table_args__ = (sa.UniqueConstraint("contest_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id"), index=True)
    number: Mapped[int]
    opens_at: Mapped[dt.datetime]
    closes_at: Mapped[dt.datetime]

    contest: Mapped[Contest] = relationship(back_populates="rounds")


class ContestEntry(Model):
    """One entry of one round. ``paper`` keeps the drawn questions and this entry's tokens (as a quiz
    attempt does); the time taken is ``submitted_at - started_at``, both recorded by the server."""

    __tablename__ = "contest_entry"
    __table_args__ = (
        # One entry per phone (and per member) per round unless the rules allow more: ``entry_no``
        # counts them, so two concurrent submits cannot both become the same entry.
        sa.UniqueConstraint("round_id", "phone", "entry_no"),
        sa.UniqueConstraint("round_id", "user_id", "entry_no"),
        sa.Index("ix_contest_entry_round_ranking", "round_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("contest_round.id"))
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)  # the entry page's secret address
    entry_no: Mapped[int] = mapped_column(default=1)
    kind: Mapped[EntrantKind] = mapped_column(enum_column(EntrantKind))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    birth_year: Mapped[int | None]
    phone: Mapped[str | None] = mapped_column(sa.String(20))  # normalised +84...; never shown publicly
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    organisation: Mapped[str] = mapped_column(sa.String(300), default="")
    consented_at: Mapped[dt.datetime | None]
    paper: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    answers: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    deadline: Mapped[dt.datetime]
    submitted_at: Mapped[dt.datetime | None]
    late: Mapped[bool] = mapped_column(default=False)
    prediction: Mapped[int | None]
    score: Mapped[float | None]
    max_score: Mapped[float]
    all_correct: Mapped[bool] = mapped_column(default=False)
    seconds: Mapped[int | None]


class CertificateKind(StrEnum):
    prize = "prize"  # a contest round's prize winner
    plan = "plan"  # a member who completed a study plan


class Certificate(Model):
    """A certificate with a random code; ``/verify/<code>`` confirms it until it is revoked."""

    __tablename__ = "certificate"
    __table_args__ = (sa.UniqueConstraint("plan_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[CertificateKind] = mapped_column(enum_column(CertificateKind))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)  # the issuing committee
    name: Mapped[str] = mapped_column(sa.String(200))
    reason: Mapped[str] = mapped_column(sa.String(500))  # what for, as printed
    issued_by: Mapped[str] = mapped_column(sa.String(300))
    issued_on: Mapped[dt.date]
    entry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contest_entry.id"), unique=True)
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("study_plan.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
