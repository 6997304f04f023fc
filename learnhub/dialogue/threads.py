"""Reading discussions: a lesson's thread, a module's FAQ and the questions waiting for an answer.

Each read is one query over posts with their authors (plus the viewer's scope, read once), so a long
thread costs no more queries than a short one.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import aliased

from learnhub.auth.models import User
from learnhub.courses.models import Course, Lesson
from learnhub.db import kept_statement, utcnow
from learnhub.dialogue.access import (
    STAFF,
    Reach,
    answered_by,
    may_accept_answer,
    may_answer_for,
    may_edit_post,
    may_moderate_post,
    reach_of,
)
from learnhub.dialogue.models import Post
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.study.access import visible_to

SHOWN = 200  # unanswered questions listed at once, the oldest first


@dataclass
class Entry:
    """A post as the viewer sees it, with what they may do with it."""

    post: Post
    author_name: str
    unit_name: str
    official: bool  # written by a propagandist, committee member or admin
    hidden_by: str | None
    can_edit: bool
    can_moderate: bool


@dataclass
class Question(Entry):
    can_accept: bool = False
    can_pin: bool = False
    answered: bool = False
    replies: list[Entry] = field(default_factory=list)


@dataclass
class Thread:
    questions: list[Question]
    reach: Reach


def _thread_statement() -> sa.Select:
    """Every post of a lesson (bound at execution: ``lesson_id``) with its author and who hid it."""
    hider = aliased(User)
    return (
        sa.select(Post, User.full_name, User.role, User.unit_id, Unit.name, hider.full_name)
        .join(User, User.id == Post.author_id)
        .join(Unit, Unit.id == User.unit_id)
        .outerjoin(hider, hider.id == Post.hidden_by_id)
        .where(Post.lesson_id == sa.bindparam("lesson_id", type_=sa.Integer))
        .order_by(Post.created_at, Post.id)
    )


def lesson_thread(lesson: Lesson, user: User | None = None, now: dt.datetime | None = None) -> Thread:
    """The lesson's questions, newest first, each with its replies oldest first; posts hidden from
    the viewer are left out, while those who may unhide them see them with the reason."""
    user = user or current_user
    now = now or utcnow()
    reach = reach_of(user)
    owner_id = db.session.get_one(Course, lesson.course_id).owner_unit_id  # the lesson's page has it loaded
    rows = db.session.execute(kept_statement("lesson_thread", _thread_statement), {"lesson_id": lesson.id})
    questions: dict[int, Question] = {}
    replies: list[Entry] = []
    for post, name, role, unit_id, unit_name, hidden_by in rows:
        can_moderate = may_moderate_post(reach, unit_id, owner_id)
        if post.hidden_at is not None and not can_moderate:
            continue
        values = dict(post=post, author_name=name, unit_name=unit_name, official=role in STAFF,
                      hidden_by=hidden_by, can_edit=may_edit_post(reach, post, now), can_moderate=can_moderate)
        if post.parent_id is None:
            questions[post.id] = Question(**values, can_accept=may_accept_answer(reach, post.author_id, unit_id, owner_id),
                                          can_pin=may_answer_for(reach, unit_id, owner_id))
        else:
            replies.append(Entry(**values))
    for reply in replies:
        question = questions.get(reply.post.parent_id)  # type: ignore[arg-type]
        if question is None:  # under a question hidden from the viewer
            continue
        question.replies.append(reply)
        if reply.post.accepted_at is not None and reply.post.hidden_at is None:
            question.answered = True
    return Thread(list(reversed(questions.values())), reach)


@dataclass(frozen=True)
class FaqEntry:
    question: Post
    answer: Post
    lesson: Lesson


def faq(course: Course) -> list[FaqEntry]:
    """The module's pinned questions with their accepted answers, in lesson order."""
    answer = aliased(Post)
    rows = db.session.execute(
        sa.select(Post, answer, Lesson)
        .join(answer, sa.and_(answer.parent_id == Post.id, answer.accepted_at.is_not(None),
                              answer.hidden_at.is_(None)))
        .join(Lesson, Lesson.id == Post.lesson_id)
        .where(Post.course_id == course.id, Post.parent_id.is_(None), Post.pinned_at.is_not(None),
               Post.hidden_at.is_(None), Lesson.archived_at.is_(None))
        .order_by(Lesson.position, Post.pinned_at, Post.id, answer.accepted_at.desc())
    )
    entries: dict[int, FaqEntry] = {}
    for question, reply, lesson in rows:
        entries.setdefault(question.id, FaqEntry(question, reply, lesson))
    return list(entries.values())


@dataclass(frozen=True)
class Waiting:
    question: Post
    author_name: str
    unit_name: str
    course: Course
    lesson: Lesson
    replies: int


def unanswered(user: User, limit: int = SHOWN) -> list[Waiting]:
    """Visible questions without a chosen answer that ``user`` answers for, the oldest first:
    committee members for askers in their scope, propagandists for askers in their units or in
    modules they write, admins for all; only in modules the viewer can open."""
    reply = aliased(Post)
    answered = sa.exists().where(reply.parent_id == Post.id, reply.accepted_at.is_not(None),
                                 reply.hidden_at.is_(None))
    counts = (sa.select(reply.parent_id, sa.func.count(reply.id).label("n"))
              .where(reply.parent_id.is_not(None), reply.hidden_at.is_(None))
              .group_by(reply.parent_id).subquery())
    statement = (
        sa.select(Post, User.full_name, Unit.name, Course, Lesson, sa.func.coalesce(counts.c.n, 0))
        .join(User, User.id == Post.author_id)
        .join(Unit, Unit.id == User.unit_id)
        .join(Course, Course.id == Post.course_id)
        .join(Lesson, Lesson.id == Post.lesson_id)
        .outerjoin(counts, counts.c.parent_id == Post.id)
        .where(Post.parent_id.is_(None), Post.hidden_at.is_(None), ~answered, Lesson.archived_at.is_(None),
               visible_to(user))
    )
    mine = answered_by(statement, user)  # the rule may_answer_for, as SQL
    if mine is None:
        return []
    rows = db.session.execute(mine.order_by(Post.created_at, Post.id).limit(limit))
    return [Waiting(*row) for row in rows]
