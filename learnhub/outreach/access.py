"""Who may see outreach: the public pages (anyone, signed in or not), visits and sessions.

A public page shows only a module marked public, published and not archived, and only the images its
introduction shows: anything else is "not found" for everyone, so a link to a module made private
later shows nothing of it. Visit counts are
seen by those who write the module (admins: all); recorded sessions by the committee of their unit.
"""
from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from learnhub.auth.models import User
from learnhub.courses.models import Course, CourseMedia, Lesson
from learnhub.extensions import db
from learnhub.outreach.models import Broadcast, OutreachSession
from learnhub.security import authoring_unit_ids, get_or_404, in_scope
from learnhub.study.access import get_published_media_or_404


def public_courses() -> sa.Select[tuple[Course]]:
    """The modules anyone may read: marked public, published and not archived."""
    return sa.select(Course).where(Course.public.is_(True), Course.live())


def get_public_course_or_404(slug: str) -> Course:
    """A public module with its lessons loaded; anything else is "not found", for everyone."""
    course = db.session.scalar(
        public_courses().where(Course.slug == slug).options(selectinload(Course.lessons))
    )
    if course is None:
        abort(404)
    return course


def public_lessons(course: Course) -> list[Lesson]:
    """The lessons of the module's short public version (marked ``public: true``), in order."""
    return [lesson for lesson in course.active_lessons if lesson.public]


def get_public_media_or_404(course: Course, name: str) -> CourseMedia:
    """A published file that the public module's introduction or one of its public lessons shows;
    the images and recordings of its other lessons are for members who study it (study/access.py),
    so they are "not found" here."""
    shown = {f'="media/{form}"' for form in (name, quote(name), html.escape(name, quote=True))}
    pages = [course.intro_html, *(lesson.body_html for lesson in public_lessons(course))]
    if not any(reference in page for reference in shown for page in pages):
        abort(404)
    return get_published_media_or_404(course, name)


def courses_for_visits(user: User, year_course_ids: sa.Select[Any]) -> list[Course]:
    """The modules whose visits ``user`` may see: public now, or visited in the chosen year (a module
    made private later keeps its past visits), owned by a unit the user writes for (all for admins)."""
    statement = sa.select(Course).where(sa.or_(Course.public.is_(True), Course.id.in_(year_course_ids)))
    scope = authoring_unit_ids(user)
    if scope is not None:
        statement = statement.where(Course.owner_unit_id.in_(scope))
    return list(db.session.scalars(statement.order_by(Course.title, Course.id)))


def may_see_session(viewer: User, held: OutreachSession) -> bool:
    """See, change or delete a recorded session: those whose scope holds the unit that held it."""
    return in_scope(viewer, held.unit_id)


def get_session_or_404(session_id: int, viewer: User) -> OutreachSession:
    """A recorded session the viewer may see (may_see_session), else 404."""
    return get_or_404(OutreachSession, session_id, lambda held: may_see_session(viewer, held))


def get_broadcast_or_404(broadcast_id: int, viewer: User) -> Broadcast:
    """A recorded loudspeaker broadcast of a unit in the viewer's scope, else 404."""
    return get_or_404(Broadcast, broadcast_id, lambda held: in_scope(viewer, held.unit_id))
