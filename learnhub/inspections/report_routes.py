"""The yearly evaluation of units, the view over the term, and the propagandists' roster, with downloads."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.auth.models import Role
from learnhub.exports import FORMATS, sheet_response
from learnhub.extensions import db
from learnhub.figures import pool
from learnhub.inspections import bp
from learnhub.inspections.decisions import decide_level
from learnhub.inspections.downloads import evaluation_sheet, propagandists_sheet
from learnhub.inspections.evaluation import (
    evaluate_units,
    evaluate_years,
    running_plans,
    term_years,
)
from learnhub.inspections.forms import DecisionForm
from learnhub.inspections.levels import LEVEL_TAGS, LEVELS
from learnhub.inspections.models import Level
from learnhub.inspections.team import propagandist_roster
from learnhub.numbers import query_id, query_year
from learnhub.orgs.access import get_chosen_unit_or_404
from learnhub.orgs.models import Unit
from learnhub.orgs.services import unit_filter_choices, unit_paths
from learnhub.plans.member_plans import local_today
from learnhub.replica import reads_replica
from learnhub.security import get_unit_in_scope_or_404, in_scope, roles_required
from learnhub.settings import get_setting


def _unit_and_year() -> tuple[Unit, int]:
    """The unit asked for (in the viewer's scope, 404 otherwise; their first unit by default) and the year."""
    unit_id = query_id("unit")
    year = query_year() or local_today().year
    if not 1945 <= year <= 2100:
        abort(400)
    return get_chosen_unit_or_404(unit_id, current_user), year


@bp.get("/evaluation")
@roles_required(Role.committee)
@reads_replica
def evaluation():
    unit, year = _unit_and_year()
    return _evaluation_page(unit, year)


def _evaluation_page(unit: Unit, year: int, form: DecisionForm | None = None, status: int = 200):
    rows = evaluate_units(unit.id, year)
    return render_template("inspections/evaluation.html", unit=unit, year=year, rows=rows, form=form,
                           levels=list(Level), LEVELS=LEVELS, LEVEL_TAGS=LEVEL_TAGS,
                           running=running_plans(unit.id, [year]), unit_choices=unit_filter_choices(current_user, unit.id)), status


@bp.post("/evaluation/decision")
@roles_required(Role.committee)
def decide():
    """Record the committee's level for a unit it oversees in a year, with the reason (audited)."""
    form = DecisionForm()
    try:
        unit_id = int(form.unit.data or "")
    except ValueError:
        abort(404)
    unit = get_unit_in_scope_or_404(unit_id, current_user)
    page = unit.parent if unit.parent is not None and in_scope(current_user, unit.parent.id) else unit
    if not form.validate():
        year = form.year.data if not form.year.errors and form.year.data else local_today().year
        return _evaluation_page(page, year, form, 400)
    decide_level(unit, form.year.data, Level(form.level.data), form.reason.data.strip(), current_user)
    db.session.commit()
    flash(_("The decision for %(unit)s was recorded.", unit=unit.name), "success")
    return redirect(url_for("inspections.evaluation", unit=page.id, year=form.year.data))


@bp.get("/evaluation.<fmt>")
@roles_required(Role.committee)
@reads_replica
def evaluation_export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    unit, year = _unit_and_year()
    return sheet_response(fmt, evaluation_sheet(unit, year, evaluate_units(unit.id, year)))


@bp.get("/term")
@roles_required(Role.committee)
@reads_replica
def term():
    unit, _year = _unit_and_year()
    start = int(get_setting("term_start_year"))
    years = term_years(start, local_today())
    by_year = evaluate_years(unit.id, years)
    units = by_year[years[0]] if years else []
    cells = {(row.unit_id, year): row for year, rows in by_year.items() for row in rows}
    pooled = {u.unit_id: pool(cells[(u.unit_id, year)].pooled for year in years) for u in units}
    return render_template("inspections/term.html", unit=unit, start=start, years=years, units=units, cells=cells,
                           pooled=pooled, LEVELS=LEVELS, LEVEL_TAGS=LEVEL_TAGS,
                           running=running_plans(unit.id, years), unit_choices=unit_filter_choices(current_user, unit.id))


@bp.get("/propagandists")
@roles_required(Role.committee)
def propagandists():
    return render_template("inspections/propagandists.html", team=propagandist_roster(current_user),
                           paths=unit_paths())


@bp.get("/propagandists.<fmt>")
@roles_required(Role.committee)
def propagandists_export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    return sheet_response(fmt, propagandists_sheet(propagandist_roster(current_user), unit_paths()))
