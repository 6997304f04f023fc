"""The audit log of sensitive actions: who, when, what, before and after.

Rows are added to the same session as the change, so they commit (or roll back) with it.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import has_request_context
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column

from learnhub.db import utcnow
from learnhub.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    actor_name: Mapped[str] = mapped_column(sa.String(200))  # kept as written: names change
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(sa.String(500))
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)


def record(
    action: str,
    *,
    object_type: str,
    object_id: int | None,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: Any = None,
) -> AuditEntry:
    """Add an audit entry for the signed-in user (or ``actor``; the command line when neither)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", None) or "command line",
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:500],
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry
