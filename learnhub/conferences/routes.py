"""Conference pages: planning, the notice, the roster, the QR code and self check-in.

This module has the planning pages (list, create, change, cancel, the conference and its notice);
the roster is in ``roster_routes`` and self check-in in ``check_in_routes``, on the same blueprint.
"""
from __future__ import annotations

import io

import sqlalchemy as sa
from flask import (
    flash,
    redirect,
    render_template,
    render_template_string,
    request,
    send_file,
    url_for,
)
from flask_babel import force_locale, format_time
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.auth.models import Role, User
from learnhub.conferences import access, attendance, bp, labels, services
from learnhub.conferences.forms import ConferenceForm
from learnhub.conferences.labels import REFUSALS
from learnhub.conferences.models import (
    Attendance,
    AttendanceStatus,
    Conference,
    ConferencePresenter,
)
from learnhub.conferences.notice_docx import build_notice_docx, notice_filename
from learnhub.db import utcnow
from learnhub.documents.docx import DOCX_TYPE
from learnhub.extensions import db
from learnhub.forms import FlaskForm, options
from learnhub.markdown import render_markdown
from learnhub.numbers import query_id, query_page
from learnhub.orgs.models import Unit
from learnhub.orgs.services import unit_paths, units_in_scope
from learnhub.plans import access as plan_access
from learnhub.plans.models import PlanStatus, StudyForm, StudyPlan
from learnhub.security import get_unit_in_scope_or_404, limit_to_scope, roles_required

PER_PAGE = 50


@bp.context_processor
def conference_labels() -> dict:
    return {**labels.ALL, "now": utcnow(), "hhmm": lambda value: format_time(value, "HH:mm") if value else ""}


@bp.get("/")
@roles_required(Role.committee)
def index():
    """Upcoming conferences first (soonest first), then past ones (latest first), in the viewer's scope."""
    statement = access.visible_conferences(current_user)
    plan_id = query_id("plan")
    plan = plan_access.get_plan_or_404(plan_id, current_user) if plan_id else None
    if plan is not None:
        statement = statement.where(Conference.plan_id == plan.id)
    now = utcnow()
    upcoming = db.session.scalars(statement.where(Conference.ends_at >= now).order_by(Conference.starts_at)).all()
    past = db.paginate(statement.where(Conference.ends_at < now).order_by(Conference.starts_at.desc()),
                       page=query_page(), per_page=PER_PAGE, max_per_page=PER_PAGE)
    ids = [c.id for c in upcoming] + [c.id for c in past.items]
    present = dict(db.session.execute(
        sa.select(Attendance.conference_id, sa.func.count())
        .where(Attendance.conference_id.in_(ids), Attendance.status == AttendanceStatus.present)
        .group_by(Attendance.conference_id)
    ).all()) if ids else {}
    return render_template("conferences/index.html", upcoming=upcoming, past=past, present=present, plan=plan,
                           paths=unit_paths())


def _prepare(form: ConferenceForm, conference: Conference | None = None) -> None:
    """Fill the choices from the viewer's scope (keeping what an existing conference already has)."""
    units = units_in_scope(current_user)
    form.unit.choices = options(units)
    kept = {link.unit_id for link in conference.invited_units} - {u for u, _path in units} if conference else set()
    paths = unit_paths() if kept else {}
    form.invited_units.choices = options(units + [(unit_id, paths[unit_id]) for unit_id in sorted(kept)])
    plans = plan_access.visible_plans(current_user).where(
        sa.or_(StudyPlan.status != PlanStatus.closed, StudyPlan.id == (conference.plan_id if conference else None)))
    form.plan.choices = options([(0, _("Not under a plan"))] + [(p.id, p.title) for p in db.session.scalars(plans)])
    people = limit_to_scope(
        sa.select(User).where(User.role.in_([Role.propagandist, Role.committee]), User.active.is_(True)),
        User.unit_id, current_user,
    )
    if conference is not None:
        linked = sa.select(ConferencePresenter.user_id).where(ConferencePresenter.conference_id == conference.id)
        people = sa.select(User).where(sa.or_(User.id.in_(people.with_only_columns(User.id)), User.id.in_(linked)))
    form.presenter_accounts.choices = options(
        (p.id, p.full_name) for p in db.session.scalars(people.order_by(User.sort_key, User.id)))


def _values(form: ConferenceForm) -> dict:
    """The form's values as the services take them (choices were limited to the viewer's scope)."""
    invited = db.session.scalars(sa.select(Unit).where(Unit.id.in_(form.invited_units.data))).all()
    people = db.session.scalars(sa.select(User).where(User.id.in_(form.presenter_accounts.data or []))).all()
    return dict(
        title=form.title.data.strip(), starts_at=form.starts_at.data, ends_at=form.ends_at.data,
        place=(form.place.data or "").strip(), form=StudyForm(form.form.data),
        presenters=(form.presenters.data or "").strip(), agenda=form.agenda.data or "",
        invited_units=invited, presenter_accounts=people,
        plan=db.session.get(StudyPlan, form.plan.data) if form.plan.data else None,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.committee)
