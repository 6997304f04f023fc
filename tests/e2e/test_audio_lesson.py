"""An audio lesson written in the browser: the recording and its transcript uploaded, the player
inserted from the toolbar, seen in the preview and by a member on their phone."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from playwright.sync_api import Page, expect

from learnhub.resources import resource_dir
from tests.e2e.conftest import PHONE, assert_accessible
from tests.e2e.test_authoring import add_lesson
from tests.e2e.test_plan import sign_in


def test_an_audio_lesson_is_uploaded_inserted_published_and_played(
    app: Flask, live_server: str, open_page: Callable[..., Page], town
) -> None:
    recording = (resource_dir("courses") / "chi-thi-05-ct-tw/media/loi-day-neu-guong.mp3").read_bytes()
    author = open_page(viewport={"width": 1280, "height": 900})
    sign_in(author, live_server, "tuyentruyen")
    author.goto(live_server + "/authoring/new")
    author.get_by_label("Tên học phần").fill("Nghe lời dạy của Bác")
    author.get_by_label("Tóm tắt").fill("Một bài nghe.")
    author.get_by_role("button", name="Tạo học phần").click()
    expect(author.get_by_role("heading", name="Nghe lời dạy của Bác")).to_be_visible()
    slug = author.url.rstrip("/").rsplit("/", 1)[-1]

    author.get_by_role("link", name="Hình ảnh và tệp").click()
    for name, mime, data in [("Bài nói.mp3", "audio/mpeg", recording),
                             ("Bài nói.txt", "text/plain", "Thưa bà con, đây là lời bài nói.".encode())]:
        author.get_by_label("Tệp hình ảnh hoặc PDF").set_input_files({"name": name, "mimeType": mime, "buffer": data})
        author.get_by_role("button", name="Tải lên").click()
    expect(author.get_by_text("media/bai-noi.txt")).to_be_visible()
    assert_accessible(author)
    author.get_by_role("link", name="Nghe lời dạy của Bác").click()

    add_lesson(author, "Lời dạy", "Nghe đoạn sau. ")
    author.get_by_label("Chèn hình ảnh hoặc tệp").select_option("media/bai-noi.mp3")
    expect(author.get_by_label("Nội dung bài học")).to_have_value("Nghe đoạn sau. ![bai-noi.mp3](media/bai-noi.mp3)")
    preview = author.locator(".lh-editor__preview")
    expect(preview.locator("audio source")).to_have_attribute("type", "audio/mpeg")
    expect(preview.get_by_text("Thưa bà con, đây là lời bài nói.")).to_be_attached()
    author.get_by_role("button", name="Lưu", exact=True).click()
    author.get_by_role("link", name="Nghe lời dạy của Bác").click()
    author.get_by_role("button", name="Xuất bản bản nháp này").click()
    expect(author.get_by_text("Đã xuất bản: người học đã xem được nội dung này.")).to_be_visible()

    member = open_page(viewport=PHONE)
    sign_in(member, live_server, "an")
    member.goto(f"{live_server}/courses/{slug}/loi-day")
    player = member.locator("audio")
    expect(player).to_be_visible()
    member.get_by_text("Bản ghi lời").click()
    expect(member.get_by_text("Thưa bà con, đây là lời bài nói.")).to_be_visible()
    duration = player.evaluate("""a => new Promise(done => { a.preload = 'metadata';
        a.addEventListener('loadedmetadata', () => done(a.duration)); a.addEventListener('error', () => done(-1));
        a.load(); })""")
    assert 3 < duration < 5  # the browser fetched and decoded the recording
    assert_accessible(member)
