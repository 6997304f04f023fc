"""A member on a phone takes a 10-question attempt drawn from a larger bank: reloads mid-way
without losing answers, fails, retries, passes, and submitting twice grades only once."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from learnhub.extensions import db
from learnhub.quizzes import attempts
from learnhub.quizzes.models import QuizAttempt
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.quiz_factory import RIGHT

WRONG = {"single": "b", "truefalse": "b", "multiple": ["c"], "short": "sai", "numerical": "50",
         "matching": {"0": "1", "1": "0", "2": "2"}}


def current_paper(app: Flask) -> tuple[int, list[dict]]:
    with app.app_context():
        attempt = db.session.scalars(sa.select(QuizAttempt).order_by(QuizAttempt.id.desc())).first()
        return attempt.id, attempt.paper


def answer(page: Page, entry: dict, response) -> None:
    """Answer one question the way a member does: tap, type or choose."""
    box = page.locator(f'fieldset[data-qid="{entry["qid"]}"]')
    kind = entry["question"]["kind"]
    tokens = attempts.to_tokens(entry, response)
    if kind in ("single", "truefalse"):
        box.locator(f'input[value="{tokens}"]').check()
    elif kind == "multiple":
        for token in tokens:
            box.locator(f'input[value="{token}"]').check()
    elif kind in ("short", "numerical"):
        box.locator("input").fill(response)
    else:
        for left, token in tokens.items():
            box.locator(f'select[name="q-{entry["qid"]}-{left}"]').select_option(token)


def test_take_fail_retry_and_pass_on_a_phone(app: Flask, live_server: str, phone: Page, make_quiz, make_user) -> None:
    make_quiz(count=14, draw=10, max_attempts=3, time_limit=15)
    make_user(username="dangvien")
    phone.goto(live_server + "/login")
    phone.get_by_label("Tên đăng nhập").fill("dangvien")
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.goto(live_server + "/courses/nghi-quyet-thu/")
    phone.get_by_role("link", name="Bài kiểm tra nhận thức").click()
    assert_accessible(phone)
    phone.get_by_role("button", name="Bắt đầu làm bài").click()

    expect(phone.get_by_text("Câu 1/10")).to_be_visible()
    assert_accessible(phone)
    attempt_id, paper = current_paper(app)
    assert len(paper) == 10
    for entry in paper[:5]:  # half way, answered wrongly
        answer(phone, entry, WRONG[entry["question"]["kind"]])
    expect(phone.locator("[data-answered]")).to_have_text("5")
    expect(phone.locator("[data-save-state]")).to_have_text("Đã lưu")
    phone.wait_for_timeout(1200)  # let the last typed answer's autosave go out
    phone.reload()  # a dropped connection, a reload: nothing is lost
    expect(phone.locator("[data-answered]")).to_have_text("5")
    for entry in paper[5:]:
        answer(phone, entry, WRONG[entry["question"]["kind"]])
    phone.get_by_role("button", name="Nộp bài").dblclick()
    expect(phone.get_by_text("Chưa đạt: điểm đạt là 80%.")).to_be_visible()
    expect(phone.get_by_text("Còn 2 lượt làm bài")).to_be_visible()
    assert_accessible(phone)

    phone.go_back()  # back to the paper: it is submitted, so the page shows the result again
    expect(phone.get_by_text("Chưa đạt: điểm đạt là 80%.")).to_be_visible()

    phone.get_by_role("button", name="Làm lại").click()
    expect(phone.get_by_text("Câu 1/10")).to_be_visible()
    second_id, paper = current_paper(app)
    assert second_id != attempt_id
    for entry in paper:
        answer(phone, entry, RIGHT[entry["question"]["kind"]])
    phone.get_by_role("button", name="Nộp bài").click()
    expect(phone.get_by_text("Đạt: điểm đạt là 80%.")).to_be_visible()
    expect(phone.get_by_text(re.compile("^100%$"))).to_be_visible()
    assert_accessible(phone)

    with app.app_context():
        graded = db.session.scalars(sa.select(QuizAttempt).order_by(QuizAttempt.id)).all()
        assert [(a.number, a.status.value, a.passed) for a in graded] == [(1, "submitted", False), (2, "submitted", True)]


def test_order_items_on_a_phone_with_autosave(app: Flask, live_server: str, phone: Page, make_course, make_user) -> None:
    """The ordering kind's own partial: one list per position, saved as chosen, graded by position."""
    from tests.quizzes.test_ordering import make_ordering_quiz

    make_ordering_quiz(app, make_course)
    make_user(username="dangvien")
    phone.goto(live_server + "/login")
    phone.get_by_label("Tên đăng nhập").fill("dangvien")
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.goto(live_server + "/courses/nghi-quyet-thu/quiz")
    phone.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(phone.get_by_text("Vị trí 1")).to_be_visible()
    assert_accessible(phone)
    _attempt_id, (entry,) = current_paper(app)
    by_position = {int(index): token for token, index in entry["items"].items()}
    for position in range(4):
        phone.get_by_label(f"Vị trí {position + 1}").select_option(by_position[position])
    expect(phone.locator("[data-save-state]")).to_have_text("Đã lưu")
    expect(phone.locator("[data-answered]")).to_have_text("1")
    phone.wait_for_timeout(800)
    phone.reload()  # the order chosen is still there
    expect(phone.get_by_label("Vị trí 4")).to_have_value(by_position[3])
    phone.get_by_role("button", name="Nộp bài").click()
    expect(phone.get_by_text(re.compile("^100%$"))).to_be_visible()
    expect(phone.get_by_text("1. Quán triệt").first).to_be_visible()
    assert_accessible(phone)
