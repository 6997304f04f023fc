"""Phones first: every page a member or a committee member reaches fits a 360 px screen without
sideways scrolling, asks for nothing that is missing, folds the header behind a menu button, keeps
tap targets at 44 px, and the quiz's sticky bar never covers the control that has keyboard focus."""
from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from playwright.sync_api import Page, expect

from learnhub.orgs.models import UnitKind
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible

SMALL = {"width": 360, "height": 740}
SKIP = re.compile(r"logout|\.(xlsx|csv|docx|zip|json|pdf|png|svg|txt)(\?|$)|/static/|/media/|/screen$|/print|"
                  r"export|download|language")
LONG_UNIT = "Chi bộ Trường Trung học cơ sở Nguyễn Văn Trỗi và Trung tâm Giáo dục nghề nghiệp thị trấn"


def small_phone(open_page: Callable[..., Page], live_server: str, username: str) -> Page:
    page = open_page(viewport=SMALL, is_mobile=True, has_touch=True, locale="vi-VN")
    page.goto(live_server + "/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    return page


def walk(page: Page, live_server: str, limit: int) -> list[str]:
    """Visits the pages reachable from the home page (breadth first, at most ``limit``) and returns
    what is wrong on them: sideways scrolling, a scrolling table the keyboard cannot reach, a failed request."""
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    problems, seen, queue = [], set(), ["/"]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        seen.add(path)
        page.goto(live_server + path, wait_until="load")
        # screen.width, not innerWidth: a phone widens its layout viewport to fit a page that overflows
        width, inner = page.evaluate("[document.documentElement.scrollWidth, screen.width]")
        if width > inner:
            problems.append(f"{path} scrolls sideways: {width} px on a {inner} px screen")
        unreachable = page.evaluate("""[...document.querySelectorAll('.lh-table-wrap')]
            .filter(b => b.scrollWidth > b.clientWidth && !(b.tabIndex === 0 && b.getAttribute('aria-label')))
            .length""")
        if unreachable:
            problems.append(f"{path}: {unreachable} scrolling table(s) without keyboard focus and a name")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            href = href.split("#")[0]
            if href.startswith("/") and not SKIP.search(href) and href not in seen and href not in queue:
                queue.append(href)
    assert len(seen) > 5, seen
    return problems + [f"request failed: {f}" for f in failed]


def test_no_page_scrolls_sideways_at_360_px(app: Flask, live_server: str, open_page: Callable[..., Page], town, make_quiz,
                                              make_unit) -> None:
    make_quiz(count=4)
    make_unit(LONG_UNIT, UnitKind.cell, parent=town["root"])  # a long option in every unit <select>
    for username, limit in (("capuy", 60), ("an", 20)):
        page = small_phone(open_page, live_server, username)
        assert walk(page, live_server, limit) == [], username
        page.context.close()


def test_the_header_folds_behind_a_menu_button_on_phones(live_server: str, open_page: Callable[..., Page], town) -> None:
    page = small_phone(open_page, live_server, "capuy")
    header = page.locator("header.lh-header")
    assert header.bounding_box()["height"] < 80  # the brand and the button: one row, not half the screen
    conferences = page.get_by_role("link", name="Hội nghị", exact=True)
    expect(conferences).to_be_hidden()
    toggle = page.locator("summary", has_text="Trình đơn")
    assert toggle.get_attribute("aria-expanded") in (None, "false")
    toggle.click()
    expect(conferences).to_be_visible()
    assert_accessible(page)
    small = [
        f"{el['text']}: {el['height']} px"
        for el in page.eval_on_selector_all(
            "header a, header button, header summary, footer a",
            "els => els.filter(e => e.offsetParent).map(e => ({text: e.textContent.trim(), height: e.getBoundingClientRect().height}))")
        if el["height"] < 44
    ]
    assert small == []  # tap targets
    conferences.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Hội nghị", exact=True)).to_be_hidden()  # folded again on the next page

    wide = open_page(viewport={"width": 1280, "height": 800})
    wide.goto(live_server + "/login")
    wide.get_by_label("Tên đăng nhập").fill("capuy")
    wide.get_by_label("Mật khẩu").fill(PASSWORD)
    wide.get_by_role("button", name="Đăng nhập").click()
    expect(wide.get_by_role("link", name="Hội nghị", exact=True)).to_be_visible()  # no button on a wide screen
    expect(wide.locator("summary", has_text="Trình đơn")).to_be_hidden()
    wide.close()


def test_the_quiz_bar_never_covers_the_focused_control(app: Flask, live_server: str, open_page: Callable[..., Page], make_quiz,
                                                        make_user) -> None:
    make_quiz(count=8, time_limit=30)
    make_user(username="dangvien")
    page = small_phone(open_page, live_server, "dangvien")
    page.goto(live_server + "/courses/nghi-quyet-thu/quiz")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.get_by_text("Câu 1/8")).to_be_visible()
    page.locator("form[data-autosave-url] button[type=submit]").last.focus()
    covered = []
    for _ in range(40):  # backwards through the controls: each scrolls in at the top, under the bar
        page.keyboard.press("Shift+Tab")
        state = page.evaluate("""() => {
            const bar = document.querySelector('.lh-quiz-status').getBoundingClientRect();
            const el = document.activeElement, box = el.getBoundingClientRect();
            return {inForm: !!el.closest('form[data-autosave-url]'), top: box.top, barBottom: bar.bottom,
                    name: el.name || el.textContent.trim().slice(0, 30)};
        }""")
        if not state["inForm"]:
            break
        if state["top"] < state["barBottom"] - 1:
            covered.append(state)
    assert covered == []
