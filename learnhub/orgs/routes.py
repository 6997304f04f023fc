"""The organisation tree in the browser, and who is responsible for which units."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from learnhub.auth.models import Role, User
from learnhub.extensions import db
from learnhub.forms import options
from learnhub.orgs import access, assignments, services
from learnhub.orgs.forms import AssignmentForm, MoveForm, RenameForm, UnitForm
from learnhub.orgs.models import Unit, UnitKind
from learnhub.orgs.overview import overview as build_overview
from learnhub.security import get_unit_in_scope_or_404, roles_required

bp = Blueprint("orgs", __name__)

REFUSALS = {
    "name_invalid": _l("A unit's name cannot be empty or contain “/”."),
    "name_taken": _l("Another unit with this name already exists there."),
    "cycle": _l("A unit cannot be moved under itself or one of its own sub-units."),
    "has_members": _l("This unit still has active members: transfer them or record their status first."),
    "has_children": _l("This unit still has sub-units: archive or move them first."),
    "parent_archived": _l("An archived unit cannot receive sub-units."),
}


@bp.get("/overview")
@roles_required(Role.committee)
def overview():
    """The committee member's overview of the units in their scope."""
    return render_template("orgs/overview.html", overview=build_overview(current_user))


@bp.get("/units/")
@roles_required(Role.committee)
def units():
    paths = dict(services.units_in_scope(current_user))
    counts = dict(db.session.execute(
        sa.select(User.unit_id, sa.func.count(User.id)).where(User.unit_id.in_(list(paths))).group_by(User.unit_id)
    ).all())
    live = db.session.scalars(sa.select(Unit).where(Unit.id.in_(list(paths)))).all()
    rows = sorted(live, key=lambda u: paths[u.id])
    form = UnitForm() if current_user.role == Role.admin else None
    return render_template("orgs/units.html", rows=rows, paths=paths, counts=counts, form=form)


@bp.post("/units/")
@roles_required(Role.admin)
def create_root():
    form = UnitForm()
    if form.validate_on_submit():
        return _create(form, parent=None)
    flash(_("Enter the unit's name."), "error")
    return redirect(url_for("orgs.units"))


@bp.get("/units/<int:unit_id>")
@roles_required(Role.committee)
def unit(unit_id: int):
    unit = get_unit_in_scope_or_404(unit_id)
    move = MoveForm()
    move.parent.choices = options([c for c in services.units_in_scope(current_user) if c[0] != unit.id])
    return render_template(
        "orgs/unit.html", unit=unit, path=services.unit_path(unit), child_form=UnitForm(),
        rename_form=RenameForm(name=unit.name), move_form=move,
    )


@bp.post("/units/<int:unit_id>/children")
@roles_required(Role.committee)
def create_child(unit_id: int):
    parent = get_unit_in_scope_or_404(unit_id)
    form = UnitForm()
    if not form.validate_on_submit():
        flash(_("Enter the unit's name."), "error")
        return redirect(url_for("orgs.unit", unit_id=parent.id))
    return _create(form, parent=parent)


def _create(form: UnitForm, parent: Unit | None):
    try:
        unit = services.create_unit(name=form.name.data or "", kind=UnitKind(form.kind.data), parent=parent)
    except services.UnitChangeRefused as refusal:
        flash(str(REFUSALS[str(refusal)]), "error")
        return redirect(url_for("orgs.unit", unit_id=parent.id) if parent else url_for("orgs.units"))
    db.session.commit()
    flash(_("%(name)s was created.", name=unit.name), "success")
    return redirect(url_for("orgs.unit", unit_id=unit.id))


@bp.post("/units/<int:unit_id>/rename")
@roles_required(Role.committee)
def rename(unit_id: int):
    unit = get_unit_in_scope_or_404(unit_id)
    form = RenameForm()
    if form.validate_on_submit():
        _apply(lambda: services.rename_unit(unit, form.name.data or ""), _("The unit was renamed."))
    return redirect(url_for("orgs.unit", unit_id=unit.id))


@bp.post("/units/<int:unit_id>/move")
@roles_required(Role.committee)
def move(unit_id: int):
    unit = get_unit_in_scope_or_404(unit_id)
    form = MoveForm()
    form.parent.choices = options(services.units_in_scope(current_user))
    if form.validate_on_submit():
        parent = get_unit_in_scope_or_404(form.parent.data)
        _apply(lambda: services.move_unit(unit, parent), _("The unit was moved."))
    return redirect(url_for("orgs.unit", unit_id=unit.id))


@bp.post("/units/<int:unit_id>/archive")
@roles_required(Role.committee)
def archive(unit_id: int):
    unit = get_unit_in_scope_or_404(unit_id)
    if _apply(lambda: services.archive_unit(unit), _("The unit was archived; its history is kept.")):
        return redirect(url_for("orgs.units"))
    return redirect(url_for("orgs.unit", unit_id=unit.id))


def _apply(change, success: str) -> bool:
    try:
        change()
    except services.UnitChangeRefused as refusal:
        db.session.rollback()
        flash(str(REFUSALS[str(refusal)]), "error")
        return False
    db.session.commit()
    flash(success, "success")
    return True


@bp.route("/assignments", methods=["GET", "POST"])
@roles_required(Role.committee)
def assignment_list():
    form = AssignmentForm()
    people = assignments.assignable_people(current_user)
    form.user.choices = options(people)
    form.unit.choices = options(assignments.assignable_units(current_user))
    if form.validate_on_submit():
        target = access.get_assignable_unit_or_404(form.unit.data, current_user)
        person = access.get_assignable_person_or_404(form.user.data, current_user)
        assignments.assign(person, target)
        db.session.commit()
        flash(_("%(name)s is now responsible for %(unit)s.", name=person.full_name, unit=target.name), "success")
        return redirect(url_for("orgs.assignment_list"))
    return render_template("orgs/assignments.html", form=form, rows=assignments.assignment_rows(current_user))


@bp.post("/assignments/<int:assignment_id>/remove")
@roles_required(Role.committee)
def remove_assignment(assignment_id: int):
    assignment = access.get_assignment_or_404(assignment_id, current_user)
    assignments.unassign(assignment)
    db.session.commit()
    flash(_("The assignment was removed."), "success")
    return redirect(url_for("orgs.assignment_list"))


