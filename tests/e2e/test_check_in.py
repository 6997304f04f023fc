"""The organiser shows the QR code; a member opens its link on a phone, signs in, checks in once; the
roster shows them present. Elements are found by role with English-or-Vietnamese names, or by
data-testid, so the test holds before and after the interface strings are translated."""
from __future__ import annotations

import re
from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from learnhub.conferences import attendance
from learnhub.conferences.models import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    Conference,
    GuestKind,
)
from learnhub.extensions import db
from learnhub.settings import set_setting
from tests.conferences.conftest import make_conference
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible

CHECK_IN = re.compile(r"^\s*(Check in|Điểm danh)\s*$")


def sign_in(page: Page, username: str) -> None:
    page.get_by_label(re.compile("^(Username|Tên đăng nhập)$")).fill(username)
    page.get_by_label(re.compile("^(Password|Mật khẩu)$")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("^(Sign in|Đăng nhập)$")).click()


def test_a_member_checks_in_from_a_phone(app: Flask, live_server: str, open_page: Callable[..., Page], phone: Page, town) -> None:
    with app.app_context():
        set_setting("public_url", live_server)  # the address printed in the QR code
        conference_id = make_conference(town["a"].id, [town["a"].id])

    organiser = open_page(viewport={"width": 1200, "height": 900})
    organiser.goto(f"{live_server}/login")
    sign_in(organiser, "bithu1")
    organiser.goto(f"{live_server}/conferences/{conference_id}")
    assert_accessible(organiser)
    organiser.get_by_test_id("open-roster").click()
    expect(organiser.get_by_test_id("roster-an")).to_have_attribute("data-status", "")
    assert_accessible(organiser)
    organiser.get_by_test_id("open-screen").click()
    link = organiser.get_by_test_id("check-in-url")
    expect(link).to_be_visible()
    assert_accessible(organiser)
    address = link.get_attribute("href")
    assert address and address.startswith(f"{live_server}/conferences/check-in/")

    phone.goto(address)  # the camera opens the link: sign in first, then back to it
    assert_accessible(phone)
    sign_in(phone, "an")
    expect(phone).to_have_url(address)
    assert_accessible(phone)
    phone.get_by_role("button", name=CHECK_IN).click()
    expect(phone.get_by_test_id("checked-in")).to_be_visible()
    assert_accessible(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows on a phone

    organiser.go_back()
    organiser.reload()
    expect(organiser.get_by_test_id("roster-an")).to_have_attribute("data-status", "present")
    expect(organiser.get_by_test_id("counts").locator('[data-count="present"]')).to_have_text("1")

    phone.goto(address)  # a second scan
    expect(phone.get_by_test_id("checked-in")).to_be_visible()
    expect(phone.get_by_role("button", name=CHECK_IN)).to_have_count(0)
    with app.app_context():
        rows = db.session.execute(sa.select(Attendance.user_id, Attendance.status, Attendance.method)).all()
        assert rows == [(town["member_a"].id, AttendanceStatus.present, CheckInMethod.self_check_in)]


def test_the_roster_marks_in_place_and_filters_as_you_type(app: Flask, live_server: str, open_page: Callable[..., Page],
                                                           town) -> None:
    with app.app_context():
        conference_id = make_conference(town["a"].id, [town["a"].id])
        attendance.add_guest(db.session.get(Conference, conference_id), kind=GuestKind.civil_servant,
                             name="Ngô Văn Khách", organisation="Phòng Tư pháp")
        db.session.commit()
    page = open_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(f"{live_server}/login")
    sign_in(page, "bithu1")
    page.goto(f"{live_server}/conferences/{conference_id}/roster")
    page.evaluate("window.__sameDocument = true")
    row = page.get_by_test_id("roster-tuyentruyen")
    row.locator('button[value="excused"]').click()
    expect(row).to_have_attribute("data-status", "excused")
    expect(row.locator('button[value="excused"]')).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("counts").locator('[data-count="excused"]')).to_have_text("1")
    expect(page.get_by_test_id("counts").locator('[data-count="unmarked"]')).to_have_text("2")
    assert page.evaluate("window.__sameDocument === true")  # no reload
    expect(page.get_by_test_id("guests")).to_contain_text("Ngô Văn Khách")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator("[data-roster-filter]").fill("tam")
    expect(page.get_by_test_id("roster-an")).to_be_hidden()
    expect(row).to_be_visible()
    page.close()
    with app.app_context():
        assert db.session.scalars(sa.select(Attendance.status)).all() == [AttendanceStatus.excused]


def test_the_projector_page_shows_the_qr_code_above_the_fold(app: Flask, live_server: str, open_page: Callable[..., Page],
                                                              town) -> None:
    with app.app_context():
        set_setting("public_url", live_server)
        conference_id = make_conference(town["a"].id, [town["a"].id], title="Hội nghị học tập, quán triệt và "
                                        "triển khai thực hiện Nghị quyết Đại hội Đảng bộ thị trấn lần thứ XXI")

    projector = open_page(viewport={"width": 1280, "height": 720})
    projector.goto(f"{live_server}/login")
    sign_in(projector, "bithu1")
    projector.goto(f"{live_server}/conferences/{conference_id}/screen")
    qr = projector.get_by_test_id("screen-qr")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 720
    assert box["height"] >= 400  # large enough to scan from the back of the hall
    assert projector.locator("header.lh-header, footer.lh-footer, nav").count() == 0  # no site navigation
    assert_accessible(projector)
    projector.close()
