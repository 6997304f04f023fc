"""The member's study path: modules with progress, lessons, marking studied, reading time."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import User
from learnhub.courses.format import MediaSource
from learnhub.courses.models import Lesson, LessonProgress
from learnhub.extensions import db
from learnhub.study import services
from tests.conftest import login, post

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def progress_rows(app: Flask) -> list[LessonProgress]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(LessonProgress)))
        db.session.expunge_all()
        return rows


def test_home_lists_open_modules_with_progress(client, make_user, make_course) -> None:
    make_course(lessons=4)
    make_course("chi-thi-moi", lessons=2, title="Chỉ thị mới")
    make_user(username="an")
    login(client, "an")
    post(client, "/courses/nghi-quyet-thu/bai-1/studied")
    html = client.get("/").get_data(as_text=True)
    assert "Học tập Nghị quyết thử nghiệm" in html and "Chỉ thị mới" in html
    assert "1/4 bài đã học (25%)" in html
    assert "0/2 bài đã học (0%)" in html


def test_module_page_shows_lessons_minutes_and_done_marks(client, make_user, make_course) -> None:
    make_course()
    make_user(username="an")
    login(client, "an")
    post(client, "/courses/nghi-quyet-thu/bai-1/studied")
    client.get("/courses/nghi-quyet-thu/bai-2")
    html = client.get("/courses/nghi-quyet-thu/").get_data(as_text=True)
    assert html.count("10 phút") == 3
    assert "Đã học" in html and "Đã mở" in html and "Chưa học" in html
    assert "Học tiếp: Bài 2" in html


def test_lesson_page_shows_key_points_content_and_neighbours(client, make_user, make_course) -> None:
    make_course()
    make_user(username="an")
    login(client, "an")
    html = client.get("/courses/nghi-quyet-thu/bai-2").get_data(as_text=True)
    assert "Nội dung cần ghi nhớ" in html and "Ý chính của bài 2" in html
    assert "Nội dung bài 2." in html
    assert 'href="/courses/nghi-quyet-thu/bai-1"' in html and 'href="/courses/nghi-quyet-thu/bai-3"' in html


def test_opening_then_marking_records_times(app: Flask, client, make_user, make_course) -> None:
    make_course()
    make_user(username="an")
    login(client, "an")
    client.get("/courses/nghi-quyet-thu/bai-1")
    [opened] = progress_rows(app)
    assert opened.first_opened_at is not None and opened.studied_at is None
    response = post(client, "/courses/nghi-quyet-thu/bai-1/studied")
    assert response.headers["Location"] == "/courses/nghi-quyet-thu/bai-2"
    [studied] = progress_rows(app)
    assert studied.studied_at is not None
    assert studied.first_opened_at == opened.first_opened_at
    post(client, "/courses/nghi-quyet-thu/bai-3/studied")
    assert len(progress_rows(app)) == 2


def test_last_lesson_returns_to_the_module(client, make_user, make_course) -> None:
    make_course(lessons=2)
    make_user(username="an")
    login(client, "an")
    response = post(client, "/courses/nghi-quyet-thu/bai-2/studied")
    assert response.headers["Location"] == "/courses/nghi-quyet-thu/"


def test_reading_time_counts_heartbeats_and_caps_gaps(app: Flask, make_user, make_course) -> None:
    make_course()
    member = make_user()
    start = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)
    with app.app_context():
        user = db.session.get(User, member.id)
        lesson = db.session.scalars(sa.select(Lesson).where(Lesson.slug == "bai-1")).one()
        services.record_lesson_opened(user, lesson, start)
        services.record_heartbeat(user, lesson, start + dt.timedelta(seconds=30))
        services.record_heartbeat(user, lesson, start + dt.timedelta(seconds=60))
        # an hour away from the screen counts as at most one capped gap
        services.record_heartbeat(user, lesson, start + dt.timedelta(hours=1))
        progress = services.mark_lesson_studied(user, lesson, start + dt.timedelta(hours=1, seconds=20))
        assert progress.seconds_spent == 30 + 30 + 90 + 20
        assert progress.studied_at == start + dt.timedelta(hours=1, seconds=20)
        # marking again keeps the first studied time
        services.mark_lesson_studied(user, lesson, start + dt.timedelta(hours=2))
        assert progress.studied_at == start + dt.timedelta(hours=1, seconds=20)


def test_studied_without_heartbeats_counts_time_since_opening_up_to_a_bound(app: Flask, make_user, make_course) -> None:
    make_course()
    member = make_user()
    start = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)
    with app.app_context():
        user = db.session.get(User, member.id)
        lesson = db.session.scalars(sa.select(Lesson).where(Lesson.slug == "bai-1")).one()
        services.record_lesson_opened(user, lesson, start)
        progress = services.mark_lesson_studied(user, lesson, start + dt.timedelta(minutes=7))
        assert progress.seconds_spent == 7 * 60
        other = db.session.scalars(sa.select(Lesson).where(Lesson.slug == "bai-2")).one()
        services.record_lesson_opened(user, other, start)
        progress = services.mark_lesson_studied(user, other, start + dt.timedelta(hours=5))
        assert progress.seconds_spent == 20 * 60  # twice the lesson's 10 estimated minutes


def test_heartbeat_endpoint_needs_token_and_answers_204(client, make_user, make_course) -> None:
    make_course()
    make_user(username="an")
    login(client, "an")
    client.get("/courses/nghi-quyet-thu/bai-1")
    assert client.post("/courses/nghi-quyet-thu/bai-1/heartbeat").status_code == 400
    assert post(client, "/courses/nghi-quyet-thu/bai-1/heartbeat").status_code == 204


def test_unknown_and_archived_lessons_are_404(app: Flask, client, make_user, make_course) -> None:
    make_course()
    make_user(username="an")
    with app.app_context():
        lesson = db.session.scalars(sa.select(Lesson).where(Lesson.slug == "bai-3")).one()
        lesson.archived_at = dt.datetime.now(dt.UTC)
        db.session.commit()
    login(client, "an")
    assert client.get("/courses/nghi-quyet-thu/bai-3").status_code == 404
    assert client.get("/courses/khong-co/").status_code == 404
    assert post(client, "/courses/nghi-quyet-thu/bai-3/studied").status_code == 404
    page = client.get("/courses/khong-co/")
    assert "Không tìm thấy trang" in page.get_data(as_text=True)


def test_media_is_served_with_its_type_and_pdfs_as_attachments(client, make_user, make_course) -> None:
    make_course(media=[MediaSource("so-do.png", "image/png", PNG), MediaSource("van-ban.pdf", "application/pdf", b"%PDF-1.4")])
    make_user(username="an")
    assert client.get("/courses/nghi-quyet-thu/media/so-do.png").status_code == 302
    login(client, "an")
    image = client.get("/courses/nghi-quyet-thu/media/so-do.png")
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data == PNG
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    pdf = client.get("/courses/nghi-quyet-thu/media/van-ban.pdf")
    assert pdf.headers["Content-Disposition"].startswith("attachment")
    assert client.get("/courses/nghi-quyet-thu/media/khong-co.png").status_code == 404


def test_a_media_file_with_a_vietnamese_name_downloads_under_that_name(client, make_user, make_course) -> None:
    """Names from a course folder or zip are not the upload form's safe ASCII names (RFC 6266 filename*)."""
    make_course(media=[MediaSource("văn bản.pdf", "application/pdf", b"%PDF-1.4")])
    make_user(username="an")
    login(client, "an")
    pdf = client.get("/courses/nghi-quyet-thu/media/v%C4%83n%20b%E1%BA%A3n.pdf")
    assert pdf.status_code == 200 and pdf.data == b"%PDF-1.4"
    assert pdf.headers["Content-Disposition"] == (
        "attachment; filename=\"van-ban.pdf\"; filename*=UTF-8''v%C4%83n%20b%E1%BA%A3n.pdf")
