"""Who may do what in a lesson's discussion: read a post, edit it, hide it, answer for a question.

The rules take the viewer's security.Reach (their scopes read once as sets), so a thread of any
length is judged without a query per post; the unanswered-questions page filters with the same rule
written as SQL (answered_by). Posts of modules the viewer cannot open do not exist for them.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import abort

from learnhub.auth.models import Role, User
from learnhub.courses.models import Course, Lesson
from learnhub.db import utcnow
from learnhub.dialogue.models import Post
from learnhub.extensions import db
from learnhub.security import STAFF, Reach, authoring_unit_ids, reach_of, scope_unit_ids
from learnhub.study.access import visible_to

__all__ = ["EDIT_WINDOW", "STAFF", "Reach", "reach_of"]  # the viewer's reach comes from security.py

EDIT_WINDOW = dt.timedelta(minutes=15)


def may_edit_post(reach: Reach, post: Post, now: dt.datetime | None = None) -> bool:
    """Authors edit their own visible posts for EDIT_WINDOW after posting."""
    now = now or utcnow()
    return (post.author_id == reach.user_id and post.hidden_at is None
            and post.created_at is not None and now - post.created_at <= EDIT_WINDOW)


def may_moderate_post(reach: Reach, author_unit_id: int, course_owner_id: int | None) -> bool:
    """Hide or unhide a post (and see it while hidden): committee members for authors in their scope,
    propagandists in the modules they may write, admins everywhere."""
    if reach.role == Role.admin:
        return True
    if reach.role == Role.committee:
        return reach.oversees(author_unit_id)
    if reach.role == Role.propagandist:
        return reach.writes(course_owner_id)
    return False


def may_answer_for(reach: Reach, author_unit_id: int, course_owner_id: int | None) -> bool:
    """Act as an answerer for a question (choose its answer, pin it to the FAQ): committee members for
    askers in their scope; propagandists for askers in their units or in modules they write."""
    if reach.role == Role.admin:
        return True
    if reach.role == Role.committee:
        return reach.oversees(author_unit_id)
    if reach.role == Role.propagandist:
        return author_unit_id in (reach.authoring or ()) or reach.writes(course_owner_id)
    return False


def answered_by(statement: sa.Select[Any], user: User) -> sa.Select[Any] | None:
    """may_answer_for as SQL, over a query joining the question's author (User) and its module (Course);
    None when the user answers for nobody."""
    if user.role == Role.admin:
        return statement
    if user.role == Role.committee and (scope := scope_unit_ids(user)) is not None:
        return statement.where(User.unit_id.in_(scope))
    if user.role == Role.propagandist and (units := authoring_unit_ids(user)) is not None:
        return statement.where(sa.or_(User.unit_id.in_(units), Course.owner_unit_id.in_(units)))
    return None


def may_accept_answer(reach: Reach, question_author_id: int, author_unit_id: int, course_owner_id: int | None) -> bool:
    """Mark a reply as the answer: the question's author, or an answerer for the question."""
    return question_author_id == reach.user_id or may_answer_for(reach, author_unit_id, course_owner_id)


def post_context(post: Post) -> tuple[int, int | None]:
    """The post author's unit and the module's owner unit, which the rules depend on."""
    unit = sa.select(User.unit_id).where(User.id == post.author_id).scalar_subquery()
    owner = sa.select(Course.owner_unit_id).where(Course.id == post.course_id).scalar_subquery()
    row = db.session.execute(sa.select(unit, owner)).one()
    return row[0], row[1]


def get_post_or_404(post_id: int, user: User) -> tuple[Post, Course, Lesson]:
    """A post on a lesson the viewer can open; a hidden post (or one under a hidden question) only
    for those who may unhide it (may_moderate_post). Anything else answers 404."""
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    found = db.session.execute(
        sa.select(Course, Lesson).join(Lesson, Lesson.course_id == Course.id)
        .where(Course.id == post.course_id, Lesson.id == post.lesson_id, Lesson.archived_at.is_(None),
               visible_to(user))
    ).one_or_none()
    if found is None:
        abort(404)
    course, lesson = found
    hidden = [p for p in (post, db.session.get(Post, post.parent_id) if post.parent_id else None)
              if p is not None and p.hidden_at is not None]
    if hidden:
        reach = reach_of(user)
        for item in hidden:
            unit_id = db.session.execute(sa.select(User.unit_id).where(User.id == item.author_id)).scalar_one()
            if not may_moderate_post(reach, unit_id, course.owner_unit_id):
                abort(404)
    return post, course, lesson


def get_own_post_or_403(post_id: int, user: User) -> tuple[Post, Course, Lesson]:
    """A post the user wrote (for editing), 403 for another's post they can read, else 404."""
    post, course, lesson = get_post_or_404(post_id, user)
    if post.author_id != user.id:
        abort(403)
    return post, course, lesson


def get_moderated_post_or_404(post_id: int, user: User) -> tuple[Post, Course, Lesson]:
    """A post the user may hide or unhide (may_moderate_post), else 404."""
    post, course, lesson = get_post_or_404(post_id, user)
    if not may_moderate_post(reach_of(user), *post_context(post)):
        abort(404)
    return post, course, lesson


def get_answerable_question_or_404(post_id: int, user: User) -> tuple[Post, Course, Lesson]:
    """A question (not a reply) the user answers for (may_answer_for), to pin to the FAQ; else 404."""
    post, course, lesson = get_post_or_404(post_id, user)
    if post.parent_id is not None or not may_answer_for(reach_of(user), *post_context(post)):
        abort(404)
    return post, course, lesson
