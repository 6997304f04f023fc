"""Which modules and lessons a signed-in user may open to study (the public pages are outreach's).

Published modules of the user's own unit or a unit above it, and of the units they oversee
(committee) or write for (propagandists); every published module for admins; drafts never.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from learnhub.auth.models import Role, User
from learnhub.courses.models import Course, CourseMedia, Lesson
from learnhub.db import kept_statement
from learnhub.extensions import db
from learnhub.security import ancestor_ids, authoring_unit_ids, first_or_404, scope_unit_ids

S = TypeVar("S")
VIEWER_UNIT = sa.bindparam("viewer_unit_id", type_=sa.Integer)
COURSE_SLUG = sa.bindparam("course_slug", type_=sa.String)


def visible_to(user: User, unit: sa.ColumnElement[int] | None = None) -> sa.ColumnElement[bool]:
    """Published modules of the member's own unit or a unit above it, and for committee members and
    propagandists also those of the units they oversee or write for (drafts are never shown).
    ``unit`` stands for the user's unit in SQL (``VIEWER_UNIT``, bound at execution), else their unit id."""
    owners = ancestor_ids(sa.select(sa.literal(user.unit_id) if unit is None else unit))
    allowed: list[sa.ColumnElement[bool]] = [Course.owner_unit_id.is_(None), Course.owner_unit_id.in_(owners)]
    scope = authoring_unit_ids(user) if user.role == Role.propagandist else scope_unit_ids(user)
    if user.role == Role.admin:
        allowed = [sa.true()]
    elif scope is not None and user.role in (Role.propagandist, Role.committee):
        allowed.append(Course.owner_unit_id.in_(scope))
    return sa.and_(Course.live(), sa.or_(*allowed))


def get_course_or_404(slug: str, user: User | None = None) -> Course:
    """A module the viewer may open (visible_to), by its address; 404 otherwise."""
    user = user or current_user
    return first_or_404(sa.select(Course).where(Course.slug == slug, visible_to(user)))


def for_viewer(name: str, user: User, build: Callable[[], S]) -> S:
    """``build()``, kept per worker (learnhub.db.kept_statement) when the viewer is a member: what a
    member may open depends on their unit alone, bound at execution as ``viewer_unit_id``."""
    return kept_statement((name, Role.member), build) if user.role == Role.member else build()


def get_course_with_lesson_or_404(slug: str, lesson_slug: str, user: User | None = None) -> tuple[Course, Lesson]:
    """A module the viewer may open (visible_to) with all its lessons loaded in the same statement
    (a lesson's page names its neighbours), and its lesson ``lesson_slug`` (not archived); 404 otherwise."""
    user = user or current_user
    statement = for_viewer("course_with_lessons", user, lambda: (
        sa.select(Course).outerjoin(Course.lessons).where(Course.slug == COURSE_SLUG, visible_to(user, VIEWER_UNIT))
        .options(contains_eager(Course.lessons)).order_by(Lesson.position, Lesson.id)))
    course = db.session.scalars(statement, {"course_slug": slug, "viewer_unit_id": user.unit_id}).unique().first()
    if course is None:
        abort(404)
    lesson = next((lesson for lesson in course.active_lessons if lesson.slug == lesson_slug), None)
    if lesson is None:
        abort(404)
    return course, lesson


def get_lesson_or_404(course: Course, slug: str) -> Lesson:
    """A lesson of an opened module that is not archived, else 404."""
    lesson = db.session.scalar(
        sa.select(Lesson).where(
            Lesson.course_id == course.id, Lesson.slug == slug, Lesson.archived_at.is_(None)
        )
    )
    if lesson is None:
        abort(404)
    return lesson


def get_published_media_or_404(course: Course, name: str) -> CourseMedia:
    """A published file of a module already opened (here or on the public pages), else 404."""
    item = db.session.scalar(sa.select(CourseMedia).where(
        CourseMedia.course_id == course.id, CourseMedia.path == name, CourseMedia.published_at.is_not(None)))
    if item is None:
        abort(404)
    return item
