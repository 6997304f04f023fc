"""Anyone can read a public module's introduction and key points; nothing else is readable signed out."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.extensions import db
from learnhub.outreach.models import OutreachSession
from tests.conftest import csrf_token, login
from tests.outreach.conftest import update_course


def test_a_public_module_is_readable_signed_out(app: Flask, client, town, public_module) -> None:
    public_module(intro_markdown="Nghị quyết nói về **xây dựng Đảng**.\n")
    html = client.get("/public/").get_data(as_text=True)
    assert "Học tập Nghị quyết thử nghiệm" in html and "/public/nghi-quyet-cong-khai" in html

    response = client.get("/public/nghi-quyet-cong-khai")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<strong>xây dựng Đảng</strong>" in html
    assert "Đảng bộ Thị trấn/Chi bộ Khu phố 1" in html  # the owning unit, with its parent
    for n in (1, 2, 3):
        assert f"Bài {n}" in html and f"Ý chính của bài {n}" in html
    # Only the introduction and the key points: no lesson bodies, no quiz, no study links.
    assert "Nội dung bài 1" not in html and "/quiz" not in html and "/courses/" not in html
    assert "<script>" not in html and len(response.data) < 20_000


def test_an_archived_lesson_is_not_shown(app: Flask, client, town, public_module) -> None:
    public_module()
    with app.app_context():
        from learnhub.courses.models import Lesson

        lesson = db.session.scalars(sa.select(Lesson).where(Lesson.slug == "bai-2")).one()
        lesson.archived_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        db.session.commit()
    html = client.get("/public/nghi-quyet-cong-khai").get_data(as_text=True)
    assert "Ý chính của bài 1" in html and "Ý chính của bài 2" not in html


@pytest.mark.parametrize("change", [
    {"public": False},
    {"published_at": None},
    {"archived_at": dt.datetime(2026, 3, 1, tzinfo=dt.UTC)},
])
def test_a_module_that_is_not_public_and_live_is_not_found(app: Flask, client, town, public_module, change) -> None:
    public_module()
    update_course(app, "nghi-quyet-cong-khai", **change)
    assert client.get("/public/nghi-quyet-cong-khai").status_code == 404
    assert "nghi-quyet-cong-khai" not in client.get("/public/").get_data(as_text=True)
    login(client, "admin")  # not even an admin sees it on the public pages
    assert client.get("/public/nghi-quyet-cong-khai").status_code == 404
    assert client.get("/public/no-such-module").status_code == 404


def test_no_shared_cache_may_keep_the_page(client, town, public_module) -> None:
    public_module()
    response = client.get("/public/nghi-quyet-cong-khai")
    assert response.cache_control.private and response.cache_control.no_cache and not response.cache_control.public
    assert "Cookie" in response.vary


# What an anonymous visitor may read: the public pages, signing in, password reset, language, static files.
def readable_signed_out(path: str) -> bool:
    # /healthz answers "ok" for a reverse proxy's liveness check: it reads nothing; /favicon.ico is LearnHub's icon.
    # The installable app's worker, manifest and offline page hold nothing of anyone (docs/offline.md).
    # Published contests, their entry forms and results, and certificate checks are for citizens (docs/contests.md).
    # The API's description and its readable page hold no data, only the shape of the API (docs/api.md).
    return (path.startswith(("/public/", "/password/", "/static/", "/contest/", "/verify/"))
            or path in {"/login", "/language", "/healthz", "/favicon.ico", "/sw.js", "/manifest.webmanifest", "/offline",
                         "/api/v1/openapi.json", "/api/v1/docs"})


def url_values(objects: dict) -> dict[str, object]:
    return {"slug": "nghi-quyet-cong-khai", "lesson_slug": "bai-1", "member_id": objects["member_a"].id,
            "unit_id": objects["a"].id, "session_id": objects["session"], "filename": "css/app.css",
            "fmt": "csv", "key": "course.md", "name": "so-do.png", "token": "abc", "number": 1, "action": "up"}


def test_nothing_else_is_readable_signed_out(app: Flask, town, public_module) -> None:
    public_module()
    with app.app_context():
        held = OutreachSession(unit_id=town["a"].id, organisation="Hội Nông dân", title="Tuyên truyền",
                               held_on=dt.date(2026, 3, 1), head_count=40)
        db.session.add(held)
        db.session.commit()
        objects = {**town, "session": held.id}
    values = url_values(objects)
    client = app.test_client()
    token = csrf_token(client, "/login")
    readable, walked = set(), 0
    for rule in app.url_map.iter_rules():
        # 1 suits int and string converters; an any() converter takes one of its words
        args = {arg: values.get(arg, sorted(getattr(rule._converters.get(arg), "items", None) or [1])[0])
                for arg in rule.arguments}
        path = rule.build(args, append_unknown=False)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            walked += 1
            response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
            if response.status_code == 200:
                readable.add(path)
                assert readable_signed_out(path), f"{method} {path} is readable signed out"
            elif response.status_code == 302:
                target = urlsplit(response.headers["Location"]).path
                assert readable_signed_out(path) or target == "/login", f"{method} {path} -> {target}"
            elif path.startswith("/api/"):  # the API answers 401 without a token (tests/api/test_api_walk.py)
                assert response.status_code in (401, 404, 405), f"{method} {path}: {response.status_code}"
            else:
                assert response.status_code in (404, 405), f"{method} {path}: {response.status_code}"
    assert walked > 90
    assert {"/public/", "/public/nghi-quyet-cong-khai", "/login", "/static/css/app.css"} <= readable


def test_images_of_a_public_introduction_are_readable_signed_out(app: Flask, client, town, public_module) -> None:
    from learnhub.courses.format import MediaSource

    png = b"\x89PNG\r\n\x1a\n" + bytes(16)
    public_module(intro_markdown="![Sơ đồ](media/so-do.png)\n", media=[MediaSource("so-do.png", "image/png", png)])
    html = client.get("/public/nghi-quyet-cong-khai").get_data(as_text=True)
    assert 'src="/public/nghi-quyet-cong-khai/media/so-do.png"' in html
    image = client.get("/public/nghi-quyet-cong-khai/media/so-do.png")
    assert image.status_code == 200 and image.data == png and image.mimetype == "image/png"
    update_course(app, "nghi-quyet-cong-khai", public=False)
    assert client.get("/public/nghi-quyet-cong-khai/media/so-do.png").status_code == 404
