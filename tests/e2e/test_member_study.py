"""A member signs in on a phone, sees the modules in Vietnamese and studies a lesson."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from learnhub.courses.models import LessonProgress
from learnhub.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible


def test_member_signs_in_and_studies_a_lesson(
    app: Flask, live_server: str, phone: Page, make_user, make_course
) -> None:
    make_course(lessons=3)
    make_course("chi-thi-moi", lessons=2, title="Chỉ thị mới")
    make_user(username="dangvien", full_name="Nguyễn Văn An")

    phone.goto(live_server + "/")
    expect(phone.get_by_role("heading", name="Đăng nhập LearnHub")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_label("Tên đăng nhập").fill("dangvien")
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()

    expect(phone.get_by_role("heading", name="Xin chào, Nguyễn Văn An")).to_be_visible()
    expect(phone.get_by_role("link", name="Học tập Nghị quyết thử nghiệm")).to_be_visible()
    expect(phone.get_by_role("link", name="Chỉ thị mới")).to_be_visible()
    assert_accessible(phone)

    phone.get_by_role("link", name="Học tập Nghị quyết thử nghiệm").click()
    expect(phone.get_by_role("heading", name="Các bài học")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("link", name="Bắt đầu học").click()

    expect(phone.get_by_role("heading", name="Bài 1", exact=True)).to_be_visible()
    expect(phone.get_by_text("Ý chính của bài 1")).to_be_visible()
    assert_accessible(phone)
    # Nothing overflows sideways on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="Tôi đã học xong bài này").click()

    expect(phone.get_by_text("Đã ghi nhận học xong bài “Bài 1”.")).to_be_visible()
    expect(phone.get_by_role("heading", name="Bài 2", exact=True)).to_be_visible()
    assert_accessible(phone)

    phone.get_by_role("link", name="Học tập của tôi").first.click()
    expect(phone.get_by_text(re.compile(r"1/3 bài đã học \(33%\)"))).to_be_visible()

    with app.app_context():
        studied = db.session.scalars(sa.select(LessonProgress).where(LessonProgress.studied_at.is_not(None))).all()
        assert len(studied) == 1


def test_language_switch_in_the_browser(live_server: str, phone: Page) -> None:
    phone.goto(live_server + "/login")
    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_role("heading", name="Sign in to LearnHub")).to_be_visible()
    assert_accessible(phone)
    phone.goto(live_server + "/login")
    expect(phone.get_by_role("heading", name="Sign in to LearnHub")).to_be_visible()
    phone.get_by_role("button", name="Tiếng Việt").click()
    expect(phone.get_by_role("heading", name="Đăng nhập LearnHub")).to_be_visible()
