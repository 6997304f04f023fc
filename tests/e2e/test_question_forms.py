"""A propagandist writes a module with a table, an image, an audio lesson and a quiz of five kinds using
only buttons and forms (no Markdown typed), asks for review, is returned a comment, fixes it and is
published; the exported zip passes `learnhub courses check`."""
from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, expect

from learnhub.courses.cli import courses_cli
from learnhub.extensions import db
from learnhub.resources import resource_dir
from learnhub.settings import set_setting
from tests.e2e.conftest import PHONE, assert_accessible
from tests.e2e.test_authoring import add_lesson, tiny_png
from tests.e2e.test_plan import sign_in

SHOTS = os.environ.get("LEARNHUB_SCREENSHOTS")  # a folder to keep screenshots in, when set


def shoot(page: Page, name: str) -> None:
    """Screenshots at 1280 and 390 px of the page as it is, for people to look at."""
    if not SHOTS:
        return
    size = page.viewport_size
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    if size:
        page.set_viewport_size(size)


def add_question(page: Page, kind: str, stem: str, fill: dict[str, str], ticks: tuple[str, ...] = ()) -> None:
    page.get_by_role("link", name=kind, exact=True).click()
    page.get_by_label("Câu hỏi", exact=True).fill(stem)
    for label, value in fill.items():
        page.get_by_label(label, exact=True).fill(value)
    for label in ticks:
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Lưu câu hỏi").click()
    expect(page.get_by_text("Đã lưu câu hỏi.")).to_be_visible()


