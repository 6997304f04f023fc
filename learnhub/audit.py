"""The audit log of sensitive actions: who, when, what, before and after.

Rows are added to the same session as the change, so they commit (or roll back) with it. What
happened is stored as a message (the English msgid, marked with ``N_``) and its parameters, and is
translated when the log is shown; ``summary`` keeps the English text, which rows written before
messages existed show as it is.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column

from learnhub.db import utcnow
from learnhub.extensions import Model, db


class AuditEntry(Model):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    actor_name: Mapped[str] = mapped_column(sa.String(200))  # kept as written: names change
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(sa.String(500))
    message: Mapped[str | None] = mapped_column(sa.String(200))  # the msgid; None on rows from before
    params: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)


def record(
    action: str,
    *,
    object_type: str,
    object_id: int | None,
    summary: str,
    params: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: Any = None,
) -> AuditEntry:
    """Add an audit entry for the signed-in user (or ``actor``; the command line when neither).

    With ``params``, ``summary`` is a message marked ``N_("moved %(name)s")`` and translated when shown.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", None) or "command line",
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=(summary % params if params is not None else summary)[:500],
        message=summary if params is not None else None,
        params=params,
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


def N_(message: str) -> str:  # noqa: N802  (the name `learnhub translate update` looks for)
    """Mark an audit message for the catalogue; it is translated when the log is shown, not here."""
    return message


def describe(entry: AuditEntry) -> str:
    """What happened, in the reader's language; rows from before messages keep their English summary."""
    if entry.message is None:
        return entry.summary
    try:
        return gettext(entry.message) % (entry.params or {})
    except (KeyError, TypeError, ValueError):  # a translation that lost a parameter: the English text
        return entry.summary
