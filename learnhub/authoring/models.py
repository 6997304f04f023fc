"""The draft of a module as the files of its course folder, and every saved revision of each file."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnhub.db import enum_column, utcnow
from learnhub.extensions import Model


class RevisionKind(StrEnum):
    save = "save"
    autosave = "autosave"
    restore = "restore"
    imported = "imported"
    conflict = "conflict"  # a save refused because someone else saved first; kept, never current


class DraftFile(Model):
    """One file of a module's draft: ``course.md``, a lesson, or the quiz bank.

    ``key`` is the file name in the course folder, except lessons, whose key is ``lesson:<slug>``,
    whose ``position`` is their number and whose ``file_name`` is the name they were imported with
    (``10-tong-ket.md``), kept when the folder is written out while number and slug still match.
    """

    __tablename__ = "draft_file"
    __table_args__ = (sa.UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(100))
    position: Mapped[int] = mapped_column(default=0)
    file_name: Mapped[str | None] = mapped_column(sa.String(100))
    text: Mapped[str] = mapped_column(sa.Text)
    revision: Mapped[int] = mapped_column(default=0)  # the number of the current revision
    archived_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    updated_by = relationship("User", foreign_keys=[updated_by_id])

    @property
    def lesson_slug(self) -> str | None:
        return self.key.removeprefix("lesson:") if self.key.startswith("lesson:") else None


class Revision(Model):
    """A saved text of one draft file; revisions are only ever added, so nothing is lost."""

    __tablename__ = "revision"
    __table_args__ = (sa.UniqueConstraint("course_id", "key", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(100))
    number: Mapped[int]
    kind: Mapped[RevisionKind] = mapped_column(enum_column(RevisionKind))
    text: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # autosaves by the same author coalesce into one revision until another kind of save
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    based_on: Mapped[int | None]  # the revision the author was editing
    restored_from: Mapped[int | None]

    author = relationship("User", foreign_keys=[author_id])


class ReviewAction(StrEnum):
    request = "request"
    returned = "returned"  # sent back to the author with comments
    publish = "publish"


class ReviewEvent(Model):
    """One step of a module's review: asked for, returned with comments, or published."""

    __tablename__ = "review_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    action: Mapped[ReviewAction] = mapped_column(enum_column(ReviewAction))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    comment_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    actor = relationship("User", foreign_keys=[actor_id])


class ReviewComment(Model):
    """A reviewer's comment on a lesson or a question of a module's draft."""

    __tablename__ = "review_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("review_event.id"))
    target_kind: Mapped[str] = mapped_column(sa.String(20))  # "lesson" or "question"
    target_id: Mapped[str] = mapped_column(sa.String(100))  # the lesson's slug or the question's id
    text: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[dt.datetime | None]

    author = relationship("User", foreign_keys=[author_id])
