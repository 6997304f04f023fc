"""A unit's document settings page, and the Party form's helpers for the print templates."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.auth.models import Role
from learnhub.documents import access, services
from learnhub.documents.form import (
    FIELDS,
    DocumentKind,
    defaults,
    document_date,
    notice_date,
    party_form,
    party_form_of,
    settings_of,
    title_lines,
)
from learnhub.documents.forms import DocumentSettingsForm
from learnhub.extensions import db
from learnhub.security import roles_required
from learnhub.settings import local_today

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.app_context_processor
def party_helpers() -> dict:
    """What the print templates call: the Party form of a unit's document and its title."""
    return {"party_form": party_form_of, "document_date": document_date, "notice_date": notice_date, "title_lines": title_lines,
            "document_today": local_today, "may_set_documents": access.may_set_documents}


@bp.route("/units/<int:unit_id>/settings", methods=["GET", "POST"])
@roles_required(Role.committee)
def settings(unit_id: int):
    """How the unit's documents are headed and signed; an empty field prints the default shown."""
    unit = access.get_settings_unit_or_404(unit_id, current_user)
    stored = settings_of(unit.id)
    form = DocumentSettingsForm(data={name: getattr(stored, name) for name in FIELDS} if stored else None)
    if form.validate_on_submit():
        services.save_settings(unit=unit, values={name: form[name].data for name in FIELDS})
        db.session.commit()
        flash(_("The heading and signature of %(unit)s's documents were saved.", unit=unit.name), "success")
        return redirect(url_for("documents.settings", unit_id=unit.id))
    status = 400 if form.errors else 200
    return render_template("documents/settings.html", unit=unit, form=form, defaults=defaults(unit),
                           preview=party_form(unit, DocumentKind.plan, local_today())), status
