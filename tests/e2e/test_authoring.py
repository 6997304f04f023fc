"""A propagandist who has never used Markdown writes a module in the browser; a member studies it."""
from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, expect

from learnhub.courses.cli import courses_cli
from tests.e2e.conftest import PHONE, assert_accessible
from tests.e2e.test_plan import sign_in


def tiny_png(width: int = 40, height: int = 20) -> bytes:
    """A real, decodable PNG (a red band), so the browser can show it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xc0\x1b\x1b" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def add_lesson(page: Page, title: str, text: str) -> None:
    page.get_by_label("Tên bài học").fill(title)
    page.get_by_role("button", name="Thêm bài học").click()
    body = page.get_by_label("Nội dung bài học")
    body.click()
    body.press_sequentially(text)


def test_a_module_written_in_the_browser_is_published_exported_and_studied(
    app: Flask, live_server: str, open_page: Callable[..., Page], town, tmp_path: Path
) -> None:
    author = open_page(viewport={"width": 1280, "height": 900})
    sign_in(author, live_server, "tuyentruyen")
    author.get_by_role("link", name="Các học phần", exact=True).click()
    author.get_by_role("link", name="Học phần mới").click()
    assert_accessible(author)
    author.get_by_label("Tên học phần").fill("Học tập Chỉ thị 05 tại chi bộ")
    author.get_by_label("Tóm tắt").fill("Ba bài ngắn và một câu hỏi.")
    author.get_by_role("button", name="Tạo học phần").click()
    expect(author.get_by_role("heading", name="Học tập Chỉ thị 05 tại chi bộ")).to_be_visible()
    slug = author.url.rstrip("/").rsplit("/", 1)[-1]

    # an image for the first lesson
    author.get_by_role("link", name="Hình ảnh và tệp").click()
    author.get_by_label("Tệp hình ảnh hoặc PDF").set_input_files(
        {"name": "Sơ đồ tổ chức.png", "mimeType": "image/png", "buffer": tiny_png()})
    author.get_by_role("button", name="Tải lên").click()
    expect(author.get_by_text("media/so-do-to-chuc.png")).to_be_visible()
    assert_accessible(author)
    author.get_by_role("link", name="Học tập Chỉ thị 05 tại chi bộ").click()

    # lesson 1: the toolbar writes the Markdown; the preview shows it as members will see it
    add_lesson(author, "Bối cảnh ban hành", "Chỉ thị nhấn mạnh ")
    author.get_by_role("button", name="Chữ đậm").click()
    author.keyboard.type("nêu gương")
    author.get_by_label("Nội dung bài học").press("End")
    author.get_by_label("Nội dung bài học").press("Enter")
    author.get_by_label("Chèn hình ảnh hoặc tệp").select_option("media/so-do-to-chuc.png")
    preview = author.locator(".lh-editor__preview")
    expect(preview.locator("strong", has_text="nêu gương")).to_be_visible()
    expect(preview.locator("img")).to_be_visible()
    expect(author.get_by_role("status").filter(has_text="Đã lưu lúc")).to_be_visible(timeout=15000)  # autosaved
    assert_accessible(author)
    author.get_by_role("button", name="Lưu", exact=True).click()
    author.get_by_role("link", name="Học tập Chỉ thị 05 tại chi bộ").click()

    for title in ("Nội dung học tập", "Trách nhiệm nêu gương"):
        add_lesson(author, title, f"Bài {title.lower()}.")
        author.get_by_role("button", name="Lưu", exact=True).click()
        author.get_by_role("link", name="Học tập Chỉ thị 05 tại chi bộ").click()

    # the quiz: one question from the toolbar's template
    author.get_by_role("link", name="Sửa dạng văn bản").click()  # the raw editor, for those who want it
    quiz_text = author.get_by_label("Các câu hỏi của bài kiểm tra")
    quiz_text.click()
    quiz_text.press("Control+End")
    author.get_by_role("button", name="Một đáp án đúng").click()
    expect(author.locator(".lh-editor__preview")).to_contain_text("Câu hỏi chỉ có một đáp án đúng?")
    expect(author.locator(".lh-editor__problems li")).to_have_count(0)
    assert_accessible(author)
    author.get_by_role("button", name="Lưu", exact=True).click()
    author.get_by_role("link", name="Học tập Chỉ thị 05 tại chi bộ").click()

    # publish, then export the zip and check it as the command line does
    author.get_by_role("button", name="Xuất bản bản nháp này").click()
    expect(author.get_by_text("Đã xuất bản: người học đã xem được nội dung này.")).to_be_visible()
    assert_accessible(author)
    with author.expect_download() as download:
        author.get_by_role("link", name="Xuất tệp .zip").click()
    archive = tmp_path / f"{slug}.zip"
    download.value.save_as(archive)
    result = app.test_cli_runner().invoke(courses_cli, ["check", str(archive)])
    assert result.exit_code == 0, result.output

    # the author previews the draft on a phone
    phone_author = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(phone_author, live_server, "tuyentruyen")
    phone_author.goto(f"{live_server}/authoring/{slug}/view/boi-canh-ban-hanh")
    expect(phone_author.locator("article img")).to_be_visible()
    assert_accessible(phone_author)

    # a member of the cell studies it on a phone
    member = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(member, live_server, "an")
    member.get_by_role("link", name="Học tập Chỉ thị 05 tại chi bộ").first.click()
    member.get_by_role("link", name="Bối cảnh ban hành").first.click()
    expect(member.locator("article strong", has_text="nêu gương")).to_be_visible()
    image = member.locator("article img")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 40  # served and decoded
    member.get_by_role("button", name="Tôi đã học xong bài này").click()
    expect(member.get_by_role("heading", name="Nội dung học tập")).to_be_visible()
    assert_accessible(member)
