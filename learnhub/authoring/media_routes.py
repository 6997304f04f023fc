"""Authoring pages for a module's images and files: upload, the draft's copy, delete when unused."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub import audit
from learnhub.authoring import bp, media
from learnhub.authoring.access import AUTHORS, get_media_or_404, get_module_or_404
from learnhub.authoring.forms import ActionForm, MediaForm
from learnhub.authoring.uploads import UploadRefused
from learnhub.courses.media_files import player_max_bytes
from learnhub.extensions import db
from learnhub.security import roles_required
from learnhub.study.media import media_response


@bp.route("/<slug>/media", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def media_page(slug: str):
    course = get_module_or_404(slug, current_user)
    form = MediaForm()
    status = 200
    if form.validate_on_submit():
        try:
            item = media.add_media(course, form.file.data.filename or "", form.file.data.read())
        except UploadRefused as exc:
            form.file.errors = [media.refusal_message(exc)]
            status = 400
        else:
            audit.record("module.media", object_type="course", object_id=course.id, summary=audit.N_("%(slug)s: uploaded %(path)s"), params={"slug": slug, "path": item.path})
            db.session.commit()
            flash(_("%(name)s was uploaded. Insert it in a lesson with the toolbar's image list.", name=item.path), "success")
            return redirect(url_for("authoring.media_page", slug=slug))
    elif request.method == "POST":
        status = 400
    items = media.media_list(course)
    return render_template("authoring/media.html", course=course, form=form, items=items, action=ActionForm(),
                           names={i.media.path for i in items}, player_mb=player_max_bytes() // (1024 * 1024)), status


@bp.get("/<slug>/media/<path:name>")
@roles_required(*AUTHORS)
def draft_media(slug: str, name: str):
    course = get_module_or_404(slug, current_user)
    return media_response(get_media_or_404(course, name))


@bp.post("/<slug>/media/<path:name>/delete")
@roles_required(*AUTHORS)
def delete_media(slug: str, name: str):
    course = get_module_or_404(slug, current_user)
    item = get_media_or_404(course, name)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not media.delete_if_unused(course, item):
        flash(_("%(name)s is still used by a lesson (in the draft or in what members see), so it was kept.",
                name=name), "error")
    else:
        audit.record("module.media_delete", object_type="course", object_id=course.id, summary=audit.N_("%(slug)s: deleted %(name)s"), params={"slug": slug, "name": name})
        db.session.commit()
        flash(_("%(name)s was deleted.", name=name), "success")
    return redirect(url_for("authoring.media_page", slug=slug))
