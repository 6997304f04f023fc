"""Authoring pages for a module's review: the review page (comments beside each lesson and question,
the history of decisions), returning a module with comments, and marking a comment dealt with."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub import audit
from learnhub.authoring import bp, drafts, editing, questions, reviews
from learnhub.authoring.access import AUTHORS, get_comment_or_404, get_module_or_404, may_review
from learnhub.authoring.forms import ActionForm
from learnhub.extensions import db
from learnhub.security import roles_required
from learnhub.text import clean_text

MAX_COMMENT = 2000


@bp.get("/<slug>/review")
@roles_required(*AUTHORS)
def review(slug: str):
    course = get_module_or_404(slug, current_user)
    try:
        bank = questions.read_bank(course).bank.questions
    except questions.BankUnreadable:
        bank = []
    lessons = [(file.lesson_slug, editing.file_title(file)) for file in drafts.lesson_files(course)]
    return render_template(
        "authoring/review.html", course=course, lessons=lessons, questions=bank, action=ActionForm(),
        reviewer=may_review(current_user, course), events=reviews.events(course),
        lesson_comments=reviews.comments_for(course, "lesson"), question_comments=reviews.comments_for(course, "question"),
    )


@bp.post("/<slug>/review/return")
@roles_required(*AUTHORS)
def return_review(slug: str):
    course = get_module_or_404(slug, current_user)
    if not may_review(current_user, course):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    comments = []
    for name, value in request.form.items():
        kind, _sep, target = name.partition(":")
        text = clean_text(value, multiline=True).strip()[:MAX_COMMENT]
        if kind in reviews.TARGETS and target and text:
            comments.append((kind, target[:100], text))
    note = clean_text(request.form.get("note", ""), multiline=True).strip()[:MAX_COMMENT]
    if not comments and not note:
        flash(_("Write at least one comment saying what to change before returning the module."), "error")
        return redirect(url_for("authoring.review", slug=slug))
    reviews.return_module(course, current_user, comments, note)
    audit.record("module.review_return", object_type="course", object_id=course.id,
                 summary=audit.N_("%(slug)s: returned with %(n)s comment(s)"), params={"slug": slug, "n": len(comments)})
    db.session.commit()
    flash(_("The module was returned to its author with your comments."), "success")
    return redirect(url_for("authoring.review", slug=slug))


@bp.post("/<slug>/review/comments/<int:comment_id>/resolve")
@roles_required(*AUTHORS)
def resolve_comment(slug: str, comment_id: int):
    course = get_module_or_404(slug, current_user)
    comment = get_comment_or_404(course, comment_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    reviews.resolve(comment)
    db.session.commit()
    flash(_("The comment is marked as dealt with."), "success")
    return redirect(request.form.get("next_page") == "questions" and url_for("authoring.questions_list", slug=slug)
                    or url_for("authoring.review", slug=slug))
