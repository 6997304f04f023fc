"""A member on a phone turns text messages off and subscribes their calendar; the committee reads
the reminder delivery log. Both pages pass axe."""
from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from learnhub.extensions import db
from learnhub.notify.models import ReminderPreference
from learnhub.notify.sender import send_due_reminders
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_member_accounts import sign_in
from tests.plans.test_member_plans import make_plan


def test_choosing_reminders_and_a_calendar_address(app: Flask, live_server: str, phone: Page, open_page: Callable[..., Page],
                                                    town, make_course, monkeypatch) -> None:
    make_course()
    make_plan(app, town, due_in=2)
    monkeypatch.setitem(app.config, "REMINDER_QUIET_HOURS", "")
    sign_in(phone, live_server, "an", PASSWORD)
    phone.goto(live_server + "/notifications")
    phone.get_by_role("link", name="Nhắc nhở và lịch").click()
    expect(phone.get_by_role("heading", name="Cách nhận nhắc nhở")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_label("Tin nhắn (SMS)").uncheck()
    phone.get_by_role("button", name="Lưu").click()
    expect(phone.get_by_text("Đã lưu lựa chọn nhận nhắc nhở.")).to_be_visible()
    with app.app_context():
        assert db.session.scalars(sa.select(ReminderPreference.opted_out)).one() == ["sms"]
    phone.get_by_role("button", name="Tạo địa chỉ lịch mới").click()
    address = phone.locator("#new-feed").inner_text()
    assert phone.request.get(address).headers["content-type"].startswith("text/calendar")
    assert_accessible(phone)

    with app.app_context():
        send_due_reminders()
    committee = open_page(viewport={"width": 1200, "height": 900}, locale="vi-VN")
    sign_in(committee, live_server, "capuy", PASSWORD)
    committee.goto(live_server + "/reminders/log?channel=in_app")
    expect(committee.get_by_role("cell", name="Nguyễn Văn An")).to_be_visible()
    assert_accessible(committee)
    committee.close()
