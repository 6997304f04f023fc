"""The installable app's files and pages (docs/offline.md).

The service worker is served from the site root so that it may control every page; which responses it
keeps is decided by the server (headers.offline_copy), never by a list in the worker.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    render_template,
    send_from_directory,
    url_for,
)
from flask_login import current_user, login_required

from learnhub.courses.models import CourseMedia
from learnhub.extensions import db
from learnhub.headers import offline_copy
from learnhub.study.access import get_course_or_404

bp = Blueprint("offline", __name__)

APP_NAME = "LearnHub – Học tập, quán triệt nghị quyết"
THEME_COLOUR = "#8b1a1a"  # --lh-brand in static/css/app.css


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the root so its scope is the whole site; always checked for updates."""
    response = send_from_directory(current_app.static_folder or "", "js/sw.js", mimetype="text/javascript",
                                   max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """What a phone needs to install LearnHub on its home screen."""
    icons = [
        {"src": url_for("static", filename=f"icons/{name}"), "sizes": size, "type": "image/png", "purpose": purpose}
        for name, size, purpose in (("icon-192.png", "192x192", "any"), ("icon-512.png", "512x512", "any"),
                                    ("maskable-512.png", "512x512", "maskable"))
    ]
    response = jsonify({
        "name": APP_NAME, "short_name": "LearnHub", "lang": "vi", "dir": "ltr",
        "description": "Học tập, quán triệt chỉ thị, nghị quyết của Đảng, cả khi không có mạng.",
        "start_url": url_for("study.home"), "scope": "/", "display": "standalone",
        "theme_color": THEME_COLOUR, "background_color": "#ffffff", "icons": icons,
    })
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline_page():
    """Shown by the service worker when a page is not kept and there is no connection."""
    response = Response(render_template("offline/offline.html"))
    if current_user.is_authenticated:
        return offline_copy(response, current_user.id)
    return response


@bp.get("/courses/<slug>/offline.json")
@login_required
def keep_list(slug: str):
    """What "keep for offline study" fetches for a module: its pages and its published files."""
    course = get_course_or_404(slug)
    media = db.session.scalars(sa.select(CourseMedia.path).where(
        CourseMedia.course_id == course.id, CourseMedia.published_at.is_not(None)).order_by(CourseMedia.path))
    lessons = [{"url": url_for("study.lesson", slug=slug, lesson_slug=lesson.slug), "title": lesson.title}
               for lesson in course.active_lessons]
    files = [url_for("study.course", slug=slug), url_for("offline.offline_page")]
    files += [url_for("study.media", slug=slug, name=name) for name in media]
    return jsonify(lessons=lessons, files=files)
