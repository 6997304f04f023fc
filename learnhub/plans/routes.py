"""Study plans for committees: list, create, open and close, print, and the completion dashboard."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.auth.models import Category, Role, User
from learnhub.courses.access import plannable_courses
from learnhub.courses.models import Course
from learnhub.db import utcnow
from learnhub.exports import FORMATS, sheet_response
from learnhub.extensions import db
from learnhub.figures import pool
from learnhub.forms import options, room_for
from learnhub.numbers import query_id, query_year
from learnhub.orgs.access import get_chosen_unit_or_404
from learnhub.orgs.models import Unit
from learnhub.orgs.services import unit_filter_choices, unit_paths, units_in_scope
from learnhub.plans import access, services
from learnhub.plans.completion import completion_report
from learnhub.plans.dashboard_figures import dashboard_figures
from learnhub.plans.downloads import completion_sheet, missing_sheet
from learnhub.plans.forms import BLANK_TASK_ROWS, PlanForm
from learnhub.plans.missing import missing_members
from learnhub.plans.models import Audience, Criterion, PlanStatus, StudyForm, StudyPlan
from learnhub.plans.modules import plan_course_ids, plan_courses
from learnhub.plans.window import counts_on
from learnhub.replica import reads_replica
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


def _prepare(form: PlanForm, plan: StudyPlan | None = None) -> list[User]:
    """Fill the form's choices from the viewer's scope; returns who may be responsible.

    The modules offered are those the viewer may plan, published or not (a draft may name a module
    still being written), and the plan's own."""
    units = units_in_scope(current_user)
    form.unit.choices = options(units)
    form.target_units.choices = options(units)
    own = plan_course_ids(plan) if plan else []
    form.courses.choices = options(
        [(c.id, c.title if c.published_at else _("%(title)s (not published yet)", title=c.title))
         for c in db.session.scalars(plannable_courses(current_user).where(
             sa.or_(Course.archived_at.is_(None), Course.id.in_(own))).order_by(Course.title))])
    for row in form.tasks:
        row.form.unit.choices = options([(0, _("Choose a unit"))] + list(units))
    people = db.session.scalars(limit_to_scope(
        sa.select(User).where(User.role.in_([Role.committee, Role.admin]), User.active.is_(True)), User.unit_id, current_user
    ).order_by(User.sort_key)).all()
    form.responsible.choices = options([(0, _("Nobody yet"))] + [(p.id, p.full_name) for p in people])
    return list(people)


def _values(form: PlanForm, people: list[User], plan: StudyPlan | None = None) -> dict:
    """The form's fields as the services take them; units and new modules are checked against the
    viewer's scope (a module the plan already covers stays, even if no longer offered)."""
    own = {module.course_id: module.course for module in plan.modules} if plan else {}
    courses_chosen = [own.get(course_id) or access.get_plannable_course_or_404(course_id, current_user)
                      for course_id in form.courses.data]
    return dict(
        title=form.title.data.strip(), number=form.number.data or "", issued_on=form.issued_on.data,
        purpose=form.purpose.data or "", requirements=form.requirements.data or "", content=form.content.data or "",
        form=StudyForm(form.form.data), presenters=form.presenters.data or "", time_of_day=form.time_of_day.data or "",
        place=form.place.data or "", decoration=form.decoration.data or "",
        opens_on=form.opens_on.data, due_on=form.due_on.data,
        categories=tuple(Category(c) for c in form.categories.data),
        audiences=tuple(Audience(a) for a in form.audiences.data),
        criteria=tuple(Criterion(c) for c in form.criteria.data), all_required=form.rule.data == "all",
        target_rate=float(Decimal(form.target_percent.data) / 100),
        responsible_id=form.responsible.data if form.responsible.data in {p.id for p in people} else None,
        target_units=[get_unit_in_scope_or_404(unit_id) for unit_id in form.target_units.data],
        courses=courses_chosen,
        tasks=[(get_unit_in_scope_or_404(unit_id), text) for unit_id, text in form.kept_tasks()],
    )


def _initial(plan: StudyPlan) -> dict:
    """The plan as the form shows it, with empty task rows to add to."""
    names = ("title", "issued_on", "purpose", "requirements", "content", "presenters", "time_of_day", "place",
             "decoration", "opens_on", "due_on", "categories", "audiences", "criteria")
    return {name: getattr(plan, name) for name in names} | {
        "number": plan.number or "", "unit": plan.unit_id, "courses": plan_course_ids(plan),
        "target_units": [t.unit_id for t in plan.target_units], "form": plan.form.value,
        "rule": "all" if plan.all_required else "any",
        "target_percent": Decimal(str(round(plan.target_rate * 100, 1))), "responsible": plan.responsible_id or 0,
        "tasks": [{"unit": t.unit_id, "task": t.task} for t in plan.tasks] + [{}] * BLANK_TASK_ROWS,
    }


def _more_rows(form: PlanForm) -> bool:
    """The "add a task row" button: show the form again with one more empty row, saving nothing."""
    if "add_task" not in request.form:
        return False
    if room_for(form.tasks):
        form.tasks.append_entry()
    else:
        flash(_("A plan has at most %(count)d task rows.", count=form.tasks.max_entries), "error")
    return True


