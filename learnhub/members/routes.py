"""Member pages for committees: the list, a profile, transfers, status, passwords, exports, slips."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from learnhub.auth.models import Category, MemberStatus, Role
from learnhub.extensions import db
from learnhub.forms import options
from learnhub.members import exports, services
from learnhub.members.access import (
    get_editable_member_or_404,
    get_member_or_404,
    may_change_account,
    may_edit_member,
)
from learnhub.members.forms import (
    AccountForm,
    AppointForm,
    MemberFilterForm,
    SlipsForm,
    StatusForm,
    TransferForm,
)
from learnhub.numbers import query_page
from learnhub.orgs.access import may_appoint
from learnhub.orgs.assignments import assignable_units
from learnhub.orgs.models import Unit
from learnhub.orgs.services import unit_paths, units_in_scope
from learnhub.security import get_unit_in_scope_or_404, roles_required
from learnhub.settings import get_setting

bp = Blueprint("members", __name__, url_prefix="/members")
PER_PAGE = 50


def _filters() -> tuple[MemberFilterForm, services.MemberFilter]:
    form = MemberFilterForm(request.args)
    choices = units_in_scope(current_user)
    form.unit.choices = options([(0, _("All units in my scope"))] + choices)
    unit_id = form.unit.data if form.unit.data in {c[0] for c in choices} else None
    filters = services.MemberFilter(
        unit_id=unit_id,
        query=form.q.data or "",
        category=Category(form.category.data) if form.category.data in Category.__members__ else None,
        status=MemberStatus(form.status.data) if form.status.data in MemberStatus.__members__ else None,
    )
    return form, filters


@bp.get("/")
@roles_required(Role.committee)
def index():
    form, filters = _filters()
    page = db.paginate(services.members_query(current_user, filters), page=query_page(), per_page=PER_PAGE, max_per_page=PER_PAGE)
    return render_template("members/index.html", form=form, page=page, paths=unit_paths())


@bp.get("/export.<fmt>")
@roles_required(Role.committee)
def export(fmt: str):
    if fmt not in exports.FORMATS:
        abort(404)
    _form, filters = _filters()
    members = db.session.scalars(services.members_query(current_user, filters)).all()
    response = exports.member_list_response(members, unit_paths(), fmt)
    db.session.commit()  # the export's audit entry
    return response


@bp.get("/<int:member_id>")
@login_required
def profile(member_id: int):
    member = get_member_or_404(member_id, current_user)
    oversee = may_edit_member(current_user, member)
    transfer_form = status_form = None
    if oversee:
        transfer_form = TransferForm()
        transfer_form.to_unit.choices = options(units_in_scope(current_user))
        status_form = StatusForm(status=member.status.value)
    appoint_form = None
    units = appointable_units(current_user, member)
    if units:
        appoint_form = AppointForm()
        appoint_form.unit.choices = options(units)
    account_form = None
    if may_change_account(current_user, member):
        account_form = AccountForm(role=member.role.value, active=member.active)
    return render_template(
        "members/profile.html", member=member, oversee=oversee, paths=unit_paths(),
        history=services.membership_history(member), transfer_form=transfer_form, status_form=status_form,
        account_form=account_form, appoint_form=appoint_form,
    )


def appointable_units(actor, member) -> list[tuple[int, str]]:
    """The units ``actor`` may make ``member`` responsible for (orgs.access.may_appoint)."""
    choices = assignable_units(actor)
    units = {u.id: u for u in db.session.scalars(sa.select(Unit).where(Unit.id.in_([c[0] for c in choices])))}
    return [(unit_id, path) for unit_id, path in choices if may_appoint(actor, member, units[unit_id])]


@bp.post("/<int:member_id>/appoint")
@roles_required(Role.committee)
def appoint(member_id: int):
    member = get_member_or_404(member_id, current_user)
    form = AppointForm()
    form.unit.choices = options(appointable_units(current_user, member))
    if not form.validate_on_submit():
        abort(404)
    unit = get_unit_in_scope_or_404(form.unit.data)
    services.appoint(member, unit)
    db.session.commit()
    flash(_("%(name)s is now responsible for %(unit)s.", name=member.full_name, unit=unit.name), "success")
    return redirect(url_for("members.profile", member_id=member.id))


@bp.post("/<int:member_id>/account")
@roles_required(Role.admin)
def change_account(member_id: int):
    member = get_member_or_404(member_id, current_user)
    form = AccountForm()
    if form.validate_on_submit():
        if member.id == current_user.id and (form.role.data != Role.admin.value or not form.active.data):
            flash(_("You cannot remove your own administrator rights or switch off your own account."), "error")
        else:
            services.change_account(member, role=Role(form.role.data), active=bool(form.active.data))
            db.session.commit()
            flash(_("The account of %(name)s was updated.", name=member.full_name), "success")
    return redirect(url_for("members.profile", member_id=member.id))


@bp.post("/<int:member_id>/transfer")
@roles_required(Role.committee)
def transfer(member_id: int):
    member = get_editable_member_or_404(member_id, current_user)
    form = TransferForm()
    form.to_unit.choices = options(units_in_scope(current_user))
    if form.validate_on_submit():
        to_unit = get_unit_in_scope_or_404(form.to_unit.data)
        services.transfer_member(member, to_unit, effective_on=form.effective_on.data,
                                 reason=form.reason.data or "", actor=current_user)
        db.session.commit()
        flash(_("%(name)s now belongs to %(unit)s.", name=member.full_name, unit=to_unit.name), "success")
    else:
        flash(_("The transfer was not recorded: check the unit and the date."), "error")
    return redirect(url_for("members.profile", member_id=member.id))


@bp.post("/<int:member_id>/status")
@roles_required(Role.committee)
def change_status(member_id: int):
    member = get_editable_member_or_404(member_id, current_user)
    form = StatusForm()
    if form.validate_on_submit():
        services.set_member_status(member, MemberStatus(form.status.data), effective_on=form.effective_on.data,
                                   reason=form.reason.data or "", actor=current_user)
        db.session.commit()
        flash(_("The status of %(name)s was recorded.", name=member.full_name), "success")
    else:
        flash(_("The status was not recorded: give the date and the reason."), "error")
    return redirect(url_for("members.profile", member_id=member.id))


@bp.post("/<int:member_id>/reset-password")
@roles_required(Role.committee)
def reset_password(member_id: int):
    member = get_editable_member_or_404(member_id, current_user)
    password = services.reset_password(member)
    db.session.commit()
    paths = unit_paths()
    groups = [(paths[member.unit_id], [(member, password)])]
    return _slips(groups)


@bp.route("/slips", methods=["GET", "POST"])
@roles_required(Role.committee)
def slips():
    form = SlipsForm()
    form.unit.choices = options(units_in_scope(current_user))
    if form.validate_on_submit():
        unit = get_unit_in_scope_or_404(form.unit.data)
        groups = services.issue_first_passwords(current_user, unit, only_new=form.only_new.data)
        db.session.commit()
        if not groups:
            flash(_("Every member of %(unit)s already chose their own password.", unit=unit.name), "info")
            return redirect(url_for("members.slips"))
        return _slips(groups)
    return render_template("members/slips_form.html", form=form)


def _slips(groups):
    """The printable slips; the passwords exist only in this response (we keep only hashes)."""
    address = get_setting("public_url")
    response = render_template(
        "members/slips.html", groups=groups, address=address,
        organisation=get_setting("organisation_name"), qr=exports.qr_svg(address),
    )
    return response, 200, {"Cache-Control": "no-store"}
