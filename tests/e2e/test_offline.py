"""Offline study in Chromium: a member keeps a module, loses the connection, reads a lesson and answers
two questions; back online, the answers are saved and the reading is credited; after signing out
nothing of theirs can be read offline. Answers that come back after the attempt's time are refused,
and the member sees which and why."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Error, Page, expect

from learnhub.courses.models import Lesson, LessonProgress
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.quizzes.models import AttemptAnswer, QuizAttempt
from learnhub.study.models import OfflineReading
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible, sign_out
from tests.e2e.test_quiz import answer, current_paper
from tests.quiz_factory import RIGHT

MODULE = "/courses/nghi-quyet-thu/"


@contextmanager
def server_out_of_reach(app: Flask) -> Iterator[list[str]]:
    """While the block runs the server answers nothing (503) and notes what it was asked for: what the
    page shows comes from the phone. Chromium's offline switch alone can let a request of a page that is
    just opening through, which a phone without a connection never does."""
    seen: list[str] = []
    inner = app.wsgi_app

    def recording(environ, start_response):
        seen.append(environ["PATH_INFO"])
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b"out of reach"]

    app.wsgi_app = recording  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        app.wsgi_app = inner  # type: ignore[method-assign]


def credited_seconds(app: Flask, page: Page) -> int:
    """The seconds of offline reading credited, once the page has sent it (it may still be on its way)."""
    for _ in range(50):
        with app.app_context():
            seconds = db.session.scalar(sa.select(sa.func.sum(OfflineReading.seconds)))
        if seconds is not None:
            return seconds
        page.wait_for_timeout(100)
    return 0


def sign_in_and_keep_the_module(live_server: str, phone: Page) -> None:
    phone.goto(live_server + "/login")
    phone.get_by_label("Tên đăng nhập").fill("dangvien")
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.goto(live_server + MODULE)
    # The service worker is active: the pages opened from now on go through it.
    assert phone.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    phone.get_by_role("button", name="Lưu để học khi không có mạng").click()
    expect(phone.get_by_text("Đã lưu 3/3 bài để học khi không có mạng")).to_be_visible()
    assert_accessible(phone)


def start_attempt(phone: Page) -> None:
    phone.get_by_role("link", name="Bài kiểm tra nhận thức").click()
    phone.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(phone.get_by_text("Câu 1/4")).to_be_visible()


def test_study_offline_then_come_back_and_sign_out(app: Flask, live_server: str, phone: Page, make_quiz,
                                                    make_user) -> None:
    make_quiz(count=4, draw=4)
    make_user(username="dangvien")
    sign_in_and_keep_the_module(live_server, phone)
    start_attempt(phone)
    attempt_id, paper = current_paper(app)

    phone.context.set_offline(True)
    for entry in paper[:2]:
        answer(phone, entry, RIGHT[entry["question"]["kind"]])
    expect(phone.locator("[data-offline-waiting]")).to_have_text("2 câu trả lời đang chờ gửi")
    expect(phone.locator("[data-save-state]")).to_have_text("2 câu trả lời đang chờ gửi")

    with server_out_of_reach(app) as seen:
        phone.goto(live_server + MODULE + "bai-2")  # kept, never opened online
        expect(phone.get_by_role("heading", name="Bài 2", exact=True)).to_be_visible()
        expect(phone.locator("[data-offline-waiting]")).to_have_text("2 câu trả lời đang chờ gửi")
        assert_accessible(phone)
        phone.wait_for_timeout(2500)
        # A page that is not kept: the offline page says what is (leaving the lesson ends the stretch).
        phone.goto(live_server + "/my-study")
        expect(phone.get_by_role("heading", name="Không có kết nối mạng")).to_be_visible()
        expect(phone.get_by_role("link", name="Bài 2", exact=True)).to_be_visible()
        expect(phone.get_by_role("link", name="Học phần: Học tập Nghị quyết thử nghiệm")).to_be_visible()
        expect(phone.locator("[data-offline-waiting]")).to_have_text(
            "2 câu trả lời đang chờ gửi · 1 lượt đọc ngoại tuyến đang chờ ghi nhận")
        assert_accessible(phone)
    # The lesson, its styles and scripts came from the phone (the browser's own check for a newer
    # service worker is not covered by Chromium's offline switch).
    assert not [path for path in seen if path.startswith(("/courses/", "/static/"))], seen

    phone.context.set_offline(False)
    expect(phone.locator("[data-offline-user]")).to_be_hidden()  # nothing waits any more

    with app.app_context():
        saved = db.session.scalars(sa.select(AttemptAnswer.qid).where(AttemptAnswer.attempt_id == attempt_id)
                                   .order_by(AttemptAnswer.qid)).all()
        assert saved == sorted(entry["qid"] for entry in paper[:2])
        progress = db.session.scalars(sa.select(LessonProgress).join(Lesson).where(Lesson.slug == "bai-2")).one()
        assert 2 <= progress.seconds_spent <= 60
        assert db.session.scalar(sa.select(sa.func.count(OfflineReading.id))) == 1

    sign_out(phone)
    expect(phone.get_by_role("heading", name="Đăng nhập LearnHub")).to_be_visible()
    assert phone.evaluate("caches.keys()") == []
    assert phone.evaluate("Object.keys(localStorage)") == []
    phone.context.set_offline(True)
    try:
        phone.goto(live_server + MODULE + "bai-2")
    except Error:
        pass  # the browser's own "no connection" page
    expect(phone.get_by_text("Nội dung bài 2.")).to_have_count(0)


def test_answers_sent_after_the_time_limit_are_refused_and_named(app: Flask, live_server: str, phone: Page,
                                                                 make_quiz, make_user) -> None:
    make_quiz(count=4, draw=4, time_limit=15)
    make_user(username="dangvien")
    sign_in_and_keep_the_module(live_server, phone)
    start_attempt(phone)
    attempt_id, paper = current_paper(app)

    phone.context.set_offline(True)
    answer(phone, paper[0], RIGHT[paper[0]["question"]["kind"]])
    expect(phone.locator("[data-offline-waiting]")).to_have_text("1 câu trả lời đang chờ gửi")
    with app.app_context():  # the phone stays offline past the attempt's time limit
        attempt = db.session.get_one(QuizAttempt, attempt_id)
        attempt.deadline = utcnow() - dt.timedelta(minutes=1)  # past the grace for late answers too
        db.session.commit()
    with server_out_of_reach(app):
        phone.goto(live_server + MODULE + "bai-1")
        expect(phone.get_by_role("heading", name="Bài 1", exact=True)).to_be_visible()
        phone.wait_for_timeout(1500)
    phone.context.set_offline(False)  # still on the lesson: the stretch ends now and is sent

    expect(phone.get_by_text("Câu trả lời cho câu 1 chưa được lưu: đã hết thời gian làm bài")).to_be_visible()
    expect(phone.locator("[data-offline-waiting]")).to_have_text("")
    assert credited_seconds(app, phone) >= 1  # the stretch read on the lesson, ended when the connection returned
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AttemptAnswer.id))) == 0
    phone.get_by_role("button", name="Đóng thông báo").click()
    expect(phone.locator("[data-offline-user]")).to_be_hidden()
