"""Inspections, follow-ups, the yearly evaluation of units and the propagandists' roster."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.auth.models import Role
from learnhub.extensions import db
from learnhub.forms import options
from learnhub.inspections import access, bp, services
from learnhub.inspections.forms import (
    CONCLUSION_TAGS,
    CONCLUSIONS,
    MARK_TAGS,
    MARKS,
    FollowUpDoneForm,
    InspectionForm,
)
from learnhub.inspections.models import Conclusion
from learnhub.numbers import query_id, query_page, query_year
from learnhub.orgs.services import unit_filter_choices, unit_paths, units_in_scope
from learnhub.plans import access as plan_access
from learnhub.plans.member_plans import local_today
from learnhub.security import get_unit_in_scope_or_404, roles_required


@bp.context_processor
def _labels() -> dict:
    return {"CONCLUSIONS": CONCLUSIONS, "CONCLUSION_TAGS": CONCLUSION_TAGS, "MARKS": MARKS, "MARK_TAGS": MARK_TAGS}


@bp.get("/")
@roles_required(Role.committee)
def index():
    unit_id = query_id("unit")
    if unit_id is not None:
        get_unit_in_scope_or_404(unit_id)
    year = query_year()
    if year is not None and not 1945 <= year <= 2100:
        abort(400)
    conclusion = request.args.get("conclusion") or None
    if conclusion is not None and conclusion not in Conclusion.__members__:
        abort(400)
    statement = services.visible_inspections(current_user, unit_id=unit_id, year=year,
                                             conclusion=Conclusion(conclusion) if conclusion else None)
    page = db.paginate(statement, page=query_page(), per_page=50, max_per_page=50)
    return render_template("inspections/index.html", page=page, paths=unit_paths(i.unit_id for i in page.items),
                           unit_id=unit_id, year=year,
                           conclusion=conclusion, unit_choices=unit_filter_choices(current_user, unit_id))


def _prepare(form: InspectionForm) -> None:
    form.unit.choices = options(units_in_scope(current_user))
    plans = db.session.scalars(plan_access.visible_plans(current_user)).all()
    form.plan.choices = options([(0, _("No particular plan"))] + [(p.id, p.title) for p in plans])


def _values(form: InspectionForm) -> dict:
    """The form's values, with the unit and plan loaded through the viewer's scope (404 outside it)."""
    return dict(
        unit=get_unit_in_scope_or_404(form.unit.data),
        plan=plan_access.get_plan_or_404(form.plan.data, current_user) if form.plan.data else None,
        held_on=form.held_on.data, inspectors=form.inspectors.data, findings=form.findings.data,
        conclusion=Conclusion(form.conclusion.data), follow_up=form.follow_up.data or "",
        follow_up_due=form.follow_up_due.data,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.committee)
def new():
    form = InspectionForm()
    _prepare(form)
    if request.method == "GET":
        form.unit.data = query_id("unit")
        form.held_on.data = form.held_on.data or local_today()
    elif form.validate_on_submit():
        inspection = services.create_inspection(**_values(form), by=current_user)
        db.session.commit()
        flash(_("The inspection was recorded."), "success")
        return redirect(url_for("inspections.show", inspection_id=inspection.id))
    return render_template("inspections/form.html", form=form, inspection=None), 400 if request.method == "POST" else 200


@bp.get("/<int:inspection_id>")
@roles_required(Role.committee)
def show(inspection_id: int):
    inspection = access.get_inspection_or_404(inspection_id, current_user)
    plan = plan_access.get_plan_or_404(inspection.plan_id, current_user) if inspection.plan_id else None
    return render_template("inspections/show.html", inspection=inspection, plan=plan, paths=unit_paths(),
                           follow_up_form=FollowUpDoneForm(), today=local_today())


@bp.route("/<int:inspection_id>/edit", methods=["GET", "POST"])
@roles_required(Role.committee)
def edit(inspection_id: int):
    inspection = access.get_inspection_or_404(inspection_id, current_user)
    form = InspectionForm(obj=inspection) if request.method == "GET" else InspectionForm()
    _prepare(form)
    if request.method == "GET":
        form.unit.data, form.plan.data = inspection.unit_id, inspection.plan_id or 0
        form.conclusion.data = inspection.conclusion.value
    elif form.validate_on_submit():
        services.update_inspection(inspection, **_values(form))
        db.session.commit()
        flash(_("The inspection was saved."), "success")
        return redirect(url_for("inspections.show", inspection_id=inspection.id))
    status = 400 if request.method == "POST" else 200
    return render_template("inspections/form.html", form=form, inspection=inspection), status


@bp.post("/<int:inspection_id>/delete")
@roles_required(Role.committee)
def delete(inspection_id: int):
    inspection = access.get_inspection_or_404(inspection_id, current_user)
    services.delete_inspection(inspection)
    db.session.commit()
    flash(_("The inspection was deleted."), "success")
    return redirect(url_for("inspections.index"))


@bp.post("/<int:inspection_id>/follow-up")
@roles_required(Role.committee)
def follow_up_done(inspection_id: int):
    inspection = access.get_inspection_or_404(inspection_id, current_user)
    form = FollowUpDoneForm()
    if form.validate_on_submit():
        try:
            services.complete_follow_up(inspection, form.note.data)
        except services.InspectionRefused:
            db.session.rollback()
            flash(_("This follow-up is already done, or there is none."), "error")
        else:
            db.session.commit()
            flash(_("The follow-up was marked done."), "success")
            return redirect(url_for("inspections.show", inspection_id=inspection.id))
    plan = plan_access.get_plan_or_404(inspection.plan_id, current_user) if inspection.plan_id else None
    return render_template("inspections/show.html", inspection=inspection, plan=plan, paths=unit_paths(),
                           follow_up_form=form, today=local_today()), 400


@bp.get("/follow-ups")
@roles_required(Role.committee)
def follow_ups():
    inspections = db.session.scalars(services.open_follow_ups(current_user)).all()
    return render_template("inspections/follow_ups.html", inspections=inspections, paths=unit_paths(),
                           today=local_today())

