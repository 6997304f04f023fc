"""Study modules ("học phần"), their lessons and media, imported from course folders."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnhub.db import TimestampMixin, enum_column, year_of
from learnhub.extensions import Model


class CourseKind(StrEnum):
    resolution = "resolution"
    directive = "directive"
    conclusion = "conclusion"
    regulation = "regulation"
    training = "training"


class Course(TimestampMixin, Model):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[CourseKind] = mapped_column(enum_column(CourseKind))
    summary: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(10), default="vi")
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    public: Mapped[bool] = mapped_column(default=False)
    document_number: Mapped[str | None] = mapped_column(sa.String(80))
    document_issued_by: Mapped[str | None] = mapped_column(sa.String(200))
    document_issued_on: Mapped[dt.date | None]
    intro_markdown: Mapped[str] = mapped_column(sa.Text, default="")
    intro_html: Mapped[str] = mapped_column(sa.Text, default="")
    # The bank as written; parsed into questions by the quiz feature.
    quiz_format: Mapped[str | None] = mapped_column(sa.String(10))
    quiz_source: Mapped[str | None] = mapped_column(sa.Text)
    archived_at: Mapped[dt.datetime | None]
    # The organisation that publishes the module: its members may be assigned it, its
    # propagandists edit it; with shared_down, units below it may assign it too.
    owner_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    shared_down: Mapped[bool] = mapped_column(default=True)
    # Members see a module only once it is published; browser edits stay drafts until then.
    published_at: Mapped[dt.datetime | None]
    # The digest of the draft files as last imported from a course folder: a draft that no
    # longer matches was edited in the browser, and a later import refuses to overwrite it.
    files_digest: Mapped[str | None] = mapped_column(sa.String(64))
    published_digest: Mapped[str | None] = mapped_column(sa.String(64))  # the draft as last published
    review_requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    review_requested_at: Mapped[dt.datetime | None]

    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course", order_by="Lesson.position", cascade="all, delete-orphan"
    )
    media: Mapped[list[CourseMedia]] = relationship(
        back_populates="course", cascade="all, delete-orphan"
    )

    @classmethod
    def live(cls) -> sa.ColumnElement[bool]:
        """The modules members can see: published and not archived."""
        return sa.and_(cls.published_at.is_not(None), cls.archived_at.is_(None))

    @property
    def active_lessons(self) -> list[Lesson]:
        return [lesson for lesson in self.lessons if lesson.archived_at is None]


class Lesson(TimestampMixin, Model):
    """A lesson, identified within its course by slug; removed lessons are archived, not deleted."""

    __tablename__ = "lesson"
    __table_args__ = (sa.UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    minutes: Mapped[int]
    key_points: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    body_markdown: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    # In the module's short public version: when any lesson is, the public page shows those lessons.
    public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    archived_at: Mapped[dt.datetime | None]

    course: Mapped[Course] = relationship(back_populates="lessons")


class CourseMedia(Model):
    """An image or attachment from a course's ``media/`` folder."""

    __tablename__ = "course_media"
    __table_args__ = (sa.UniqueConstraint("course_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(255))  # relative to media/, e.g. "so-do.png"
    content_type: Mapped[str] = mapped_column(sa.String(100))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    size: Mapped[int] = mapped_column(default=0)
    uploaded_at: Mapped[dt.datetime | None]
    # Set when the module is published with this file; members are served only published media.
    published_at: Mapped[dt.datetime | None]

    course: Mapped[Course] = relationship(back_populates="media")


class LessonProgress(Model):
    """One member's study of one lesson: first opened, studied, and reading time.

    On PostgreSQL the table is partitioned by ``year`` (the year the lesson was first opened,
    docs/partitions.md): the unique rule includes it, and a trigger refuses a second row for the
    same member and lesson in another year, so one row per member and lesson still holds."""

    __tablename__ = "lesson_progress"
    __table_args__ = (sa.UniqueConstraint("user_id", "lesson_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lesson.id"), index=True)
    first_opened_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime]
    studied_at: Mapped[dt.datetime | None]
    seconds_spent: Mapped[int] = mapped_column(default=0)
    year: Mapped[int] = mapped_column(sa.SmallInteger, default=year_of("first_opened_at"))
