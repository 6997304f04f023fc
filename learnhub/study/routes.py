"""Member pages: home, module, lesson, and the lesson's study actions."""
from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from learnhub.auth.models import Role
from learnhub.courses.models import LessonProgress
from learnhub.extensions import db
from learnhub.headers import offline_copy
from learnhub.plans.member_plans import local_today, plans_for_member
from learnhub.study import access, offline, services
from learnhub.study.media import media_response

bp = Blueprint("study", __name__)


@bp.get("/")
def home():
    """The landing page: a committee member's overview of their units, everyone else's own study."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.role == Role.committee:
        return redirect(url_for("orgs.overview"))
    return my_study()


@bp.get("/my-study")
@login_required
def my_study():
    """The signed-in user's own modules and plans ("Học tập của tôi")."""
    courses = services.open_courses_for(current_user)
    plans = plans_for_member(current_user, local_today())
    return render_template("study/home.html", courses=courses, plans=plans)


@bp.get("/courses/<slug>/")
@login_required
def course(slug: str):
    course = access.get_course_or_404(slug)
    progress = services.progress_by_lesson(current_user, course)
    return offline_copy(Response(render_template(
        "study/course.html",
        course=course,
        progress=progress,
        next_lesson=services.next_lesson(course, progress),
        has_quiz=services.has_quiz(course),
    )), current_user.id)


@bp.get("/courses/<slug>/<lesson_slug>")
@login_required
def lesson(slug: str, lesson_slug: str):
    course, lesson = access.get_course_with_lesson_or_404(slug, lesson_slug)
    opening = not request.headers.get(KEEP_HEADER)  # fetched to keep for offline study: not an opening
    progress: LessonProgress | None
    if opening:
        progress = services.record_lesson_opened(current_user, lesson)
    else:
        progress = services.progress_by_lesson(current_user, course).get(lesson.id)
    previous, following = services.neighbours(course, lesson)
    page = render_template(
        "study/lesson.html",
        course=course,
        lesson=lesson,
        progress=progress,
        previous=previous,
        following=following,
    )
    user_id = current_user.id
    if opening:  # after rendering: a commit expires what the page reads, which would be loaded again
        db.session.commit()
    return offline_copy(Response(page), user_id)


@bp.post("/courses/<slug>/<lesson_slug>/studied")
@login_required
def mark_studied(slug: str, lesson_slug: str):
    course, lesson = access.get_course_with_lesson_or_404(slug, lesson_slug)
    services.mark_lesson_studied(current_user, lesson)
    db.session.commit()
    flash(_("“%(title)s” is marked as studied.", title=lesson.title), "success")
    following = services.neighbours(course, lesson)[1]
    if following is not None:
        return redirect(url_for("study.lesson", slug=slug, lesson_slug=following.slug))
    return redirect(url_for("study.course", slug=slug))


@bp.post("/courses/<slug>/<lesson_slug>/heartbeat")
@login_required
def heartbeat(slug: str, lesson_slug: str):
    course = access.get_course_or_404(slug)
    lesson = access.get_lesson_or_404(course, lesson_slug)
    services.record_heartbeat(current_user, lesson)
    db.session.commit()
    return Response(status=204)


@bp.get("/courses/<slug>/media/<path:name>")
@login_required
def media(slug: str, name: str):
    course = access.get_course_or_404(slug)
    return offline_copy(media_response(access.get_published_media_or_404(course, name)), current_user.id)


@bp.post("/courses/<slug>/<lesson_slug>/offline-reading")
@login_required
def offline_reading(slug: str, lesson_slug: str):
    """Reading done offline, sent when the phone is back: {"started_at": ISO, "beats": [ISO, ...]}."""
    course = access.get_course_or_404(slug)
    lesson = access.get_lesson_or_404(course, lesson_slug)
    started_at, beats = _reading_times(request.get_json(silent=True))
    try:
        seconds = offline.credit_offline_reading(current_user, lesson, started_at=started_at, beats=beats)
        db.session.commit()
    except offline.ReadingRefused as refused:
        db.session.rollback()
        return jsonify(credited=0, refused=refused.reason, message=READING_REFUSED[refused.reason]()), 409
    except IntegrityError:  # the same stretch sent twice at once: the other request credited it
        db.session.rollback()
        seconds = 0
    return jsonify(credited=seconds)


KEEP_HEADER = "X-LearnHub-Keep"
READING_REFUSED = {
    "too_old": lambda: _("This reading is too old to be credited."),
    "in_future": lambda: _("This reading is dated in the future: check the phone's clock."),
    "overlap": lambda: _("This reading overlaps other reading already credited."),
}


def _reading_times(payload: object) -> tuple[dt.datetime, list[dt.datetime]]:
    """The stretch's times as aware UTC datetimes; anything else is a 400."""
    if not isinstance(payload, dict) or set(payload) != {"started_at", "beats"}:
        abort(400)
    beats = payload["beats"]
    if not isinstance(beats, list) or not 0 < len(beats) <= offline.MAX_BEATS:
        abort(400)
    return _utc(payload["started_at"]), [_utc(beat) for beat in beats]


def _utc(value: object) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        abort(400)
    return moment.astimezone(dt.UTC)