def new():
    form = ConferenceForm()
    _prepare(form)
    if request.method == "GET":
        wanted = query_id("plan")
        form.plan.data = wanted if wanted in {c.value for c in form.plan.choices} else 0
    elif form.validate_on_submit():
        unit = get_unit_in_scope_or_404(form.unit.data)
        try:
            conference = services.create_conference(unit=unit, created_by=current_user, **_values(form))
        except services.ConferenceRefused as refused:
            db.session.rollback()
            flash(str(REFUSALS[refused.args[0]]), "error")
        else:
            db.session.commit()
            flash(_("The conference was saved. Print the notice and keep the roster on the day."), "success")
            return redirect(url_for("conferences.show", conference_id=conference.id))
    return render_template("conferences/form.html", form=form, conference=None), 400 if request.method == "POST" else 200


@bp.route("/<int:conference_id>/edit", methods=["GET", "POST"])
@roles_required(Role.committee)
def edit(conference_id: int):
    conference = access.get_organised_or_404(conference_id, current_user)
    if conference.cancelled_at is not None:
        flash(str(REFUSALS["cancelled"]), "error")
        return redirect(url_for("conferences.show", conference_id=conference.id))
    form = ConferenceForm(obj=conference) if request.method == "GET" else ConferenceForm()
    _prepare(form, conference)
    if request.method == "GET":
        form.unit.data, form.plan.data, form.form.data = conference.unit_id, conference.plan_id or 0, conference.form.value
        form.invited_units.data = [link.unit_id for link in conference.invited_units]
        form.presenter_accounts.data = [link.user_id for link in conference.presenter_links]
    elif form.validate_on_submit():
        unit = get_unit_in_scope_or_404(form.unit.data)
        try:
            services.update_conference(conference, unit_id=unit.id, **_values(form))
        except services.ConferenceRefused as refused:
            db.session.rollback()
            flash(str(REFUSALS[refused.args[0]]), "error")
        else:
            db.session.commit()
            flash(_("The conference was saved."), "success")
            return redirect(url_for("conferences.show", conference_id=conference.id))
    return render_template("conferences/form.html", form=form, conference=conference), (
        400 if request.method == "POST" else 200)


@bp.post("/<int:conference_id>/cancel")
@roles_required(Role.committee)
def cancel(conference_id: int):
    conference = access.get_organised_or_404(conference_id, current_user)
    if services.cancel_conference(conference):
        db.session.commit()
        flash(_("The conference was cancelled. Its check-in link no longer works."), "success")
    return redirect(url_for("conferences.show", conference_id=conference.id))


def _details(conference: Conference) -> dict:
    """What the conference page and the notice show."""
    paths = unit_paths([conference.unit_id, *(link.unit_id for link in conference.invited_units)])
    presenters = db.session.scalars(
        sa.select(User).join(ConferencePresenter, ConferencePresenter.user_id == User.id)
        .where(ConferencePresenter.conference_id == conference.id).order_by(User.sort_key)).all()
    plan = db.session.get(StudyPlan, conference.plan_id) if conference.plan_id else None
    if plan is not None and not plan_access.may_see_plan(current_user, plan):
        plan = None
    return dict(conference=conference, paths=paths, presenters=presenters, plan=plan,
                invited=sorted(paths[link.unit_id] for link in conference.invited_units),
                agenda=render_markdown(conference.agenda) if conference.agenda.strip() else "")


@bp.get("/<int:conference_id>")
@roles_required(Role.committee)
def show(conference_id: int):
    conference = access.get_conference_or_404(conference_id, current_user)
    organiser = access.may_organise(current_user, conference)
    return render_template("conferences/show.html", organiser=organiser, counts=attendance.counts(conference),
                           cancel_form=FlaskForm(), **_details(conference))


@bp.get("/<int:conference_id>/notice")
@roles_required(Role.committee)
def notice(conference_id: int):
    """The printable notice ("thông báo") sent to the invited units."""
    conference = access.get_conference_or_404(conference_id, current_user)
    return render_template("conferences/notice.html", **_details(conference))


@bp.get("/<int:conference_id>/notice.docx")
@roles_required(Role.committee)
def notice_docx(conference_id: int):
    """The same notice as a .docx in the Party document form."""
    conference = access.get_conference_or_404(conference_id, current_user)
    details = _details(conference)
    with force_locale("vi"):  # the time as the notice page's macro writes it, in the notice's language
        when = render_template_string('{% from "conferences/_macros.html" import when with context %}{{ when(c) }}',
                                      c=conference)
    presenters = conference.presenters or ", ".join(person.full_name for person in details["presenters"])
    data = build_notice_docx(conference, db.get_or_404(Unit, conference.unit_id), invited=details["invited"],
                             when=when, presenters=presenters, plan=details["plan"])
    return send_file(io.BytesIO(data), mimetype=DOCX_TYPE, as_attachment=True,
                     download_name=notice_filename(conference))

