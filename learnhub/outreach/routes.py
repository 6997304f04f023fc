"""Public module pages for citizens (no account) and outreach sessions."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.auth.models import Role
from learnhub.authoring.preview import with_media_urls
from learnhub.courses.access import assignable_courses
from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.forms import options
from learnhub.orgs.services import units_in_scope
from learnhub.outreach import bulletins
from learnhub.outreach import sessions as outreach
from learnhub.outreach import visits as counting
from learnhub.outreach.access import (
    courses_for_visits,
    get_public_course_or_404,
    get_public_media_or_404,
    get_session_or_404,
    public_courses,
    public_lessons,
)
from learnhub.outreach.forms import OutreachSessionForm
from learnhub.outreach.models import OutreachSession, PublicVisit
from learnhub.outreach.public import chosen_year, unit_labels
from learnhub.security import get_unit_in_scope_or_404, roles_required
from learnhub.study.media import media_response

bp = Blueprint("outreach", __name__)

# No shared cache may answer for the view (every visit must reach it to be counted), and the browser
# asks again each time, so a language switch or a newly published change shows at once; the page is small.
PUBLIC_CACHE = "private, no-cache"


def _public(response: Response) -> Response:
    response.headers["Cache-Control"] = PUBLIC_CACHE
    response.vary.add("Cookie")
    return response


@bp.get("/public/")
def public_index():
    courses = db.session.scalars(public_courses().order_by(Course.title, Course.id)).all()
    return _public(make_response(render_template(
        "outreach/public_index.html", courses=courses, owners=unit_labels(c.owner_unit_id for c in courses))))


@bp.get("/public/<slug>")
def public_module(slug: str):
    course = get_public_course_or_404(slug)
    media_base = url_for("outreach.public_media", slug=slug, name="")
    intro_html = with_media_urls(course.intro_html, media_base)
    short = [(lesson, with_media_urls(lesson.body_html, media_base)) for lesson in public_lessons(course)]
    response = _public(make_response(render_template(
        "outreach/public_module.html", course=course, intro_html=intro_html, short=short,
        recordings=bulletins.public_recordings(course), owners=unit_labels([course.owner_unit_id]))))
    if request.method != "GET":  # HEAD comes from link checkers and previewers, not readers
        return response
    token = counting.record_visit(course.id, cookie=request.cookies.get(counting.VISITOR_COOKIE),
                                  user_agent=request.user_agent.string, user=current_user)
    db.session.commit()
    if token:
        response.set_cookie(counting.VISITOR_COOKIE, token, max_age=counting.VISITOR_COOKIE_AGE, path="/public",
                            httponly=True, samesite="Lax", secure=request.is_secure or current_app.config["HTTPS"])
    return response


@bp.get("/public/<slug>/media/<path:name>")
def public_media(slug: str, name: str):
    """Images of a public module's introduction, readable signed out like the page itself."""
    course = get_public_course_or_404(slug)
    return media_response(get_public_media_or_404(course, name))


@bp.get("/outreach/visits")
@roles_required(Role.propagandist, Role.committee)
def visits():
    year = chosen_year()
    visited = sa.select(PublicVisit.course_id).where(
        PublicVisit.day.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    courses = courses_for_visits(current_user, visited)
    table = counting.monthly_visits([c.id for c in courses], year)
    months = {m: sum(row.get(m, 0) for row in table.values()) for m in range(1, 13)}
    return render_template("outreach/visits.html", year=year, courses=courses, table=table, months=months,
                           owners=unit_labels(c.owner_unit_id for c in courses))


@bp.get("/outreach/sessions")
@roles_required(Role.committee)
def sessions():
    year = chosen_year()
    statement = outreach.sessions_in_scope(current_user, year)
    items = db.session.scalars(statement).all()
    count, heads = outreach.totals(statement)
    course_ids = sorted({s.course_id for s in items if s.course_id})
    titles = dict(db.session.execute(sa.select(Course.id, Course.title).where(Course.id.in_(course_ids))).tuples().all())
    return render_template("outreach/sessions.html", year=year, items=items, count=count, heads=heads,
                           units=unit_labels(s.unit_id for s in items), titles=titles)


def _prepare(form: OutreachSessionForm, current: OutreachSession | None = None) -> None:
    form.unit.choices = options(units_in_scope(current_user))
    courses = [(c.id, c.title) for c in db.session.scalars(assignable_courses(current_user).order_by(Course.title))]
    if current and current.course_id and current.course_id not in {cid for cid, _t in courses}:
        courses.append((current.course_id, db.session.get_one(Course, current.course_id).title))
    form.course.choices = options([(0, _("None"))] + courses)


def _render_form(form: OutreachSessionForm, held: OutreachSession | None):
    status = 400 if request.method == "POST" else 200
    return render_template("outreach/session_form.html", form=form, held=held,
                           organisations=outreach.COMMON_ORGANISATIONS), status


@bp.route("/outreach/sessions/new", methods=["GET", "POST"])
@roles_required(Role.committee)
def new_session():
    form = OutreachSessionForm()
    _prepare(form)
    if form.validate_on_submit():
        get_unit_in_scope_or_404(form.unit.data)
        held = outreach.create_session(created_by=current_user, **form.values())
        db.session.commit()
        flash(_("The outreach session was recorded."), "success")
        return redirect(url_for("outreach.sessions", year=held.held_on.year))
    return _render_form(form, None)


@bp.route("/outreach/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(Role.committee)
def edit_session(session_id: int):
    held = get_session_or_404(session_id, current_user)
    form = OutreachSessionForm(obj=held) if request.method == "GET" else OutreachSessionForm()
    _prepare(form, held)
    if request.method == "GET":
        form.unit.data, form.course.data = held.unit_id, held.course_id or 0
    elif form.validate_on_submit():
        get_unit_in_scope_or_404(form.unit.data)
        outreach.update_session(held, **form.values())
        db.session.commit()
        flash(_("The outreach session was saved."), "success")
        return redirect(url_for("outreach.sessions", year=held.held_on.year))
    return _render_form(form, held)


@bp.get("/outreach/sessions/<int:session_id>/delete")
@roles_required(Role.committee)
def confirm_delete(session_id: int):
    held = get_session_or_404(session_id, current_user)
    return render_template("outreach/session_delete.html", held=held, units=unit_labels([held.unit_id]))


@bp.post("/outreach/sessions/<int:session_id>/delete")
@roles_required(Role.committee)
def delete_session(session_id: int):
    held = get_session_or_404(session_id, current_user)
    year = held.held_on.year
    outreach.delete_session(held)
    db.session.commit()
    flash(_("The outreach session was deleted."), "success")
    return redirect(url_for("outreach.sessions", year=year))
