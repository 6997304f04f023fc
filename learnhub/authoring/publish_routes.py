"""Authoring pages for making a module live: publish, ask for review, export, and the member's-eye view."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub import audit
from learnhub.authoring import bp, drafts, editing, editor, publishing, reviews
from learnhub.authoring.access import AUTHORS, get_module_or_404
from learnhub.authoring.forms import ActionForm
from learnhub.authoring.problems import shown_problems
from learnhub.authoring.uploads import course_zip_bytes
from learnhub.extensions import db
from learnhub.security import roles_required


@bp.post("/<slug>/publish")
@roles_required(*AUTHORS)
def publish(slug: str):
    course = get_module_or_404(slug, current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    requested_by = course.review_requested_by_id
    try:
        summary = publishing.publish(course, publisher=current_user, review_required=editor.review_required())
    except publishing.ReviewRequired:
        flash(_("Your organisation asks for a second person to publish: ask for review, then another author publishes."), "error")
        return redirect(url_for("authoring.module", slug=slug))
    except publishing.DraftRefused as refused:
        db.session.rollback()
        flash(_("The module was not published: correct the %(n)d problem(s) listed below.", n=len(refused.problems)), "error")
        return redirect(url_for("authoring.module", slug=slug))
    reviews.record_publish(course, current_user, requested_by)
    audit.record("module.publish", object_type="course", object_id=course.id, summary=summary.describe())
    db.session.commit()
    flash(_("Published: members now see this version. Members in the middle of the quiz keep the questions they started with."), "success")
    return redirect(url_for("authoring.module", slug=slug))


@bp.post("/<slug>/review")
@roles_required(*AUTHORS)
def request_review(slug: str):
    course = get_module_or_404(slug, current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        reviews.request_review(course, current_user)
    except publishing.DraftRefused:
        flash(_("Correct the problems listed below before asking for review."), "error")
        return redirect(url_for("authoring.module", slug=slug))
    audit.record("module.review_request", object_type="course", object_id=course.id, summary=audit.N_("%(slug)s: review asked"), params={"slug": slug})
    db.session.commit()
    flash(_("Review was asked for: the reviewers were notified. Another propagandist or committee member can now publish or return it with comments."), "success")
    return redirect(url_for("authoring.module", slug=slug))


@bp.get("/<slug>/export.zip")
@roles_required(*AUTHORS)
def export(slug: str):
    course = get_module_or_404(slug, current_user)
    with drafts.draft_folder(course) as folder:
        data = course_zip_bytes(folder)
    response = Response(data, mimetype="application/zip")
    response.headers.set("Content-Disposition", "attachment", filename=f"{slug}.zip")
    return response


@bp.get("/<slug>/view/")
@bp.get("/<slug>/view/<lesson_slug>")
@roles_required(*AUTHORS)
def view(slug: str, lesson_slug: str | None = None):
    """The draft as members will see it once published."""
    course = get_module_or_404(slug, current_user)
    _report, problems = publishing.check_draft(course)
    media_base = url_for("authoring.draft_media", slug=slug, name="")
    page = editing.draft_page(course, lesson_slug, media_base) or abort(404)
    return render_template("authoring/view.html", course=course, page=page,
                           problems=shown_problems(problems, course=course))