def test_a_module_with_a_quiz_written_by_forms_goes_through_review(
    app: Flask, live_server: str, open_page: Callable[..., Page], town, tmp_path: Path
) -> None:
    with app.app_context():
        set_setting("authoring_review_required", True)
        db.session.commit()
    author = open_page(viewport={"width": 1280, "height": 900})
    sign_in(author, live_server, "tuyentruyen")
    author.goto(f"{live_server}/authoring/new")
    author.get_by_label("Tên học phần").fill("Học tập Nghị quyết về chuyển đổi số")
    author.get_by_label("Tóm tắt").fill("Một bài và năm câu hỏi.")
    author.get_by_role("button", name="Tạo học phần").click()
    slug = author.url.rstrip("/").rsplit("/", 1)[-1]
    module_url = f"{live_server}/authoring/{slug}/"

    author.get_by_role("link", name="Hình ảnh và tệp").click()
    recording = (resource_dir("courses") / "chi-thi-05-ct-tw/media/loi-day-neu-guong.mp3").read_bytes()
    for name, mime, data in [("bieu-do.png", "image/png", tiny_png()), ("Bài nói.mp3", "audio/mpeg", recording),
                             ("Bài nói.txt", "text/plain", "Thưa bà con, đây là lời bài nói.".encode())]:
        author.get_by_label("Tệp hình ảnh hoặc PDF").set_input_files({"name": name, "mimeType": mime, "buffer": data})
        author.get_by_role("button", name="Tải lên").click()
    expect(author.get_by_text("media/bai-noi.txt")).to_be_visible()
    author.goto(module_url)

    # a lesson with a table and an image, from the toolbar's buttons only
    author.get_by_label("Tên bài học").fill("Số liệu chuyển đổi số")
    author.get_by_role("button", name="Thêm bài học").click()
    author.get_by_label("Nội dung bài học").click()
    author.get_by_role("button", name="Chèn bảng").click()
    author.get_by_role("button", name="Chèn hình ảnh").click()
    preview = author.locator(".lh-editor__preview")
    expect(preview.locator("table")).to_be_visible()
    expect(preview.locator("img")).to_be_visible()
    expect(preview.locator("table img")).to_have_count(0)  # the image stands apart from the table
    assert_accessible(author)
    shoot(author, "lesson-toolbar")
    author.get_by_role("button", name="Lưu", exact=True).click()
    author.goto(module_url)

    # an audio lesson: the recording chosen from the toolbar's list of the module's files
    add_lesson(author, "Lời dạy", "Nghe đoạn sau. ")
    author.get_by_label("Chèn hình ảnh hoặc tệp").select_option("media/bai-noi.mp3")
    expect(author.locator(".lh-editor__preview audio source")).to_have_attribute("type", "audio/mpeg")
    author.get_by_role("button", name="Lưu", exact=True).click()
    author.goto(module_url)

    # the quiz, question by question
    author.get_by_role("link", name="Soạn bài kiểm tra").click()
    assert_accessible(author)
    author.get_by_role("link", name="Một đáp án đúng", exact=True).click()
    author.get_by_label("Câu hỏi", exact=True).fill("Cơ quan nào ban hành Nghị quyết?")
    author.get_by_label("Phương án A", exact=True).fill("Bộ Chính trị")
    author.get_by_label("Phương án B", exact=True).fill("Quốc hội")
    author.get_by_label("Phương án A là đáp án đúng", exact=True).check()
    live = author.locator(".lh-question-preview")
    expect(live.locator('input[type="radio"]')).to_have_count(2)  # the member's view, updated as it is typed
    expect(live).to_contain_text("Bộ Chính trị")
    assert_accessible(author)
    shoot(author, "question-form")
    author.get_by_role("button", name="Lưu câu hỏi").click()
    expect(author.get_by_text("Đã lưu câu hỏi.")).to_be_visible()

    add_question(author, "Nhiều đáp án đúng", "Những trụ cột của chuyển đổi số?",
                 {"Phương án A": "Chính quyền số", "Phương án B": "Kinh tế số", "Phương án C": "Xe đạp"},
                 ("Phương án A là đáp án đúng", "Phương án B là đáp án đúng"))
    author.get_by_role("link", name="Đúng hay sai", exact=True).click()
    author.get_by_label("Câu hỏi", exact=True).fill("Chuyển đổi số chỉ là việc của doanh nghiệp.")
    author.get_by_label("Sai", exact=True).check()
    author.get_by_role("button", name="Lưu câu hỏi").click()
    add_question(author, "Số", "Mục tiêu tỉ lệ dân số trưởng thành có điện thoại thông minh (%)?",
                 {"Số đúng 1": "80", "Sai số cho phép ± của số 1": "0"})
    add_question(author, "Ghép nối", "Nối khái niệm với nghĩa của nó",
                 {"Mục 1": "Chính quyền số", "Nối với 1": "Dịch vụ công trực tuyến",
                  "Mục 2": "Xã hội số", "Nối với 2": "Công dân dùng công nghệ"})
    expect(author.locator(".lh-lesson-admin__item")).to_have_count(5)
    assert_accessible(author)
    shoot(author, "question-list")

    # ask for review: the reviewers are told
    author.goto(module_url)
    author.get_by_role("button", name="Đề nghị duyệt").click()
    reviewer = open_page(viewport={"width": 1280, "height": 900})
    sign_in(reviewer, live_server, "bithu1")
    reviewer.goto(f"{live_server}/notifications")
    reviewer.get_by_role("link", name="Vũ Minh Tâm đề nghị đồng chí duyệt", exact=False).first.click()
    assert_accessible(reviewer)
    shoot(reviewer, "review")
    reviewer.get_by_label("Góp ý cho câu 1").fill("Nên nói rõ: Ban Chấp hành Trung ương hay Bộ Chính trị?")
    reviewer.get_by_role("button", name="Trả lại người soạn").click()
    expect(reviewer.get_by_text("Học phần đã được trả lại người soạn")).to_be_visible()

    # the author sees the comment beside the question, fixes it and asks again
    author.goto(f"{live_server}/authoring/{slug}/questions")
    expect(author.get_by_text("Nên nói rõ")).to_be_visible()
    author.get_by_role("link", name="Cơ quan nào ban hành Nghị quyết?", exact=False).click()
    expect(author.get_by_text("Nên nói rõ")).to_be_visible()
    shoot(author, "question-with-comment")
    author.get_by_label("Câu hỏi", exact=True).fill("Cơ quan nào ban hành Nghị quyết 57?")
    author.get_by_role("button", name="Lưu câu hỏi").click()
    author.get_by_role("button", name="Đã xử lý").first.click()
    author.goto(module_url)
    author.get_by_role("button", name="Đề nghị duyệt").click()

    reviewer.goto(f"{live_server}/authoring/{slug}/review")
    reviewer.get_by_role("button", name="Xuất bản bản nháp này").click()
    reviewer.goto(f"{live_server}/authoring/{slug}/review")
    history = reviewer.locator("#history + ul")
    expect(history).to_contain_text("trả lại kèm 1 góp ý")
    expect(history).to_contain_text("đã xuất bản")
    assert_accessible(reviewer)

    with author.expect_download() as download:
        author.goto(module_url)
        author.get_by_role("link", name="Xuất tệp .zip").click()
    archive = tmp_path / f"{slug}.zip"
    download.value.save_as(archive)
    result = app.test_cli_runner().invoke(courses_cli, ["check", str(archive)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(archive) as exported:
        names = exported.namelist()
    assert any(name.endswith("media/bai-noi.mp3") for name in names)
    assert any(name.endswith("media/bai-noi.txt") for name in names)  # the transcript travels with it

    phone = open_page(viewport=PHONE)
    sign_in(phone, live_server, "tuyentruyen")
    phone.goto(f"{live_server}/authoring/{slug}/questions")
    assert_accessible(phone)
