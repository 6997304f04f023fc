"""Reading done offline, sent when the phone is back: credited by the online rules, once, and only
for a lesson the member may read; what may be kept offline, and sign-out clearing it."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import User
from learnhub.courses.models import Course, Lesson, LessonProgress
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.study import offline
from learnhub.study.models import OfflineReading
from tests.conftest import csrf_token, login

URL = "/courses/nghi-quyet-thu/bai-1/offline-reading"


def send(client, started: dt.datetime, *beats: dt.datetime, url: str = URL):
    return client.post(url, json={"started_at": started.isoformat(), "beats": [b.isoformat() for b in beats]},
                       headers={"X-CSRFToken": csrf_token(client, "/")})


def seconds_spent(app: Flask, username: str = "an") -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(LessonProgress.seconds_spent), 0))
                                 .join(User, User.id == LessonProgress.user_id).where(User.username == username))


@pytest.fixture
def reader(client, town, make_course):
    make_course()
    login(client, "an")
    return client


def test_a_stretch_read_offline_is_credited_like_heartbeats(app: Flask, reader) -> None:
    start = utcnow() - dt.timedelta(minutes=10)
    beats = [start + dt.timedelta(seconds=s) for s in (30, 60, 90, 400)]  # the last gap: away from the screen
    response = send(reader, start, *beats)
    assert response.status_code == 200 and response.get_json() == {"credited": 90 + 90}
    assert seconds_spent(app) == 180
    with app.app_context():
        progress = db.session.scalars(sa.select(LessonProgress)).one()
        assert progress.first_opened_at == start
        assert progress.last_seen_at == beats[-1]


def test_sending_the_same_stretch_again_credits_nothing_more(app: Flask, reader) -> None:
    start = utcnow() - dt.timedelta(minutes=5)
    beats = [start + dt.timedelta(seconds=30), start + dt.timedelta(seconds=60)]
    assert send(reader, start, *beats).get_json() == {"credited": 60}
    assert send(reader, start, *beats).get_json() == {"credited": 0}
    # The same stretch sent again with a later beat: only the new part counts.
    assert send(reader, start, *beats, start + dt.timedelta(seconds=90)).get_json() == {"credited": 30}
    assert seconds_spent(app) == 90


def test_a_stretch_over_reading_already_credited_is_refused(app: Flask, reader) -> None:
    start = utcnow() - dt.timedelta(minutes=5)
    send(reader, start, start + dt.timedelta(seconds=60))
    other = start + dt.timedelta(seconds=30)
    response = send(reader, other, other + dt.timedelta(seconds=60), url="/courses/nghi-quyet-thu/bai-2/offline-reading")
    assert response.status_code == 409 and response.get_json()["refused"] == "overlap"
    assert "đã được ghi nhận" in response.get_json()["message"]
    assert seconds_spent(app) == 60


def test_reading_too_old_or_in_the_future_is_refused(app: Flask, reader) -> None:
    old = utcnow() - offline.OFFLINE_MAX_AGE - dt.timedelta(hours=1)
    assert send(reader, old, old + dt.timedelta(seconds=30)).get_json()["refused"] == "too_old"
    soon = utcnow() + dt.timedelta(minutes=10)
    assert send(reader, utcnow(), soon).get_json()["refused"] == "in_future"
    assert seconds_spent(app) == 0


def test_a_clock_a_little_ahead_is_credited_only_up_to_now(app: Flask, reader) -> None:
    start = utcnow() - dt.timedelta(seconds=40)
    response = send(reader, start, utcnow() + dt.timedelta(seconds=60))
    assert response.status_code == 200 and response.get_json()["credited"] <= 41


def test_no_credit_for_a_lesson_the_member_may_not_read(app: Flask, client, town, make_course) -> None:
    make_course()
    with app.app_context():
        db.session.scalars(sa.select(Course)).one().owner_unit_id = town["b"].id
        db.session.commit()
    login(client, "an")
    start = utcnow() - dt.timedelta(minutes=1)
    assert send(client, start, start + dt.timedelta(seconds=30)).status_code == 404
    assert seconds_spent(app) == 0


@pytest.mark.parametrize("payload", [
    None, [], {"started_at": "2026-12-01T10:00:00Z"}, {"started_at": "yesterday", "beats": ["2026-12-01T10:00:30Z"]},
    {"started_at": "2026-12-01T10:00:00", "beats": ["2026-12-01T10:00:30"]},  # no time zone
    {"started_at": "2026-12-01T10:00:00Z", "beats": []},
    {"started_at": "2026-12-01T10:00:00Z", "beats": [1]},
    {"started_at": "2026-12-01T10:00:00Z", "beats": ["2026-12-01T10:00:30Z"] * (offline.MAX_BEATS + 1)},
])
def test_malformed_readings_are_refused_without_writing(app: Flask, reader, payload) -> None:
    response = reader.post(URL, json=payload, headers={"X-CSRFToken": csrf_token(reader, "/")})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OfflineReading.id))) == 0


def test_the_service_refuses_overlap_across_lessons(app: Flask, town, make_course) -> None:
    make_course()
    now = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.username == "an")).one()
        first, second = db.session.scalars(sa.select(Lesson).order_by(Lesson.position)).all()[:2]
        start = now - dt.timedelta(minutes=30)
        assert offline.credit_offline_reading(user, first, started_at=start, beats=[start + dt.timedelta(seconds=60)],
                                              now=now) == 60
        with pytest.raises(offline.ReadingRefused):
            offline.credit_offline_reading(user, second, started_at=start, beats=[start + dt.timedelta(seconds=30)],
                                           now=now)
        later = start + dt.timedelta(seconds=60)
        assert offline.credit_offline_reading(user, second, started_at=later, beats=[later + dt.timedelta(seconds=30)],
                                              now=now) == 30


def test_member_pages_may_be_kept_and_others_are_never_stored(app: Flask, client, town, make_course) -> None:
    make_course()
    login(client, "an")
    for url in ("/courses/nghi-quyet-thu/", "/courses/nghi-quyet-thu/bai-1", "/offline"):
        response = client.get(url)
        assert response.headers["X-LearnHub-Offline"] == str(town["member_a"].id)
        assert response.headers["Cache-Control"] == "private, no-cache"
    committee, admin = app.test_client(), app.test_client()
    login(committee, "capuy")
    login(admin, "admin")
    pages = [(committee, url) for url in ("/overview", "/plans/", "/members/", "/authoring/", "/units/")]
    for browser, url in [*pages, (admin, "/admin/settings"), (admin, "/admin/audit")]:
        response = browser.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert "X-LearnHub-Offline" not in response.headers, url


def test_keeping_a_lesson_does_not_count_as_opening_it(app: Flask, reader) -> None:
    assert reader.get("/courses/nghi-quyet-thu/bai-1", headers={"X-LearnHub-Keep": "1"}).status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LessonProgress.id))) == 0
    listing = reader.get("/courses/nghi-quyet-thu/offline.json").get_json()
    assert [lesson["url"] for lesson in listing["lessons"]] == [f"/courses/nghi-quyet-thu/bai-{n}" for n in (1, 2, 3)]
    assert "/courses/nghi-quyet-thu/" in listing["files"] and "/offline" in listing["files"]


def test_the_app_can_be_installed_and_its_worker_controls_the_site(client) -> None:
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    data = manifest.get_json()
    assert data["display"] == "standalone" and data["lang"] == "vi" and data["start_url"] == "/"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in data["icons"])
    for icon in data["icons"]:
        assert client.get(icon["src"]).data.startswith(b"\x89PNG")
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and "javascript" in worker.mimetype
    assert worker.headers["Service-Worker-Allowed"] == "/" and worker.headers["Cache-Control"] == "no-cache"
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "script-src 'self'" in policy


def test_signing_out_clears_what_the_phone_kept(client, town) -> None:
    login(client, "an")
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