def _refused(form: PlanForm, error: services.PlanRefused) -> None:
    """Show why the services refused the plan: beside the number field, or as a message."""
    db.session.rollback()
    if isinstance(error, services.NumberTaken):
        form.number.errors = [*form.number.errors, str(error)]
    else:
        flash(_("The plan could not be saved: %(reason)s", reason=str(error)), "error")


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.committee)
def new():
    form = PlanForm(data={"issued_on": local_today()}) if request.method == "GET" else PlanForm()
    adding = _more_rows(form)
    people = _prepare(form)
    if not adding and form.validate_on_submit():
        unit = get_unit_in_scope_or_404(form.unit.data)
        try:
            plan = services.create_plan(unit=unit, **_values(form, people))
        except services.PlanRefused as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("The plan was saved as a draft. Open it when members should start."), "success")
            return redirect(url_for("plans.dashboard", plan_id=plan.id))
    return render_template("plans/form.html", form=form, plan=None)


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@roles_required(Role.committee)
def edit(plan_id: int):
    plan = access.get_changeable_plan_or_404(plan_id, current_user)
    form = PlanForm(data=_initial(plan)) if request.method == "GET" else PlanForm()
    adding = request.method == "POST" and _more_rows(form)
    people = _prepare(form, plan)
    if request.method == "POST" and not adding and form.validate_on_submit():
        try:
            services.update_plan(plan, **_values(form, people, plan))
        except services.PlanRefused as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("The plan was saved."), "success")
            return redirect(url_for("plans.dashboard", plan_id=plan.id))
    return render_template("plans/form.html", form=form, plan=plan, modules=plan_courses(plan))


@bp.post("/<int:plan_id>/status")
@roles_required(Role.committee)
def change_status(plan_id: int):
    plan = access.get_changeable_plan_or_404(plan_id, current_user)
    wanted = request.form.get("status", "")
    if wanted not in PlanStatus.__members__:
        abort(400)
    try:
        services.set_status(plan, PlanStatus(wanted))
    except services.PlanRefused as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The plan's status was changed."), "success")
    return redirect(url_for("plans.dashboard", plan_id=plan.id))


@bp.get("/<int:plan_id>/delete")
@roles_required(Role.committee)
def confirm_delete(plan_id: int):
    """Ask before deleting a draft plan."""
    plan = access.get_changeable_plan_or_404(plan_id, current_user)
    return render_template("plans/delete.html", plan=plan, modules=plan_courses(plan))


@bp.post("/<int:plan_id>/delete")
@roles_required(Role.committee)
def delete(plan_id: int):
    plan = access.get_changeable_plan_or_404(plan_id, current_user)
    title = plan.title
    try:
        services.delete_plan(plan)
    except services.PlanRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("plans.dashboard", plan_id=plan_id))
    db.session.commit()
    flash(_("The draft plan “%(title)s” was deleted.", title=title), "success")
    return redirect(url_for("plans.index"))


@bp.post("/<int:plan_id>/copy")
@roles_required(Role.committee)
def copy(plan_id: int):
    """A copy of the plan for next year's study, as a draft to finish."""
    plan = access.get_changeable_plan_or_404(plan_id, current_user)
    copied = services.copy_for_next_year(plan)
    db.session.commit()
    flash(_("A copy for next year was saved as a draft: give it its number and check its dates."), "success")
    return redirect(url_for("plans.edit", plan_id=copied.id))


@bp.get("/<int:plan_id>/print")
@roles_required(Role.committee)
def print_plan(plan_id: int):
    plan = access.get_plan_or_404(plan_id, current_user)
    paths = unit_paths([t.unit_id for t in plan.target_units] + [task.unit_id for task in plan.tasks])
    return render_template("plans/print.html", plan=plan, courses=plan_courses(plan),
                           issuer=db.session.get(User, plan.responsible_id) if plan.responsible_id else None,
                           targets=[paths[t.unit_id] for t in plan.target_units], paths=paths)


def _chosen_unit(plan: StudyPlan) -> Unit:
    """The unit of ``?unit=`` (404 outside the viewer's scope), else the viewer's default for the plan."""
    return access.get_dashboard_unit_or_404(plan, query_id("unit"), current_user)


@bp.get("/<int:plan_id>")
@roles_required(Role.committee)
@reads_replica
def dashboard(plan_id: int):
    plan = access.get_plan_or_404(plan_id, current_user)
    unit = _chosen_unit(plan)
    figures = dashboard_figures(plan, unit)
    return render_template(
        "plans/dashboard.html", plan=plan, unit=unit, figures=figures,
        paths=unit_paths([m.unit_id for m in figures.missing] + [task.unit_id for task in plan.tasks]),
        courses=plan_courses(plan), unit_choices=unit_filter_choices(current_user, unit.id),
        sort=request.args.get("sort", "name"),
    )


@bp.get("/<int:plan_id>/export.<fmt>")
@roles_required(Role.committee)
@reads_replica
def export(plan_id: int, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    plan = access.get_plan_or_404(plan_id, current_user)
    unit = _chosen_unit(plan)
    return sheet_response(fmt, completion_sheet(completion_report(plan, unit)))


@bp.get("/overview")
@roles_required(Role.committee)
@reads_replica
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
                           pooled=pooled, running=running, unit_choices=unit_filter_choices(current_user, unit.id))


@bp.get("/<int:plan_id>/missing.<fmt>")
@roles_required(Role.committee)
@reads_replica
def export_missing(plan_id: int, fmt: str):
    """The members not yet completed, per unit, with what each still lacks: the list a cell
    secretary takes to the next cell meeting."""
    if fmt not in FORMATS:
        abort(404)
    plan = access.get_plan_or_404(plan_id, current_user)
    unit = _chosen_unit(plan)
    return sheet_response(fmt, missing_sheet(plan, unit, missing_members(plan, unit), unit_paths()))
