"""Member pages: home, module, lesson, and the lesson's study actions."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from learnhub.auth.models import Role
from learnhub.extensions import db
from learnhub.plans.member_plans import local_today, plans_for_member
from learnhub.study import access, services
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
    return render_template(
        "study/course.html",
        course=course,
        progress=progress,
        next_lesson=services.next_lesson(course, progress),
        has_quiz=services.has_quiz(course),
    )


@bp.get("/courses/<slug>/<lesson_slug>")
@login_required
def lesson(slug: str, lesson_slug: str):
    course = access.get_course_or_404(slug)
    lesson = access.get_lesson_or_404(course, lesson_slug)
    progress = services.record_lesson_opened(current_user, lesson)
    db.session.commit()
    previous, following = services.neighbours(course, lesson)
    return render_template(
        "study/lesson.html",
        course=course,
        lesson=lesson,
        progress=progress,
        previous=previous,
        following=following,
    )


@bp.post("/courses/<slug>/<lesson_slug>/studied")
@login_required
def mark_studied(slug: str, lesson_slug: str):
    course = access.get_course_or_404(slug)
    lesson = access.get_lesson_or_404(course, lesson_slug)
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
    return media_response(access.get_published_media_or_404(course, name))

