"""Admin pages: the organisation's settings and the audit log."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from learnhub.admin.access import admin_required
from learnhub.admin.forms import (
    PERCENT_THRESHOLDS,
    AuditFilterForm,
    LevelThresholdsForm,
    SettingsForm,
    ThresholdsForm,
)
from learnhub.audit import N_, AuditEntry, describe
from learnhub.audit import record as audit_record
from learnhub.extensions import db
from learnhub.numbers import query_page
from learnhub.plans.formalism import current_thresholds
from learnhub.settings import all_settings, level_thresholds, local_midnight, set_setting

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def settings():
    current = all_settings()
    form = SettingsForm(data=current)
    if form.validate_on_submit():
        after = {"organisation_name": form.organisation_name.data.strip(), "public_url": form.public_url.data.strip(),
                 "authoring_review_required": bool(form.authoring_review_required.data),
                 "term_start_year": form.term_start_year.data}
        for key, value in after.items():
            set_setting(key, value)
        audit_record("settings.change", object_type="settings", object_id=None, summary=N_("changed the settings"), params={},
                     before={k: current[k] for k in after}, after=after)
        db.session.commit()
        flash(_("The settings were saved."), "success")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form, thresholds_form=_thresholds_form(),
                           levels_form=_levels_form()), (
        400 if form.is_submitted() else 200)


def _saved(prefix: str, before: dict[str, float], after: dict[str, float], action: str, summary: str):
    """Store a group of threshold settings, audit the change, commit and go back to the settings page."""
    for name, value in after.items():
        set_setting(f"{prefix}{name}", value)
    audit_record(action, object_type="settings", object_id=None, summary=summary, params={}, before=before, after=after)
    db.session.commit()
    flash(_("The thresholds were saved."), "success")
    return redirect(url_for("admin.settings"))


def _thresholds_form(formdata=None) -> ThresholdsForm:
    current = current_thresholds()
    shown = {k: Decimal(str(round(v * 100 if k in PERCENT_THRESHOLDS else v, 2))) for k, v in current.items()}
    return ThresholdsForm(formdata=formdata, data=shown)


@bp.post("/settings/thresholds")
@admin_required
def thresholds():
    form = _thresholds_form(request.form)
    if form.validate():
        before = current_thresholds()
        after = {name: float(field.data) / (100 if name in PERCENT_THRESHOLDS else 1)
                 for name, field in form._fields.items() if name != "csrf_token"}
        return _saved("formalism_", before, after, "settings.thresholds", N_("changed the formalism thresholds"))
    return render_template("admin/settings.html", form=SettingsForm(data=all_settings()), thresholds_form=form,
                           levels_form=_levels_form()), 400


def _levels_form(formdata=None) -> LevelThresholdsForm:
    shown = {k: Decimal(str(round(v, 2))) for k, v in level_thresholds().items()}
    return LevelThresholdsForm(formdata=formdata, data=shown)


@bp.post("/settings/levels")
@admin_required
def level_settings():
    """The thresholds of the levels the evaluation proposes (docs/year.md); audited."""
    form = _levels_form(request.form)
    if form.validate():
        before = level_thresholds()
        after = {name: float(field.data) for name, field in form._fields.items() if name != "csrf_token"}
        return _saved("level_", before, after, "settings.levels", N_("changed the thresholds of the proposed levels"))
    return render_template("admin/settings.html", form=SettingsForm(data=all_settings()),
                           thresholds_form=_thresholds_form(), levels_form=form), 400


@bp.get("/audit")
@admin_required
def audit():
    form = AuditFilterForm(request.args)
    statement = sa.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    valid = form.validate()
    if valid:
        if form.action.data:
            statement = statement.where(AuditEntry.action.startswith(form.action.data.strip(), autoescape=True))
        if form.actor.data:
            statement = statement.where(AuditEntry.actor_name == form.actor.data.strip().lower())
        if form.since.data:
            statement = statement.where(AuditEntry.at >= local_midnight(form.since.data))
        if form.until.data:
            statement = statement.where(AuditEntry.at < local_midnight(form.until.data + dt.timedelta(days=1)))
    page = db.paginate(statement, page=query_page(), per_page=50, max_per_page=50)
    return render_template("admin/audit.html", form=form, page=page, describe_audit=describe), 200 if valid else 400

