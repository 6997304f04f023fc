"""A committee member imports a member list in the browser, prints slips for one cell, and a
member from a slip signs in on a phone, is made to choose a password and reaches the home page."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE, assert_accessible
from tests.members.test_member_import import town_file, write_xlsx


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_import_print_slips_and_first_sign_in(
    app: Flask, live_server: str, open_page: Callable[..., Page], town, tmp_path: Path
) -> None:
    committee = open_page(viewport={"width": 1200, "height": 900})
    sign_in(committee, live_server, "capuy", PASSWORD)
    committee.goto(live_server + "/members/import/")
    expect(committee.get_by_role("heading", name="Nhập danh sách từ Excel")).to_be_visible()
    assert_accessible(committee)

    bad = write_xlsx(tmp_path / "loi.xlsx", [[1, "Ngô Văn Lỗi", "Chi bộ Không Có", "Đảng viên", None, None, None, None]])
    committee.get_by_label("Danh sách (.xlsx hoặc .csv)").set_input_files(str(bad))
    committee.get_by_role("button", name="Tải lên và xem trước").click()
    expect(committee.get_by_text("1 lỗi: sẽ không dòng nào được nhập")).to_be_visible()
    expect(committee.get_by_role("cell", name="không có đơn vị “Chi bộ Không Có” trong Đảng bộ Thị trấn")).to_be_visible()
    assert_accessible(committee)

    good = town_file(tmp_path / "danh-sach.xlsx", ["Chi bộ Khu phố 1", "Chi bộ Khu phố 2"], count=40)
    committee.goto(live_server + "/members/import/")
    committee.get_by_label("Danh sách (.xlsx hoặc .csv)").set_input_files(str(good))
    committee.get_by_role("button", name="Tải lên và xem trước").click()
    expect(committee.get_by_text("40 người mới, 0 người cần cập nhật, 0 người không thay đổi.")).to_be_visible()
    assert_accessible(committee)
    committee.get_by_role("button", name="Nhập 40 dòng").click()
    expect(committee.get_by_text("Đã nhập: 40 người mới, 0 người được cập nhật.")).to_be_visible()
    assert_accessible(committee)

    committee.get_by_role("link", name="In phiếu đăng nhập").click()
    committee.get_by_label("Đơn vị").select_option(label="Đảng bộ Thị trấn/Chi bộ Khu phố 1")
    committee.get_by_role("button", name="Tạo phiếu").click()
    expect(committee.get_by_role("heading", name="Đảng bộ Thị trấn/Chi bộ Khu phố 1")).to_be_visible()
    assert_accessible(committee)
    first_row = committee.locator(".lh-slips__table tbody tr").first
    username = first_row.locator("td").nth(2).inner_text().strip()
    password = first_row.locator("td").nth(3).inner_text().strip()
    assert re.fullmatch(r"[a-z0-9]{10}", password)
    committee.emulate_media(media="print")
    expect(committee.locator(".lh-header")).to_be_hidden()  # the print stylesheet keeps only the slips
    committee.close()

    phone = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(phone, live_server, username, password)
    expect(phone.get_by_role("heading", name="Đổi mật khẩu")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_label("Mật khẩu hiện tại").fill(password)
    phone.get_by_label("Mật khẩu mới", exact=True).fill("toi hoc nghi quyet")
    phone.get_by_label("Nhập lại mật khẩu mới").fill("toi hoc nghi quyet")
    phone.get_by_role("button", name="Đổi mật khẩu").click()
    expect(phone.get_by_text("Đã đổi mật khẩu.")).to_be_visible()
    expect(phone.get_by_role("heading", name=re.compile("^Xin chào,"))).to_be_visible()
