"""Posts under a lesson: a question (no parent) and its replies."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnhub.db import utcnow
from learnhub.extensions import Model


class Post(Model):
    """A question or a reply. Hidden posts are kept (and audited), never deleted."""

    __tablename__ = "post"
    __table_args__ = (sa.Index("ix_post_lesson_parent", "lesson_id", "parent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lesson.id"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("post.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)  # as written (Markdown)
    body_html: Mapped[str] = mapped_column(sa.Text)  # rendered once, sanitised
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[dt.datetime | None]
    # a reply marked as the answer to its question; the question then counts as answered
    accepted_at: Mapped[dt.datetime | None]
    # a question (with its accepted answer) pinned to the module's FAQ
    pinned_at: Mapped[dt.datetime | None]
    hidden_at: Mapped[dt.datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    hidden_reason: Mapped[str] = mapped_column(sa.String(300), default="")

    author = relationship("User", foreign_keys=[author_id])
