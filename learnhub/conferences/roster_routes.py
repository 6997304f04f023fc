"""The organiser's roster: one-tap marks, search by name, guests, head counts, and the QR code.

Every form works without JavaScript; with conferences.js a tap is sent with fetch and answered
with JSON, so the row changes in place and the counts follow.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.auth.models import Role, User
from learnhub.conferences import access, attendance, bp, check_in, services
from learnhub.conferences.forms import GuestForm, HeadCountForm, MarkForm, RosterSearchForm
from learnhub.conferences.labels import ATTENDANCE_STATUSES, CHECK_IN_METHODS, REFUSALS
from learnhub.conferences.models import (
    Attendance,
    AttendanceStatus,
    Conference,
    ConferenceGuest,
    GuestKind,
)
from learnhub.extensions import db
from learnhub.numbers import MAX_PAGE, query_page
from learnhub.orgs.services import unit_paths
from learnhub.security import roles_required


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _back_to_roster(conference_id: int, member_id: int | None = None):
    query = (request.form.get("q") or "").strip()[:100]
    page = request.form.get("page", "")
    anchor = f"member-{member_id}" if member_id else None
    return redirect(url_for("conferences.roster", conference_id=conference_id, q=query or None,
                            page=int(page) if page.isdigit() and 1 < int(page) <= MAX_PAGE else None,
                            _anchor=anchor))


def _roster_page(conference: Conference, *, status: int = 200, guest_form: GuestForm | None = None,
                 head_form: HeadCountForm | None = None):
    """The roster page; a refused form is shown again on it with its message and a 400."""
    search = RosterSearchForm(request.args)
    query = (search.q.data or "") if search.validate() else ""
    address = check_in.check_in_url(conference)
    head_form = head_form or HeadCountForm(formdata=None, unnamed_civil_servants=conference.unnamed_civil_servants,
                                           unnamed_citizens=conference.unnamed_citizens)
    return render_template(
        "conferences/roster.html", conference=conference, search=search, query=query,
        page=attendance.roster_page(conference, query, page=query_page()), counts=attendance.counts(conference),
        guests=attendance.guests(conference), paths=unit_paths(), statuses=list(AttendanceStatus),
        guest_form=guest_form or GuestForm(formdata=None), head_form=head_form,
        address=address, qr=check_in.qr_svg(address), window=check_in.window(conference),
    ), status


def _refused(conference: Conference, message: str, **forms):
    db.session.rollback()
    if _wants_json():
        return jsonify(error=message), 400
    flash(message, "error")
    return _roster_page(conference, status=400, **forms)


@bp.get("/<int:conference_id>/roster")
@roles_required(Role.committee)
def roster(conference_id: int):
    return _roster_page(access.get_organised_or_404(conference_id, current_user))


@bp.get("/<int:conference_id>/roster.json")
@roles_required(Role.committee)
def roster_state(conference_id: int):
    """The counts and every mark, for the roster page to follow self check-ins without a reload."""
    conference = access.get_organised_or_404(conference_id, current_user)
    marks = db.session.execute(
        sa.select(Attendance.user_id, Attendance.status).where(Attendance.conference_id == conference.id)).all()
    return jsonify(counts=attendance.counts(conference).as_dict(),
                   marks={str(user_id): status.value for user_id, status in marks})


@bp.post("/<int:conference_id>/attendance")
@roles_required(Role.committee)
def mark(conference_id: int):
    conference = access.get_organised_or_404(conference_id, current_user)
    form = MarkForm()
    member = db.session.get(User, form.member.data) if form.validate_on_submit() else None
    if member is None:
        return _refused(conference, _("Choose a member and a mark."))
    status = AttendanceStatus(form.status.data)
    try:
        mark, _changed = attendance.mark(conference, member, status, by=current_user)
    except attendance.AttendanceRefused as refused:
        return _refused(conference, str(REFUSALS[refused.args[0]]))
    db.session.commit()
    if _wants_json():
        detail = f"{CHECK_IN_METHODS[mark.method]}, {format_time(mark.recorded_at, 'HH:mm')}"
        return jsonify(member=member.id, status=status.value, label=str(ATTENDANCE_STATUSES[status]),
                       detail=detail, counts=attendance.counts(conference).as_dict())
    return _back_to_roster(conference.id, member.id)


@bp.post("/<int:conference_id>/guests")
@roles_required(Role.committee)
def add_guest(conference_id: int):
    conference = access.get_organised_or_404(conference_id, current_user)
    form = GuestForm()
    if not form.validate_on_submit():
        return _refused(conference, _("The guest was not added: check the details below."), guest_form=form)
    try:
        guest, added = attendance.add_guest(conference, kind=GuestKind(form.kind.data), name=form.name.data or "",
                                            organisation=form.organisation.data or "")
    except attendance.AttendanceRefused as refused:
        return _refused(conference, str(REFUSALS[refused.args[0]]))
    db.session.commit()
    if added:
        flash(_("The guest was added."), "success")
    else:
        flash(_("%(name)s is already on the list of guests.", name=guest.name), "info")
    return _back_to_roster(conference.id)


@bp.post("/<int:conference_id>/guests/<int:guest_id>/remove")
@roles_required(Role.committee)
def remove_guest(conference_id: int, guest_id: int):
    conference = access.get_organised_or_404(conference_id, current_user)
    guest = db.session.get(ConferenceGuest, guest_id)
    if guest is None or guest.conference_id != conference.id:
        return _back_to_roster(conference.id)  # already taken off: nothing to do
    try:
        attendance.remove_guest(conference, guest)
    except attendance.AttendanceRefused as refused:
        return _refused(conference, str(REFUSALS[refused.args[0]]))
    db.session.commit()
    flash(_("The guest was taken off the list."), "success")
    return _back_to_roster(conference.id)


@bp.post("/<int:conference_id>/head-counts")
@roles_required(Role.committee)
def head_counts(conference_id: int):
    conference = access.get_organised_or_404(conference_id, current_user)
    form = HeadCountForm()
    if not form.validate_on_submit():
        return _refused(conference, _("The numbers were not saved: enter whole numbers from 0."), head_form=form)
    try:
        changed = attendance.set_head_counts(conference, civil_servants=form.unnamed_civil_servants.data,
                                             citizens=form.unnamed_citizens.data)
    except attendance.AttendanceRefused as refused:
        return _refused(conference, str(REFUSALS[refused.args[0]]))
    db.session.commit()
    if changed:
        flash(_("The numbers of participants without a name were saved."), "success")
    return _back_to_roster(conference.id)


@bp.get("/<int:conference_id>/screen")
@roles_required(Role.committee)
def screen(conference_id: int):
    """The QR code large, for a projector in the hall."""
    conference = access.get_organised_or_404(conference_id, current_user)
    address = check_in.check_in_url(conference)
    return render_template("conferences/screen.html", conference=conference, address=address,
                           qr=check_in.qr_svg(address) if conference.cancelled_at is None else None,
                           window=check_in.window(conference), counts=attendance.counts(conference))


@bp.post("/<int:conference_id>/token")
@roles_required(Role.committee)
def new_token(conference_id: int):
    conference = access.get_organised_or_404(conference_id, current_user)
    if conference.cancelled_at is not None:
        return _refused(conference, str(REFUSALS["cancelled"]))
    services.regenerate_token(conference)
    db.session.commit()
    flash(_("There is a new check-in link. QR codes shown or printed before no longer work."), "success")
    return _back_to_roster(conference.id)
