"""Personal access tokens: what an integration presents instead of a session."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from learnhub.db import enum_column, utcnow
from learnhub.extensions import Model


class TokenScope(StrEnum):
    read = "read"  # GET only
    read_write = "read_write"  # also the writes: status, moves, member sync


class ApiToken(Model):
    """One named integration of one person. Only the SHA-256 of the secret is kept; the first
    characters (``prefix``) are kept to recognise it in the list."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope))
    # None: every unit its owner oversees; else only this unit and those below it (and still only
    # what the owner oversees on each call)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"))
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
