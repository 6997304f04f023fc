"""A committee member creates a plan in the browser, a member completes it, and the rate moves."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE, assert_accessible


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_plan_created_member_completes_rate_moves(app: Flask, live_server: str, open_page: Callable[..., Page], town, make_course) -> None:
    make_course(lessons=2)
    committee = open_page(viewport={"width": 1200, "height": 900})
    sign_in(committee, live_server, "capuy")
    committee.get_by_role("link", name="Kế hoạch học tập").first.click()
    committee.get_by_role("link", name="Kế hoạch mới").click()
    assert_accessible(committee)
    committee.get_by_label("Tên kế hoạch").fill("Học tập Nghị quyết thử nghiệm năm 2026")
    committee.get_by_label("Học tập Nghị quyết thử nghiệm").check()  # the plan's module
    committee.get_by_label("Đơn vị tham gia").select_option(label="Đảng bộ Thị trấn")
    committee.get_by_label("Ngày bắt đầu").fill("2026-01-01")
    committee.get_by_label("Hạn hoàn thành").fill("2026-12-31")
    committee.get_by_label("Làm bài kiểm tra đạt").uncheck()  # only the lessons count
    committee.get_by_role("button", name="Lưu kế hoạch").click()
    expect(committee.get_by_text("Đã lưu kế hoạch ở dạng dự thảo.")).to_be_visible()
    committee.get_by_role("button", name="Bắt đầu thực hiện").click()
    expect(committee.get_by_text("0/7 người đã hoàn thành")).to_be_visible()
    assert_accessible(committee)

    member = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(member, live_server, "an")
    member.goto(live_server + "/courses/nghi-quyet-thu/bai-1")
    member.get_by_role("button", name="Tôi đã học xong bài này").click()
    member.get_by_role("button", name="Tôi đã học xong bài này").click()
    expect(member.get_by_text("Đồng chí đã học tất cả các bài của học phần này.")).to_be_visible()

    committee.reload()
    expect(committee.get_by_text("1/7 người đã hoàn thành")).to_be_visible()
    expect(committee.get_by_role("cell", name="Hoàng Thị Bình")).to_be_visible()  # still to do
