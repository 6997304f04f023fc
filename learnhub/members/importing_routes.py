"""Importing a member list in the browser: upload, preview every row's problems, confirm.

The preview and the confirmation each plan the kept upload (a streamed read); the preview's form
carries the plan's digest, so the confirmation applies only the plan that was shown.
"""
from __future__ import annotations

from contextlib import closing

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.auth.models import Role
from learnhub.extensions import db
from learnhub.forms import options
from learnhub.members import uploads
from learnhub.members.access import get_upload_or_404
from learnhub.members.forms import ImportUploadForm
from learnhub.members.importer import apply_member_import, plan_member_import
from learnhub.orgs.services import units_in_scope
from learnhub.security import get_unit_in_scope_or_404, roles_required

bp = Blueprint("members_import", __name__, url_prefix="/members/import")


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.committee)
def upload():
    form = ImportUploadForm()
    form.unit.choices = options(units_in_scope(current_user))
    if form.validate_on_submit():
        unit = get_unit_in_scope_or_404(form.unit.data)
        token = uploads.save_upload(form.file.data, owner_id=current_user.id, unit_id=unit.id)
        return redirect(url_for("members_import.preview", token=token))
    return render_template("members/import_upload.html", form=form)


def _plan(token: str, keep: bool = False):
    path, meta = get_upload_or_404(token, current_user)
    unit = get_unit_in_scope_or_404(meta["unit"])
    plan = plan_member_import(path, filename=meta["filename"], base_unit=unit, viewer=current_user, keep=keep)
    return plan, unit


@bp.get("/<token>")
@roles_required(Role.committee)
def preview(token: str):
    plan, unit = _plan(token)
    return render_template("members/import_preview.html", plan=plan, unit=unit, token=token)


@bp.post("/<token>")
@roles_required(Role.committee)
def confirm(token: str):
    plan, unit = _plan(token, keep=True)
    with closing(plan):
        if not plan.ok:
            flash(_("The file still has problems: nothing was imported."), "error")
            return render_template("members/import_preview.html", plan=plan, unit=unit, token=token), 400
        # The digest of the plan the preview showed (a form without one is taken to agree).
        if request.form.get("plan", plan.digest) != plan.digest:
            flash(_("The members changed since the preview: check the new preview and confirm again."), "error")
            return render_template("members/import_preview.html", plan=plan, unit=unit, token=token), 409
        created, updated = apply_member_import(plan, current_user)
    db.session.commit()
    uploads.delete_upload(token)
    flash(_("Imported: %(created)d new members, %(updated)d updated.", created=created, updated=updated), "success")
    return redirect(url_for("members.index", unit=unit.id))


@bp.post("/<token>/cancel")
@roles_required(Role.committee)
def cancel(token: str):
    if uploads.load_upload(token, current_user.id) is not None:
        uploads.delete_upload(token)
    flash(_("The import was cancelled; nothing was changed."), "info")
    return redirect(url_for("members_import.upload"))
