"""Writing in a lesson's discussion: asking, replying, editing, choosing the answer, pinning, hiding.

Every function checks its rule (raising PostRefused), changes the session and flushes; the view
commits once. Bodies are NFC-normalised and rendered to sanitised HTML once, when saved.
"""
from __future__ import annotations

import datetime as dt

import nh3
import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from learnhub import audit
from learnhub.auth.models import User
from learnhub.courses.models import Course, Lesson
from learnhub.db import utcnow
from learnhub.dialogue.access import (
    Reach,
    may_accept_answer,
    may_answer_for,
    may_edit_post,
    may_moderate_post,
    post_context,
    reach_of,
)
from learnhub.dialogue.models import Post
from learnhub.extensions import db
from learnhub.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, render_markdown
from learnhub.notifications import Notification
from learnhub.text import clean_text as shared_clean_text

MAX_BODY = 5000  # characters, after normalisation
MAX_REASON = 300  # Post.hidden_reason
NOTIFICATION_KIND = "question_answered"
# Control characters other than tab and newlines: invisible, and NUL cannot be stored by PostgreSQL.
# The shared rules without ``id``: a post must not take the page's anchors or form labels.
_POST_ATTRIBUTES = {tag: names for tag, names in ALLOWED_ATTRIBUTES.items() if tag != "*"}


class PostRefused(ValueError):
    """A change the rules do not allow (the message is for logs and tests, not for members)."""


def clean_text(text: str | None) -> str:
    """A post as stored: the shared cleaning of typed text (``text.clean_text``, several lines), ends trimmed."""
    return shared_clean_text(text or "", multiline=True).strip()


def _body(text: str) -> tuple[str, str]:
    body = clean_text(text)
    if not body:
        raise PostRefused("an empty post")
    if len(body) > MAX_BODY:
        raise PostRefused(f"a post longer than {MAX_BODY} characters")
    return body, render_post(body)


