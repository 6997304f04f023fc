"""Study plans for committees: list, create, open and close, print, and the completion dashboard."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.auth.models import Category, Role, User
from learnhub.courses.access import assignable_courses
from learnhub.courses.models import Course
from learnhub.db import utcnow
from learnhub.exports import FORMATS, sheet_response
from learnhub.extensions import db
from learnhub.figures import pool
from learnhub.forms import options
from learnhub.numbers import query_id, query_year
from learnhub.orgs.access import get_chosen_unit_or_404
from learnhub.orgs.models import Unit
from learnhub.orgs.services import unit_paths, units_in_scope
from learnhub.plans import access, services
from learnhub.plans.completion import completion_report, missing_members
from learnhub.plans.dashboard_figures import FRESH_FOR, dashboard_figures
from learnhub.plans.downloads import completion_sheet, missing_sheet
from learnhub.plans.forms import PlanForm
from learnhub.plans.models import Criterion, PlanStatus, StudyForm, StudyPlan
from learnhub.plans.window import counts_on
from learnhub.security import (
    get_unit_in_scope_or_404,
    limit_to_scope,
    roles_required,
)
from learnhub.settings import local_today

bp = Blueprint("plans", __name__, url_prefix="/plans")


@bp.get("/")
@roles_required(Role.committee)
def index():
    plans = db.session.scalars(access.visible_plans(current_user)).all()
    return render_template("plans/index.html", plans=plans)


def _prepare(form: PlanForm) -> list[User]:
    """Fill the form's choices from the viewer's scope; returns who may be responsible."""
    units = units_in_scope(current_user)
    form.unit.choices = options(units)
    form.target_units.choices = options(units)
    form.course.choices = options(
        [(c.id, c.title) for c in db.session.scalars(assignable_courses(current_user).order_by(Course.title))])
    people = db.session.scalars(limit_to_scope(
        sa.select(User).where(User.role.in_([Role.committee, Role.admin]), User.active.is_(True)), User.unit_id, current_user
    ).order_by(User.sort_key)).all()
    form.responsible.choices = options([(0, _("Nobody yet"))] + [(p.id, p.full_name) for p in people])
    return list(people)


def _values(form: PlanForm, people: list[User]) -> dict:
    return dict(
        title=form.title.data.strip(), number=form.number.data or "", purpose=form.purpose.data or "",
        form=StudyForm(form.form.data), presenters=form.presenters.data or "", place=form.place.data or "",
        opens_on=form.opens_on.data, due_on=form.due_on.data,
        categories=tuple(Category(c) for c in form.categories.data),
        criteria=tuple(Criterion(c) for c in form.criteria.data), all_required=form.rule.data == "all",
        target_rate=float(Decimal(form.target_percent.data) / 100),
        responsible_id=form.responsible.data if form.responsible.data in {p.id for p in people} else None,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.committee)
def new():
    form = PlanForm()
    people = _prepare(form)
    if form.validate_on_submit():
        unit = get_unit_in_scope_or_404(form.unit.data)
        targets = [get_unit_in_scope_or_404(unit_id) for unit_id in form.target_units.data]
        course = access.get_assignable_course_or_404(form.course.data, current_user)
        try:
            plan = services.create_plan(unit=unit, course=course, target_units=targets, **_values(form, people))
        except services.PlanRefused:
            flash(_("The plan could not be saved: check the dates, units and completion rule."), "error")
        else:
            db.session.commit()
            flash(_("The plan was saved as a draft. Open it when members should start."), "success")
            return redirect(url_for("plans.dashboard", plan_id=plan.id))
    return render_template("plans/form.html", form=form, plan=None)


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@roles_required(Role.committee)
def edit(plan_id: int):
    plan = access.get_changeable_plan_or_404(plan_id, current_user)
    form = PlanForm(obj=plan) if request.method == "GET" else PlanForm()
    people = _prepare(form)
    if request.method == "GET":
        form.unit.data, form.course.data = plan.unit_id, plan.course_id
        form.target_units.data = [t.unit_id for t in plan.target_units]
        form.rule.data = "all" if plan.all_required else "any"
        form.target_percent.data = Decimal(str(round(plan.target_rate * 100, 1)))
        form.responsible.data = plan.responsible_id or 0
        form.form.data = plan.form.value
    elif form.validate_on_submit():
        targets = [get_unit_in_scope_or_404(unit_id) for unit_id in form.target_units.data]
        try:
            services.update_plan(plan, target_units=targets, **_values(form, people))
        except services.PlanRefused:
            db.session.rollback()
            flash(_("The plan could not be saved: check the dates, units and completion rule."), "error")
        else:
            db.session.commit()
            flash(_("The plan was saved."), "success")
            return redirect(url_for("plans.dashboard", plan_id=plan.id))
    return render_template("plans/form.html", form=form, plan=plan)


@bp.post("/<int:plan_id>/status")
@roles_required(Role.committee)
def change_status(plan_id: int):
    plan = access.get_changeable_plan_or_404(plan_id, current_user)
    wanted = request.form.get("status", "")
    if wanted not in PlanStatus.__members__:
        abort(400)
    services.set_status(plan, PlanStatus(wanted))
    db.session.commit()
    flash(_("The plan's status was changed."), "success")
    return redirect(url_for("plans.dashboard", plan_id=plan.id))


@bp.get("/<int:plan_id>/print")
@roles_required(Role.committee)
def print_plan(plan_id: int):
    plan = access.get_plan_or_404(plan_id, current_user)
    paths = unit_paths()
    return render_template("plans/print.html", plan=plan, course=db.session.get(Course, plan.course_id),
                           issuer=db.session.get(User, plan.responsible_id) if plan.responsible_id else None,
                           targets=[paths[t.unit_id] for t in plan.target_units], paths=paths)



def _chosen_unit(plan: StudyPlan) -> Unit:
    """The unit of ``?unit=`` (404 outside the viewer's scope), else the viewer's default for the plan."""
    return access.get_dashboard_unit_or_404(plan, query_id("unit"), current_user)


@bp.get("/<int:plan_id>")
@roles_required(Role.committee)
def dashboard(plan_id: int):
    plan = access.get_plan_or_404(plan_id, current_user)
    unit = _chosen_unit(plan)
    figures = dashboard_figures(plan, unit, recompute=request.args.get("recompute") == "1")
    return render_template(
        "plans/dashboard.html", plan=plan, unit=unit, figures=figures, paths=unit_paths(),
        course=db.session.get(Course, plan.course_id), unit_choices=units_in_scope(current_user),
        sort=request.args.get("sort", "name"), fresh_minutes=int(FRESH_FOR.total_seconds() // 60),
    )


@bp.get("/<int:plan_id>/export.<fmt>")
@roles_required(Role.committee)
def export(plan_id: int, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    plan = access.get_plan_or_404(plan_id, current_user)
    unit = _chosen_unit(plan)
    return sheet_response(fmt, completion_sheet(completion_report(plan, unit)))


@bp.get("/overview")
@roles_required(Role.committee)
def overview():
    """Every plan of a year for a unit: each plan's rate, the sub-units side by side, and the trend."""
    unit = get_chosen_unit_or_404(query_id("unit"), current_user)
    year = query_year() or utcnow().year
    plans = db.session.scalars(
        access.visible_plans(current_user).where(
            StudyPlan.due_on >= dt.date(year, 1, 1), StudyPlan.due_on <= dt.date(year, 12, 31),
            StudyPlan.status != PlanStatus.draft,
        ).order_by(None).order_by(StudyPlan.due_on, StudyPlan.id)
    ).all()
    reports = [completion_report(plan, unit) for plan in plans]
    names = {u.unit_id: u.name for report in reports for u in report.units}
    grid = {(u.unit_id, i): u for i, report in enumerate(reports) for u in report.units}
    today = local_today()
    running = {r.plan.id for r in reports if not counts_on(r.plan, today)}
    pooled = pool(r.total for r in reports if r.plan.id not in running)  # the year counts what is due
    return render_template("plans/overview.html", unit=unit, year=year, reports=reports, names=names, grid=grid,
                           pooled=pooled, running=running, unit_choices=units_in_scope(current_user))


@bp.get("/<int:plan_id>/missing.<fmt>")
@roles_required(Role.committee)
def export_missing(plan_id: int, fmt: str):
    """The members not yet completed, per unit, with what each still lacks: the list a cell
    secretary takes to the next cell meeting."""
    if fmt not in FORMATS:
        abort(404)
    plan = access.get_plan_or_404(plan_id, current_user)
    unit = _chosen_unit(plan)
    return sheet_response(fmt, missing_sheet(plan, unit, missing_members(plan, unit), unit_paths()))
