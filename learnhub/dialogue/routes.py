"""Questions and answers under lessons, the module FAQ, moderation."""
from __future__ import annotations

from typing import NoReturn

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import Field

from learnhub.auth.models import Role
from learnhub.courses.models import Course, Lesson
from learnhub.dialogue import access, services, threads
from learnhub.dialogue.access import EDIT_WINDOW, reach_of
from learnhub.dialogue.forms import EditForm, HideForm, PinForm, QuestionForm, ReplyForm
from learnhub.dialogue.models import Post
from learnhub.dialogue.services import MAX_BODY, MAX_REASON, PostRefused
from learnhub.extensions import db
from learnhub.forms import FlaskForm
from learnhub.security import roles_required
from learnhub.study.access import get_course_or_404, get_lesson_or_404

bp = Blueprint("dialogue", __name__)
bp.add_app_template_global(threads.lesson_thread, "lesson_thread")
bp.record_once(lambda state: state.app.jinja_env.globals.update(POST_MAX_CHARS=MAX_BODY))
MODERATORS = (Role.propagandist, Role.committee)


def _deny() -> NoReturn:
    """Members are refused; staff outside their reach are told the post does not exist."""
    abort(403 if current_user.role == Role.member else 404)


def _form_page(form: FlaskForm, text: Field, *, heading: str, action: str, button: str, back: str,
               post: Post | None = None, status: int = 200):
    """The form on a page of its own: for editing, and for a refused form (400) with its message."""
    if text.name == "reason":
        hint = _("At most %(max)d characters. Kept with the post and in the audit log.", max=MAX_REASON)
    else:
        hint = _("Plain text or Markdown (**bold**, *italic*, lists, links), at most %(max)d characters.",
                 max=MAX_BODY)
    return render_template("dialogue/compose.html", form=form, text=text, heading=heading, action=action,
                           button=button, back=back, post=post, hint=hint), status


@bp.post("/courses/<slug>/<lesson_slug>/questions")
@login_required
def ask(slug: str, lesson_slug: str):
    course = get_course_or_404(slug)
    lesson = get_lesson_or_404(course, lesson_slug)
    form = QuestionForm()
    if not form.validate_on_submit():
        return _form_page(form, form.body, heading=_("Ask a question"), button=_("Post your question"),
                          action=url_for("dialogue.ask", slug=course.slug, lesson_slug=lesson.slug),
                          back=url_for("study.lesson", slug=course.slug, lesson_slug=lesson.slug,
                                       _anchor="discussion"), status=400)
    question = services.ask(lesson=lesson, author=current_user, body=form.body.data)
    db.session.commit()
    flash(_("Your question was posted."), "success")
    return redirect(services.post_link(question, course, lesson))


@bp.post("/posts/<int:post_id>/replies")
@login_required
def reply(post_id: int):
    question, course, lesson = access.get_post_or_404(post_id, current_user)
    form = ReplyForm()
    if question.parent_id is not None or question.hidden_at is not None:
        flash(_("Replies go under a question that is shown."), "error")
    elif not form.validate_on_submit():
        return _form_page(form, form.body, heading=_("Reply"), button=_("Post your reply"), post=question,
                          action=url_for("dialogue.reply", post_id=question.id), back=services.post_link(question, course, lesson),
                          status=400)
    else:
        services.reply(question=question, author=current_user, body=form.body.data)
        db.session.commit()
        flash(_("Your reply was posted."), "success")
    return redirect(services.post_link(question, course, lesson))


def _edit_page(post: Post, course: Course, lesson: Lesson, form: EditForm, status: int = 200):
    return _form_page(form, form.body, heading=_("Edit your post"), button=_("Save changes"),
                      action=url_for("dialogue.update", post_id=post.id), back=services.post_link(post, course, lesson), status=status)