def render_post(text: str) -> str:
    """Markdown rendered and sanitised by learnhub.markdown, then stripped of ``id`` attributes (a
    post could otherwise forge ``#post-3`` or the ``id`` a label or aria-describedby points at)."""
    return nh3.clean(render_markdown(text), tags=ALLOWED_TAGS, attributes=_POST_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


def post_link(post: Post, course: Course | None = None, lesson: Lesson | None = None) -> str:
    """The lesson page anchored at the post's question."""
    lesson = lesson or db.session.get_one(Lesson, post.lesson_id)
    course = course or db.session.get_one(Course, post.course_id)
    anchor = f"post-{post.parent_id or post.id}"
    return url_for("study.lesson", slug=course.slug, lesson_slug=lesson.slug, _anchor=anchor)


def _notify(question: Post, title: str, body: str) -> None:
    db.session.add(Notification(user_id=question.author_id, kind=NOTIFICATION_KIND, title=title[:300],
                                body=body, link=post_link(question)[:300]))


def _excerpt(post: Post, length: int = 200) -> str:
    text = " ".join(post.body.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def ask(*, lesson: Lesson, author: User, body: str) -> Post:
    """A new question under ``lesson`` (the caller has checked the author may see it)."""
    text, html = _body(body)
    question = Post(course_id=lesson.course_id, lesson_id=lesson.id, author_id=author.id, body=text, body_html=html)
    db.session.add(question)
    db.session.flush()
    return question


def reply(*, question: Post, author: User, body: str) -> Post:
    """A reply to a visible question; its author is told when someone else replies."""
    if question.parent_id is not None or question.hidden_at is not None:
        raise PostRefused("replies go under a visible question")
    text, html = _body(body)
    answer = Post(course_id=question.course_id, lesson_id=question.lesson_id, parent_id=question.id,
                  author_id=author.id, body=text, body_html=html)
    db.session.add(answer)
    db.session.flush()
    if author.id != question.author_id:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # stored text: the site's language
            _notify(question, _("%(name)s replied to your question", name=author.full_name), _excerpt(answer))
    return answer


def edit(post: Post, *, editor: User, body: str, now: dt.datetime | None = None) -> None:
    """The author changes their visible post within the edit window; the change is audited."""
    now = now or utcnow()
    if not may_edit_post(reach_of(editor), post, now):
        raise PostRefused("only the author edits a visible post, within 15 minutes")
    text, html = _body(body)
    if text == post.body:
        return
    audit.record("post.edit", object_type="post", object_id=post.id, summary=audit.N_("edited post %(id)s"), params={"id": post.id},
                 before={"body": post.body}, after={"body": text}, actor=editor)
    post.body, post.body_html, post.edited_at = text, html, now
    db.session.flush()


def _question_of(post: Post) -> Post:
    question = db.session.get(Post, post.parent_id) if post.parent_id is not None else None
    if question is None:
        raise PostRefused("only a reply can be the answer")
    return question


def accept(answer: Post, *, actor: User, reach: Reach | None = None) -> bool:
    """Mark ``answer`` as its question's answer (replacing an earlier choice); False when it already is.

    The asker is told, unless they chose it themselves.
    """
    question = _question_of(answer)
    reach = reach or reach_of(actor)
    if not may_accept_answer(reach, question.author_id, *post_context(question)):
        raise PostRefused("only the asker or an answerer in scope chooses the answer")
    if answer.hidden_at is not None or question.hidden_at is not None:
        raise PostRefused("a hidden post cannot be the answer")
    if answer.accepted_at is not None:
        return False
    now = utcnow()
    db.session.execute(sa.update(Post).where(Post.parent_id == question.id, Post.accepted_at.is_not(None))
                       .values(accepted_at=None).execution_options(synchronize_session="fetch"))
    answer.accepted_at = now
    audit.record("post.accept", object_type="post", object_id=answer.id,
                 summary=audit.N_("marked post %(id)s as the answer to question %(id2)s"), params={"id": answer.id, "id2": question.id}, actor=actor)
    if actor.id != question.author_id:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            _notify(question, _("Your question has an answer"), _excerpt(answer))
    db.session.flush()
    return True


def accepted_answer(question: Post) -> Post | None:
    """The visible reply marked as the question's answer, if any."""
    return db.session.scalar(sa.select(Post).where(
        Post.parent_id == question.id, Post.accepted_at.is_not(None), Post.hidden_at.is_(None)))


def set_pinned(question: Post, *, actor: User, pinned: bool, reach: Reach | None = None) -> bool:
    """Pin an answered question to the module's FAQ, or unpin it; False when nothing changes."""
    if question.parent_id is not None:
        raise PostRefused("only a question is pinned")
    reach = reach or reach_of(actor)
    if not may_answer_for(reach, *post_context(question)):
        raise PostRefused("only an answerer in scope pins a question")
    if pinned == (question.pinned_at is not None):
        return False
    if pinned and (question.hidden_at is not None or accepted_answer(question) is None):
        raise PostRefused("only a visible, answered question is pinned")
    question.pinned_at = utcnow() if pinned else None
    audit.record("post.pin" if pinned else "post.unpin", object_type="post", object_id=question.id,
                 summary=audit.N_("pinned question %(id)s to the FAQ") if pinned else audit.N_("unpinned question %(id)s from the FAQ"), params={"id": question.id}, actor=actor)
    db.session.flush()
    return True


def _moderated(post: Post, moderator: User, reach: Reach | None) -> None:
    reach = reach or reach_of(moderator)
    if not may_moderate_post(reach, *post_context(post)):
        raise PostRefused("outside the moderator's reach")


def hide(post: Post, *, moderator: User, reason: str, reach: Reach | None = None) -> bool:
    """Hide a post from members, keeping it and the reason; audited. False when already hidden."""
    _moderated(post, moderator, reach)
    reason = clean_text(reason)
    if not reason or len(reason) > MAX_REASON:
        raise PostRefused("a hidden post needs a reason of at most 300 characters")
    if post.hidden_at is not None:
        return False
    post.hidden_at, post.hidden_by_id, post.hidden_reason = utcnow(), moderator.id, reason
    audit.record("post.hide", object_type="post", object_id=post.id,
                 summary=audit.N_("hid post %(id)s: %(reason)s"), params={"id": post.id, "reason": reason}, before={"hidden": False},
                 after={"hidden": True, "reason": reason}, actor=moderator)
    db.session.flush()
    return True


def unhide(post: Post, *, moderator: User, reach: Reach | None = None) -> bool:
    """Show a hidden post again; audited with the reason it had. False when it was not hidden."""
    _moderated(post, moderator, reach)
    if post.hidden_at is None:
        return False
    audit.record("post.unhide", object_type="post", object_id=post.id, summary=audit.N_("showed post %(id)s again"), params={"id": post.id},
                 before={"hidden": True, "reason": post.hidden_reason, "hidden_by_id": post.hidden_by_id},
                 after={"hidden": False}, actor=moderator)
    post.hidden_at, post.hidden_by_id, post.hidden_reason = None, None, ""
    db.session.flush()
    return True
