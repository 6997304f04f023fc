"""A module's review: asking for it notifies the reviewers; a reviewer publishes or returns the module
with comments on its lessons and questions; the author is notified; every step is kept for the history."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from learnhub.auth.models import Role, User
from learnhub.authoring import publishing
from learnhub.authoring.models import ReviewAction, ReviewComment, ReviewEvent
from learnhub.courses.models import Course
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.notifications import Notification
from learnhub.orgs.models import UnitAssignment
from learnhub.security import ancestor_ids

TARGETS = ("lesson", "question")


def reviewers(course: Course, *, besides: int | None = None) -> list[User]:
    """Who reviews the module: committee members and propagandists who write for its unit or a unit
    above it (the same people ``may_edit_course`` lets in), except ``besides``."""
    if course.owner_unit_id is None:
        return []
    above = ancestor_ids(sa.select(sa.literal(course.owner_unit_id)))
    assigned = sa.select(UnitAssignment.user_id).where(UnitAssignment.unit_id.in_(above))
    statement = sa.select(User).where(
        User.active.is_(True), User.role.in_((Role.committee, Role.propagandist)),
        sa.or_(User.id.in_(assigned), sa.and_(User.role == Role.propagandist, User.unit_id.in_(above))),
    ).order_by(User.id)
    return [user for user in db.session.scalars(statement) if user.id != besides]


def _notify(users: list[User], kind: str, title: str, body: str, link: str) -> None:
    for user in users:
        db.session.add(Notification(user_id=user.id, kind=kind, title=title[:300], body=body, link=link))


def request_review(course: Course, author: User) -> ReviewEvent:
    """Ask for review (refused, DraftRefused, for a draft with errors) and tell the reviewers. Flushes."""
    publishing.request_review(course, author)
    event = ReviewEvent(course_id=course.id, action=ReviewAction.request, actor_id=author.id, created_at=utcnow())
    db.session.add(event)
    _notify(reviewers(course, besides=author.id), "review_requested",
            _("%(who)s asks you to review the module “%(title)s”", who=author.full_name, title=course.title),
            _("Read it, then publish it or return it with your comments."),
            url_for("authoring.review", slug=course.slug))
    db.session.flush()
    return event


def return_module(course: Course, reviewer: User, comments: list[tuple[str, str, str]], note: str = "") -> ReviewEvent:
    """Send the module back to its author with comments ``(target kind, target id, text)``. Flushes."""
    author_id = course.review_requested_by_id
    event = ReviewEvent(course_id=course.id, action=ReviewAction.returned, actor_id=reviewer.id, note=note,
                        comment_count=len(comments), created_at=utcnow())
    db.session.add(event)
    db.session.flush()
    for kind, target, text in comments:
        db.session.add(ReviewComment(course_id=course.id, event_id=event.id, target_kind=kind, target_id=target,
                                     text=text, author_id=reviewer.id, created_at=utcnow()))
    course.review_requested_by_id = course.review_requested_at = None
    author = db.session.get(User, author_id) if author_id is not None else None
    if author is not None:
        _notify([author], "review_returned",
                _("%(who)s returned the module “%(title)s” with %(n)d comment(s)",
                  who=reviewer.full_name, title=course.title, n=len(comments)),
                note, url_for("authoring.review", slug=course.slug))
    db.session.flush()
    return event


def record_publish(course: Course, publisher: User, requested_by: int | None) -> None:
    """Keep the publication in the history, and tell the author who asked for review. Flushes."""
    db.session.add(ReviewEvent(course_id=course.id, action=ReviewAction.publish, actor_id=publisher.id,
                               created_at=utcnow()))
    author = db.session.get(User, requested_by) if requested_by not in (None, publisher.id) else None
    if author is not None:
        _notify([author], "review_published",
                _("%(who)s published the module “%(title)s”", who=publisher.full_name, title=course.title),
                "", url_for("authoring.module", slug=course.slug))
    db.session.flush()


def comments_for(course: Course, kind: str, target: str | None = None) -> Any:
    """The open comments on the module's lessons or questions (all of the kind, or one target's)."""
    statement = sa.select(ReviewComment).where(
        ReviewComment.course_id == course.id, ReviewComment.target_kind == kind, ReviewComment.resolved_at.is_(None))
    if target is not None:
        statement = statement.where(ReviewComment.target_id == target)
    return list(db.session.scalars(statement.order_by(ReviewComment.id)))


def resolve(comment: ReviewComment) -> None:
    """Mark a comment dealt with (it stays in the history). Flushes."""
    comment.resolved_at = utcnow()
    db.session.flush()


def events(course: Course) -> list[ReviewEvent]:
    """Every review step of the module, newest first."""
    return list(db.session.scalars(sa.select(ReviewEvent).where(ReviewEvent.course_id == course.id)
                                   .order_by(ReviewEvent.created_at.desc(), ReviewEvent.id.desc())))
