"""Loudspeaker bulletins of a module for a unit, their recordings, and broadcasts (docs/outreach.md)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.auth.models import Role
from learnhub.courses.access import assignable_courses
from learnhub.courses.models import Course
from learnhub.exports import content_disposition
from learnhub.extensions import db
from learnhub.forms import options
from learnhub.orgs.services import units_in_scope
from learnhub.outreach import bulletins
from learnhub.outreach.access import get_broadcast_or_404, get_public_course_or_404
from learnhub.outreach.forms import BroadcastForm, BulletinForm, RecordingForm
from learnhub.outreach.models import Bulletin
from learnhub.outreach.public import chosen_year, unit_labels
from learnhub.reports.docx_export import DOCX_TYPE
from learnhub.security import first_or_404, get_unit_in_scope_or_404, roles_required
from learnhub.study.media import stored_file_response

bp = Blueprint("bulletins", __name__)


def _load(slug: str, unit_id: int) -> tuple[Course, Bulletin, str]:
    """The module (one the viewer may assign), the unit (in the viewer's scope) and its bulletin."""
    unit = get_unit_in_scope_or_404(unit_id)
    course = first_or_404(assignable_courses(current_user).where(Course.slug == slug))
    return course, bulletins.get_bulletin(course, unit.id), unit_labels([unit.id]).get(unit.id, unit.name)


@bp.get("/outreach/bulletins")
@roles_required(Role.committee)
def bulletin_index():
    """Choose a module and a unit to draft its loudspeaker bulletin."""
    courses = db.session.scalars(assignable_courses(current_user).order_by(Course.title, Course.id)).all()
    units = units_in_scope(current_user)
    slug, unit = request.args.get("module"), request.args.get("unit", type=int)
    if slug and unit:
        return redirect(url_for("bulletins.bulletin", slug=slug, unit_id=unit))
    return render_template("outreach/bulletin_index.html", courses=courses, units=units,
                           default_unit=current_user.unit_id)


@bp.route("/outreach/bulletins/<slug>/<int:unit_id>", methods=["GET", "POST"])
@roles_required(Role.committee)
def bulletin(slug: str, unit_id: int):
    """The bulletin as it will be read, and its form: saved per module and unit."""
    course, item, unit_name = _load(slug, unit_id)
    form = BulletinForm(obj=item)
    if form.validate_on_submit():
        bulletins.save_bulletin(item, title=form.title.data, key_points=form.key_points.data or "",
                                script=form.script.data, by=current_user, resplit=form.resplit.data)
        db.session.commit()
        flash(_("The bulletin was saved."), "success")
        return redirect(url_for("bulletins.bulletin", slug=slug, unit_id=unit_id))
    status = 400 if request.method == "POST" else 200
    return render_template("outreach/bulletin.html", course=course, bulletin=item, unit_name=unit_name, form=form,
                           recording_form=RecordingForm(), minutes=bulletins.reading_minutes(item.script),
                           words=bulletins.word_count(item.script), rate=bulletins.READING_WORDS_PER_MINUTE), status


@bp.get("/outreach/bulletins/<slug>/<int:unit_id>.docx")
@roles_required(Role.committee)
def bulletin_docx(slug: str, unit_id: int):
    course, item, unit_name = _load(slug, unit_id)
    response = Response(bulletins.bulletin_docx(item, unit_name), mimetype=DOCX_TYPE)
    response.headers["Content-Disposition"] = content_disposition(f"ban-tin-{course.slug}.docx")
    return response


@bp.post("/outreach/bulletins/<slug>/<int:unit_id>/recording")
@roles_required(Role.committee)
def bulletin_recording_upload(slug: str, unit_id: int):
    _course, item, _unit_name = _load(slug, unit_id)
    form = RecordingForm()
    if item.id is None or not form.validate_on_submit():
        flash(_("Save the bulletin, then choose an audio file."), "error")
        return redirect(url_for("bulletins.bulletin", slug=slug, unit_id=unit_id)), 303
    try:
        bulletins.attach_recording(item, form.file.data.filename or "", form.file.data.read())
    except bulletins.RecordingRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("bulletins.bulletin", slug=slug, unit_id=unit_id)), 303
    db.session.commit()
    flash(_("The recording was attached: it plays on the module's public page."), "success")
    return redirect(url_for("bulletins.bulletin", slug=slug, unit_id=unit_id))


@bp.get("/outreach/bulletins/<slug>/<int:unit_id>/recording")
@roles_required(Role.committee)
def bulletin_recording(slug: str, unit_id: int):
    _course, item, _unit_name = _load(slug, unit_id)
    if item.recording is None or item.recording_type is None:
        abort(404)
    return stored_file_response(item.recording, item.recording_type, "ban-tin")


@bp.get("/public/<slug>/bulletins/<int:bulletin_id>/recording")
def public_recording(slug: str, bulletin_id: int):
    """A bulletin's recording on the public page of its module (public modules only)."""
    course = get_public_course_or_404(slug)
    item = db.session.scalar(sa.select(Bulletin).where(Bulletin.id == bulletin_id, Bulletin.course_id == course.id))
    if item is None or item.recording is None or item.recording_type is None:
        abort(404)
    response = stored_file_response(item.recording, item.recording_type, "ban-tin")
    response.vary.add("Cookie")
    return response


@bp.get("/outreach/broadcasts")
@roles_required(Role.committee)
def broadcasts():
    year = chosen_year()
    items = db.session.scalars(bulletins.broadcasts_in_scope(current_user, year)).all()
    return render_template("outreach/broadcasts.html", year=year, items=items, units=unit_labels(b.unit_id for b in items),
                           total_minutes=sum(b.minutes for b in items))


@bp.route("/outreach/broadcasts/new", methods=["GET", "POST"])
@roles_required(Role.committee)
def new_broadcast():
    form = BroadcastForm()
    form.unit.choices = options(units_in_scope(current_user))
    courses = db.session.scalars(assignable_courses(current_user).order_by(Course.title, Course.id)).all()
    form.course.choices = options([(0, _("None"))] + [(c.id, c.title) for c in courses])
    if request.method == "GET":
        form.course.data = next((c.id for c in courses if c.slug == request.args.get("module")), 0)
        form.unit.data = request.args.get("unit", type=int) or current_user.unit_id
    if form.validate_on_submit():
        get_unit_in_scope_or_404(form.unit.data)
        held = bulletins.record_broadcast(created_by=current_user, unit_id=form.unit.data, held_on=form.held_on.data,
                                          area=form.area.data, minutes=form.minutes.data, course_id=form.course.data or None)
        db.session.commit()
        flash(_("The broadcast was recorded."), "success")
        return redirect(url_for("bulletins.broadcasts", year=held.held_on.year))
    status = 400 if request.method == "POST" else 200
    return render_template("outreach/broadcast_form.html", form=form), status


@bp.post("/outreach/broadcasts/<int:broadcast_id>/delete")
@roles_required(Role.committee)
def delete_broadcast(broadcast_id: int):
    """Delete a broadcast recorded by mistake (CSRF-checked like every POST)."""
    held = get_broadcast_or_404(broadcast_id, current_user)
    year = held.held_on.year
    bulletins.delete_broadcast(held)
    db.session.commit()
    flash(_("The broadcast was deleted."), "success")
    return redirect(url_for("bulletins.broadcasts", year=year))
