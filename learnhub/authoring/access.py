"""Loading what an author works on: each loader checks learnhub.courses.access's rules and answers 404
for anything outside the author's reach, so its existence is not revealed. Loaders only read."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from learnhub.auth.models import Role, User
from learnhub.authoring import drafts, media
from learnhub.authoring.models import DraftFile, ReviewComment, Revision
from learnhub.courses.access import editable_courses
from learnhub.courses.models import Course, CourseMedia
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.security import authoring_unit_ids, first_or_404

AUTHORS = (Role.propagandist, Role.committee)  # with admins, who pass every role check


def get_module_or_404(slug: str, user: User) -> Course:
    """A module ``user`` may edit (``may_edit_course``); any other answers 404."""
    return first_or_404(editable_courses(user).where(Course.slug == slug))


def get_draft_file_or_404(course: Course, key: str) -> DraftFile:
    """A file of the module's draft (archived ones included, for their history)."""
    return drafts.get_file(course, key) or abort(404)


def get_lesson_file_or_404(course: Course, lesson_slug: str) -> DraftFile:
    """A lesson of the module's draft, by its slug."""
    return get_draft_file_or_404(course, drafts.lesson_key(lesson_slug))


def get_revision_or_404(course: Course, key: str, number: int) -> Revision:
    """One saved revision of a draft file."""
    return drafts.get_revision(course, key, number) or abort(404)


def get_media_or_404(course: Course, name: str) -> CourseMedia:
    """An image or file of the module, by its name in media/."""
    return media.get_media(course, name) or abort(404)


def owner_unit_choices(user: User) -> list[tuple[int, str]]:
    """The units ``user`` may publish a module for, by their path in the tree."""
    from learnhub.orgs.services import unit_paths

    statement = sa.select(Unit.id).where(Unit.archived_at.is_(None))
    scope = authoring_unit_ids(user)
    if scope is not None:
        statement = statement.where(Unit.id.in_(scope))
    ids = list(db.session.scalars(statement))
    paths = unit_paths()
    return sorted(((i, paths[i]) for i in ids), key=lambda item: item[1])


def may_review(user: User, course: Course) -> bool:
    """Whether ``user`` may publish or return a module under review: one who may write it (so a
    reviewer of its unit or above), other than the author who asked."""
    from learnhub.courses.access import may_edit_course

    return (course.review_requested_at is not None and course.review_requested_by_id != user.id
            and may_edit_course(user, course))


def get_comment_or_404(course: Course, comment_id: int) -> ReviewComment:
    """A review comment on the module (which the loader of the module already checked)."""
    comment = db.session.get(ReviewComment, comment_id)
    return comment if comment is not None and comment.course_id == course.id else abort(404)
