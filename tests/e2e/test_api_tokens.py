"""A committee member makes an API token on a phone, calls the API with it, and reads the API page
(drawn by LearnHub's own script from the OpenAPI document). Both pages pass axe."""
from __future__ import annotations

import json
import urllib.request

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_member_accounts import sign_in


def test_making_a_token_and_reading_the_api_page(live_server: str, phone: Page, town) -> None:
    sign_in(phone, live_server, "bithu1", PASSWORD)
    phone.goto(live_server + f"/members/{town['bithu1'].id}")
    phone.get_by_role("link", name="Mã truy cập API").click()
    assert_accessible(phone)
    phone.get_by_label("Tên hệ thống kết nối").fill("Phần mềm quản lý đảng viên")
    phone.get_by_label("Quyền của mã").select_option("read")
    phone.get_by_role("button", name="Tạo mã").click()
    token = phone.locator("#new-token").inner_text()
    assert token.startswith("lh_")
    assert_accessible(phone)
    from_the_browser = phone.request.get(live_server + "/api/v1/units", headers={"Authorization": f"Bearer {token}"})
    assert from_the_browser.status == 401  # it carries the signed-in session's cookie: refused
    request = urllib.request.Request(live_server + "/api/v1/units", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as answer:  # an integration: the token alone
        assert [unit["id"] for unit in json.load(answer)["items"]] == [town["a"].id]
    phone.goto(live_server + "/api/v1/docs")
    expect(phone.get_by_role("heading", name="GET /api/v1/units", exact=True)).to_be_visible()
    assert_accessible(phone)