def _edit_window_closed(post: Post, course: Course, lesson: Lesson):
    minutes = int(EDIT_WINDOW.total_seconds() // 60)
    flash(_("A post can be edited only in the first %(n)d minutes, while it is shown.", n=minutes), "error")
    return redirect(services.post_link(post, course, lesson))


@bp.get("/posts/<int:post_id>/edit")
@login_required
def edit(post_id: int):
    post, course, lesson = access.get_own_post_or_403(post_id, current_user)
    if not access.may_edit_post(reach_of(current_user), post):
        return _edit_window_closed(post, course, lesson)
    return _edit_page(post, course, lesson, EditForm(data={"body": post.body}))


@bp.post("/posts/<int:post_id>/edit")
@login_required
def update(post_id: int):
    post, course, lesson = access.get_own_post_or_403(post_id, current_user)
    if not access.may_edit_post(reach_of(current_user), post):
        return _edit_window_closed(post, course, lesson)
    form = EditForm()
    if not form.validate_on_submit():
        return _edit_page(post, course, lesson, form, status=400)
    services.edit(post, editor=current_user, body=form.body.data)
    db.session.commit()
    flash(_("Your post was saved."), "success")
    return redirect(services.post_link(post, course, lesson))


@bp.post("/posts/<int:post_id>/accept")
@login_required
def accept(post_id: int):
    answer, course, lesson = access.get_post_or_404(post_id, current_user)
    reach = reach_of(current_user)
    question = db.session.get(Post, answer.parent_id) if answer.parent_id else None
    if question is None:
        abort(404)
    if not access.may_accept_answer(reach, question.author_id, *access.post_context(question)):
        _deny()
    try:
        if services.accept(answer, actor=current_user, reach=reach):
            flash(_("The reply is marked as the answer."), "success")
    except PostRefused:
        flash(_("A hidden post cannot be the answer."), "error")
    db.session.commit()
    return redirect(services.post_link(answer, course, lesson))


@bp.post("/posts/<int:post_id>/pin")
@roles_required(*MODERATORS)
def pin(post_id: int):
    question, course, lesson = access.get_answerable_question_or_404(post_id, current_user)
    reach = reach_of(current_user)
    form = PinForm()
    if not form.validate_on_submit():
        abort(400)
    pinned = form.action.data == "pin"
    try:
        if services.set_pinned(question, actor=current_user, pinned=pinned, reach=reach):
            flash(_("The question is pinned to the module's FAQ.") if pinned
                  else _("The question is no longer in the module's FAQ."), "success")
    except PostRefused:
        flash(_("Only a question with a chosen answer can be pinned to the FAQ."), "error")
    db.session.commit()
    return redirect(services.post_link(question, course, lesson))


@bp.post("/posts/<int:post_id>/hide")
@roles_required(*MODERATORS)
def hide(post_id: int):
    post, course, lesson = access.get_moderated_post_or_404(post_id, current_user)
    form = HideForm()
    if not form.validate_on_submit():
        return _form_page(form, form.reason, heading=_("Hide a post"), button=_("Hide the post"), post=post,
                          action=url_for("dialogue.hide", post_id=post.id), back=services.post_link(post, course, lesson),
                          status=400)
    if services.hide(post, moderator=current_user, reason=form.reason.data):
        flash(_("The post is hidden from members. It is kept, with your reason."), "success")
    db.session.commit()
    return redirect(services.post_link(post, course, lesson))


@bp.post("/posts/<int:post_id>/unhide")
@roles_required(*MODERATORS)
def unhide(post_id: int):
    post, course, lesson = access.get_moderated_post_or_404(post_id, current_user)
    if services.unhide(post, moderator=current_user):
        flash(_("The post is shown to members again."), "success")
    db.session.commit()
    return redirect(services.post_link(post, course, lesson))


@bp.get("/courses/<slug>/faq")
@login_required
def faq(slug: str):
    course = get_course_or_404(slug)
    return render_template("dialogue/faq.html", course=course, entries=threads.faq(course))


@bp.get("/questions")
@roles_required(*MODERATORS)
def questions():
    return render_template("dialogue/questions.html", waiting=threads.unanswered(current_user),
                           shown=threads.SHOWN)
