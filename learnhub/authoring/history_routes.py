"""Authoring pages for a file's history: every revision, one revision against the current text, restore."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub import audit
from learnhub.authoring import bp, drafts, editing
from learnhub.authoring.access import (
    AUTHORS,
    get_draft_file_or_404,
    get_module_or_404,
    get_revision_or_404,
)
from learnhub.authoring.diff import diff_rows
from learnhub.authoring.forms import ActionForm
from learnhub.extensions import db
from learnhub.security import roles_required


@bp.get("/<slug>/history/<path:key>")
@roles_required(*AUTHORS)
def history(slug: str, key: str):
    course = get_module_or_404(slug, current_user)
    file = get_draft_file_or_404(course, key)
    return render_template("authoring/history.html", course=course, file=file,
                           revisions=drafts.revisions(course, key), title=editing.file_title(file))


@bp.get("/<slug>/history/<path:key>/<int:number>")
@roles_required(*AUTHORS)
def revision(slug: str, key: str, number: int):
    course = get_module_or_404(slug, current_user)
    file = get_draft_file_or_404(course, key)
    shown = get_revision_or_404(course, key, number)
    return render_template("authoring/revision.html", course=course, file=file, revision=shown,
                           title=editing.file_title(file), rows=diff_rows(file.text, shown.text), action=ActionForm())


@bp.post("/<slug>/history/<path:key>/<int:number>/restore")
@roles_required(*AUTHORS)
def restore(slug: str, key: str, number: int):
    course = get_module_or_404(slug, current_user)
    get_draft_file_or_404(course, key)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        restored = drafts.restore_revision(course, key, number, author=current_user)
    except LookupError:
        abort(404)
    audit.record("module.restore", object_type="course", object_id=course.id,
                 summary=audit.N_("%(slug)s: %(key)s restored from revision %(number)s"), params={"slug": slug, "key": key, "number": number})
    db.session.commit()
    flash(_("Revision %(old)d is current again, as revision %(new)d. Nothing was removed from the history.",
            old=number, new=restored.number if restored else number), "success")
    return redirect(url_for("authoring.history", slug=slug, key=key))
