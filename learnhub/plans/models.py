"""Study plans: who studies which module, by when, how, and what counts as completed."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from learnhub.db import TimestampMixin, enum_column
from learnhub.extensions import Model

if TYPE_CHECKING:
    from learnhub.courses.models import Course

DEFAULT_TARGET_RATE = 0.98


class PlanStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"


class StudyForm(StrEnum):
    online = "online"  # trực tuyến
    in_person = "in_person"  # trực tiếp
    hybrid = "hybrid"  # kết hợp


class Criterion(StrEnum):
    """What a member must do; a plan's rule takes any or all of the criteria it lists."""

    lessons = "lessons"  # every lesson of the module studied
    quiz = "quiz"  # the module's quiz passed
    conference = "conference"  # a conference of the plan attended (conferences feature)
    reflection = "reflection"  # the reflection essay accepted (reflections feature)


class Audience(StrEnum):
    """People a plan may address by what they do rather than by category (the seed's "báo cáo viên,
    tuyên truyền viên")."""

    propagandists = "propagandists"  # tuyên truyền viên: accounts with the propagandist role join the roster
    presenters = "presenters"  # báo cáo viên: named in the printed plan; they have no account kind of their own


class StudyPlan(TimestampMixin, Model):
    __tablename__ = "study_plan"
    # A plan number is unique per issuing unit and year; a blank number is stored as NULL (never clashes).
    __table_args__ = (sa.UniqueConstraint("unit_id", "issued_year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)  # the issuing committee
    title: Mapped[str] = mapped_column(sa.String(300))
    number: Mapped[str | None] = mapped_column(sa.String(60))  # e.g. "15-KH/ĐU"; None while not numbered
    issued_on: Mapped[dt.date]  # the date the document is signed (the Party document header reads it)
    issued_year: Mapped[int]  # issued_on's year, kept by the validator below for the unique number
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    requirements: Mapped[str] = mapped_column(sa.Text, default="")
    content: Mapped[str] = mapped_column(sa.Text, default="")  # what is studied, beyond the modules' titles
    form: Mapped[StudyForm] = mapped_column(enum_column(StudyForm), default=StudyForm.online)
    presenters: Mapped[str] = mapped_column(sa.Text, default="")
    time_of_day: Mapped[str] = mapped_column(sa.String(60), default="")  # e.g. "7 giờ 30"
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    decoration: Mapped[str] = mapped_column(sa.Text, default="")  # trang trí, khánh tiết
    categories: Mapped[list[str]] = mapped_column(sa.JSON)  # target Category values
    audiences: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # Audience values
    include_exempted: Mapped[bool] = mapped_column(default=False)
    opens_on: Mapped[dt.date]
    due_on: Mapped[dt.date]
    criteria: Mapped[list[str]] = mapped_column(sa.JSON)  # Criterion values
    all_required: Mapped[bool] = mapped_column(default=True)  # "all of" (True) or "any of"
    target_rate: Mapped[float] = mapped_column(default=DEFAULT_TARGET_RATE)
    responsible_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus), default=PlanStatus.draft)
    closed_at: Mapped[dt.datetime | None]

    target_units: Mapped[list[PlanUnit]] = relationship(back_populates="plan", cascade="all, delete-orphan")
    # The modules the plan covers, in order: the one home of "which modules" (learnhub.plans.modules reads it).
    modules: Mapped[list[PlanCourse]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                     order_by="PlanCourse.position")
    tasks: Mapped[list[PlanTask]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                 order_by="PlanTask.position")

    @validates("issued_on")
    def _keep_year(self, _key: str, value: dt.date) -> dt.date:
        self.issued_year = value.year
        return value

    @property
    def rule(self) -> dict[str, Any]:
        return {"criteria": list(self.criteria), "all": self.all_required}


class PlanCourse(Model):
    """A module the plan covers, at its place in the plan's order."""

    __tablename__ = "study_plan_course"
    __table_args__ = (sa.UniqueConstraint("plan_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("study_plan.id"), index=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[StudyPlan] = relationship(back_populates="modules")
    course: Mapped[Course] = relationship(lazy="joined")


class PlanTask(Model):
    """What one unit does to carry the plan out ("tổ chức thực hiện")."""

    __tablename__ = "plan_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("study_plan.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    task: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[StudyPlan] = relationship(back_populates="tasks")


class PlanUnit(Model):
    """A unit the plan targets; its sub-units are included."""

    __tablename__ = "plan_unit"
    __table_args__ = (sa.UniqueConstraint("plan_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("study_plan.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)

    plan: Mapped[StudyPlan] = relationship(back_populates="target_units")


class ReflectionStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    accepted = "accepted"
    returned = "returned"


class Reflection(TimestampMixin, Model):
    """A member's reflection essay ("bài thu hoạch") for a plan, under the usual headings."""

    __tablename__ = "reflection"
    __table_args__ = (sa.UniqueConstraint("plan_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("study_plan.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    learned: Mapped[str] = mapped_column(sa.Text, default="")  # what I learned
    application: Mapped[str] = mapped_column(sa.Text, default="")  # how it applies to my work
    commitment: Mapped[str] = mapped_column(sa.Text, default="")  # my commitment
    status: Mapped[ReflectionStatus] = mapped_column(enum_column(ReflectionStatus), default=ReflectionStatus.draft)
    submitted_at: Mapped[dt.datetime | None]
    reviewed_at: Mapped[dt.datetime | None]
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    review_comment: Mapped[str] = mapped_column(sa.Text, default="")


class ReflectionSimilarity(Model):
    """A pair of near-duplicate reflections of one plan (any two units), found when the later was submitted."""

    __tablename__ = "reflection_similarity"
    __table_args__ = (sa.UniqueConstraint("first_id", "second_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("study_plan.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)  # the later author's unit
    first_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)  # the earlier author's unit
    first_id: Mapped[int] = mapped_column(sa.ForeignKey("reflection.id"))
    second_id: Mapped[int] = mapped_column(sa.ForeignKey("reflection.id"))
    score: Mapped[float]  # word 3-gram Jaccard similarity (learnhub.plans.copies)


class ReflectionBand(Model):
    """One LSH band key of a submitted reflection's MinHash signature: reflections sharing a key are compared."""

    __tablename__ = "reflection_band"
    __table_args__ = (sa.Index("ix_reflection_band_lookup", "plan_id", "band", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("study_plan.id"))
    reflection_id: Mapped[int] = mapped_column(sa.ForeignKey("reflection.id"), index=True)
    band: Mapped[int] = mapped_column(sa.SmallInteger)
    key: Mapped[int] = mapped_column(sa.BigInteger)


class PlanSnapshot(Model):
    """A closed plan's roster and results, frozen so later changes never rewrite them."""

    __tablename__ = "plan_snapshot"
    __table_args__ = (sa.UniqueConstraint("plan_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("study_plan.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    category: Mapped[str] = mapped_column(sa.String(32))
    full_name: Mapped[str] = mapped_column(sa.String(200))
    completed_at: Mapped[dt.datetime | None]
