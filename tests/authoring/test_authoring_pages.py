"""Authoring in the browser: what propagandists do on the pages, and what members then see."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.authoring.models import DraftFile, Revision, RevisionKind
from learnhub.courses.models import Course, CourseMedia, Lesson
from learnhub.extensions import db
from learnhub.settings import set_setting
from tests.conftest import csrf_token, login
from tests.xss import assert_no_executable_html, load_payloads

PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
M = "/authoring/hoc-tap-chi-thi"


def signed_in(app: Flask, username: str):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def send(client, url: str, data: dict | None = None, **kwargs):
    return client.post(url, data={"csrf_token": csrf_token(client, "/"), **(data or {})}, **kwargs)


def lesson_form(title: str = "Bài một", minutes: str = "10", body: str = "Nội dung.", key_points: str = "", base="") -> dict:
    return {"title": title, "minutes": minutes, "body": body, "key_points": key_points, "base_revision": str(base)}


def base_revision(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="base_revision" type="hidden" value="(\d*)"', html) or re.search(
        r'name="base_revision" value="(\d*)"', html)
    assert match, "the editor carries the revision it was opened at"
    return match.group(1)


@pytest.fixture
def module(app: Flask, town) -> dict:
    """A module created in the browser by cell A's propagandist, with one lesson."""
    author = signed_in(app, "tuyentruyen")
    response = send(author, "/authoring/new", {
        "title": "Học tập Chỉ thị", "slug": "hoc-tap-chi-thi", "kind": "directive", "summary": "Tóm tắt.",
        "owner_unit": str(town["a"].id), "shared_down": "y"})
    assert response.status_code == 302 and response.headers["Location"] == f"{M}/"
    response = send(author, f"{M}/lessons", {"title": "Bối cảnh ban hành"})
    assert response.headers["Location"] == f"{M}/lessons/boi-canh-ban-hanh"
    return {"author": author, "lesson_url": f"{M}/lessons/boi-canh-ban-hanh", **town}


def live_lessons(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        return [(lesson.title, lesson.body_html) for lesson in db.session.scalars(
            sa.select(Lesson).join(Course).where(Course.slug == "hoc-tap-chi-thi", Lesson.archived_at.is_(None)))]


def test_a_draft_is_invisible_to_members_until_published(app: Flask, module) -> None:
    author, url = module["author"], module["lesson_url"]
    base = base_revision(author, url)
    response = send(author, url, lesson_form("Bối cảnh ban hành", body="## Vì sao\n\nChỉ thị **quan trọng**.", base=base))
    assert response.status_code == 302
    member = signed_in(app, "an")
    assert member.get("/courses/hoc-tap-chi-thi/").status_code == 404
    assert "Học tập Chỉ thị" not in member.get("/").get_data(as_text=True)

    assert send(author, f"{M}/publish").status_code == 302
    page = member.get("/courses/hoc-tap-chi-thi/boi-canh-ban-hanh").get_data(as_text=True)
    assert "<strong>quan trọng</strong>" in page

    # a later edit is a draft again: members keep seeing the published text
    base = base_revision(author, url)
    send(author, url, lesson_form("Bối cảnh ban hành", body="Bản sửa chưa xuất bản.", base=base))
    page = member.get("/courses/hoc-tap-chi-thi/boi-canh-ban-hanh").get_data(as_text=True)
    assert "chưa xuất bản" not in page and "<strong>quan trọng</strong>" in page
    assert "Published, with unpublished changes" in author.get("/authoring/").get_data(as_text=True) or \
        "chưa xuất bản" in author.get("/authoring/").get_data(as_text=True)


def test_a_member_of_another_cell_does_not_see_the_cells_module(app: Flask, module) -> None:
    send(module["author"], f"{M}/publish")
    assert signed_in(app, "an").get("/courses/hoc-tap-chi-thi/").status_code == 200
    assert signed_in(app, "binh").get("/courses/hoc-tap-chi-thi/").status_code == 404


def test_the_second_of_two_concurrent_saves_is_refused_and_both_texts_are_kept(app: Flask, module) -> None:
    first, url = module["author"], module["lesson_url"]
    second = signed_in(app, "bithu1")  # cell A's committee may write the cell's modules too
    base_first, base_second = base_revision(first, url), base_revision(second, url)
    assert base_first == base_second
    assert send(first, url, lesson_form("Bối cảnh", body="Văn bản của người thứ nhất.", base=base_first)).status_code == 302
    response = send(second, url, lesson_form("Bối cảnh", body="Văn bản của người thứ hai.", base=base_second))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Văn bản của người thứ hai." in html  # shown back to them, to copy from
    assert "Văn bản của người thứ nhất." in html  # the editor now holds the saved text
    with app.app_context():
        file = db.session.scalar(sa.select(DraftFile).where(DraftFile.key == "lesson:boi-canh-ban-hanh"))
        assert "người thứ nhất" in file.text
        kinds = {r.kind: r.text for r in db.session.scalars(sa.select(Revision).where(Revision.key == file.key))}
        assert "người thứ hai" in kinds[RevisionKind.conflict]


def test_autosave_answers_json_and_refuses_a_stale_base(app: Flask, module) -> None:
    author, url = module["author"], module["lesson_url"]
    base = base_revision(author, url)
    first = send(author, url, {**lesson_form(body="Đang gõ", base=base), "autosave": "1"})
    assert first.status_code == 200 and first.json["changed"] is True
    again = send(author, url, {**lesson_form(body="Đang gõ tiếp", base=first.json["revision"]), "autosave": "1"})
    assert again.status_code == 200
    stale = send(author, url, {**lesson_form(body="Từ một thẻ cũ", base=base), "autosave": "1"})
    assert stale.status_code == 409 and stale.json["conflict"] is True
    with app.app_context():
        file = db.session.scalar(sa.select(DraftFile).where(DraftFile.key == "lesson:boi-canh-ban-hanh"))
        assert "Đang gõ tiếp" in file.text


def test_decomposed_vietnamese_is_stored_composed(app: Flask, module) -> None:
    author, url = module["author"], module["lesson_url"]
    decomposed = "Nghi\u0323 quyê\u0301t"
    send(author, url, lesson_form(title=decomposed, body=decomposed, base=base_revision(author, url)))
    with app.app_context():
        text = db.session.scalar(sa.select(DraftFile.text).where(DraftFile.key == "lesson:boi-canh-ban-hanh"))
    assert "Nghị quyết" in text and "\u0323" not in text


def test_restoring_an_old_revision_loses_nothing(app: Flask, module) -> None:
    author, url = module["author"], module["lesson_url"]
    send(author, url, lesson_form(body="Bản A", base=base_revision(author, url)))
    send(author, url, lesson_form(body="Bản B", base=base_revision(author, url)))
    with app.app_context():
        numbers = {r.text.strip().rsplit("\n", 1)[-1]: r.number for r in db.session.scalars(
            sa.select(Revision).where(Revision.key == "lesson:boi-canh-ban-hanh"))}
    history = author.get(f"{M}/history/lesson:boi-canh-ban-hanh").get_data(as_text=True)
    assert history.count("/history/lesson:boi-canh-ban-hanh/") >= 3
    diff = author.get(f"{M}/history/lesson:boi-canh-ban-hanh/{numbers['Bản A']}").get_data(as_text=True)
    assert "Bản A" in diff and "Bản B" in diff
    assert send(author, f"{M}/history/lesson:boi-canh-ban-hanh/{numbers['Bản A']}/restore").status_code == 302
    with app.app_context():
        file = db.session.scalar(sa.select(DraftFile).where(DraftFile.key == "lesson:boi-canh-ban-hanh"))
        texts = [r.text for r in db.session.scalars(sa.select(Revision).where(Revision.key == file.key))]
    assert "Bản A" in file.text
    assert any("Bản B" in t for t in texts) and sum("Bản A" in t for t in texts) == 2


def test_preview_renders_through_the_sanitiser_and_reports_lines(app: Flask, module) -> None:
    author = module["author"]
    url = f"{M}/preview/lesson:boi-canh-ban-hanh"
    response = send(author, url, lesson_form(minutes="0", body="Xem ![sơ đồ](media/khong-co.png)"))
    assert response.status_code == 200
    problems = {(p["line"], p["message"]) for p in response.json["problems"]}
    assert any("minutes" in message for _, message in problems)
    assert any("media/khong-co.png" in message and line > 3 for line, message in problems)
    # in the author's language, as the pages show course problems
    assert any(message == "media/khong-co.png không phải là tệp trong thư mục media/" for _, message in problems)
    unclosed = send(author, url, lesson_form(body="Đoạn một.\n\nCâu có <textarea> ở giữa.\n\nĐoạn sau.")).json
    assert "Đoạn sau." in unclosed["html"] and "&lt;textarea&gt;" in unclosed["html"]
    assert [p["severity"] for p in unclosed["problems"] if "textarea" in p["message"]] == ["error"]
    failures = []
    for payload in load_payloads():
        html = send(author, url, lesson_form(body=payload)).json["html"]
        try:
            assert_no_executable_html(html, payload)
        except AssertionError as exc:
            failures.append(str(exc))
    assert failures == []


def test_quiz_preview_checks_as_you_type(app: Flask, module) -> None:
    author = module["author"]
    text = "---\npass_score: 80\n---\n\n## Câu hỏi không có đáp án đúng\n\n- [ ] Một\n- [ ] Hai\n"
    response = send(author, f"{M}/preview/quiz.md", {"body": text})
    assert response.json["problems"] and response.json["problems"][0]["line"] == 5
    good = text.replace("- [ ] Hai", "- [x] Hai")
    response = send(author, f"{M}/preview/quiz.md", {"body": good})
    assert response.json["problems"] == [] and "Câu hỏi không có đáp án đúng" in response.json["html"]


def test_publishing_refuses_a_draft_with_errors_and_says_where(app: Flask, module) -> None:
    author = module["author"]
    send(author, f"{M}/quiz", {"body": "---\npass_score: 80\n---\n\n## Không có đáp án\n\n- [ ] Một\n", "base_revision": "0"})
    response = send(author, f"{M}/publish", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "<strong>Bài kiểm tra, câu 1</strong>:" in html and "quiz.md:5" not in html and "(dòng 5)" not in html
    with app.app_context():
        assert db.session.scalar(sa.select(Course.published_at).where(Course.slug == "hoc-tap-chi-thi")) is None


def test_with_review_required_a_second_person_publishes(app: Flask, module) -> None:
    with app.app_context():
        set_setting("authoring_review_required", True)
        db.session.commit()
    author = module["author"]
    send(author, f"{M}/publish")
    with app.app_context():
        assert db.session.scalar(sa.select(Course.published_at).where(Course.slug == "hoc-tap-chi-thi")) is None
    assert send(author, f"{M}/review").status_code == 302
    send(author, f"{M}/publish")
    with app.app_context():
        assert db.session.scalar(sa.select(Course.published_at).where(Course.slug == "hoc-tap-chi-thi")) is None
    reviewer = signed_in(app, "bithu1")
    assert send(reviewer, f"{M}/publish").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Course.published_at).where(Course.slug == "hoc-tap-chi-thi")) is not None


@pytest.mark.parametrize(("name", "data", "message"), [
    ("script.png", b"#!/bin/sh\nrm -rf /\n", "PNG"),
    ("ve.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "PNG"),
    ("anh.pdf", PNG, ".pdf"),
    ("lon.png", b"\x89PNG\r\n\x1a\n" + bytes(11 * 1024 * 1024), "10 MB"),
])
def test_uploads_are_checked_by_content_and_size(app: Flask, module, name, data, message) -> None:
    response = send(module["author"], f"{M}/media", {"file": (io.BytesIO(data), name)},
                    content_type="multipart/form-data")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CourseMedia)) == 0


def test_media_are_stored_safely_served_rightly_and_listed_when_unused(app: Flask, module) -> None:
    author = module["author"]
    send(author, f"{M}/media", {"file": (io.BytesIO(PNG), "../../Sơ đồ tổ chức.PNG")}, content_type="multipart/form-data")
    send(author, f"{M}/media", {"file": (io.BytesIO(PDF), "Văn bản.pdf")}, content_type="multipart/form-data")
    image = author.get(f"{M}/media/so-do-to-chuc.png")
    assert image.status_code == 200 and image.mimetype == "image/png" and image.headers["X-Content-Type-Options"] == "nosniff"
    document = author.get(f"{M}/media/van-ban.pdf")
    assert document.headers["Content-Disposition"].startswith("attachment")
    page = author.get(f"{M}/media").get_data(as_text=True)
    assert page.count("not used") + page.count("không dùng") + page.count("chưa dùng") >= 2 or "lh-tag--grey" in page
    url = module["lesson_url"]
    send(author, url, lesson_form(body="![Sơ đồ](media/so-do-to-chuc.png)", base=base_revision(author, url)))
    send(author, f"{M}/media/so-do-to-chuc.png/delete")
    send(author, f"{M}/media/van-ban.pdf/delete")
    with app.app_context():
        assert set(db.session.scalars(sa.select(CourseMedia.path))) == {"so-do-to-chuc.png"}
    member = signed_in(app, "an")
    send(author, f"{M}/publish")
    assert member.get("/courses/hoc-tap-chi-thi/media/so-do-to-chuc.png").status_code == 200
    lesson = member.get("/courses/hoc-tap-chi-thi/boi-canh-ban-hanh").get_data(as_text=True)
    assert 'src="media/so-do-to-chuc.png"' in lesson


def test_media_uploaded_after_publishing_stay_hidden_from_members_until_the_next_publish(app: Flask, module) -> None:
    author = module["author"]
    send(author, f"{M}/publish")
    send(author, f"{M}/media", {"file": (io.BytesIO(PNG), "moi.png")}, content_type="multipart/form-data")
    member = signed_in(app, "an")
    assert member.get("/courses/hoc-tap-chi-thi/media/moi.png").status_code == 404
    assert author.get(f"{M}/media/moi.png").status_code == 200


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_exported_zip_imports_back_as_a_draft_with_the_same_files(app: Flask, module) -> None:
    author, url = module["author"], module["lesson_url"]
    send(author, url, lesson_form(body="Nội dung bài.", base=base_revision(author, url)))
    exported = author.get(f"{M}/export.zip")
    assert exported.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(exported.data)).namelist()
    assert names == ["hoc-tap-chi-thi/01-boi-canh-ban-hanh.md", "hoc-tap-chi-thi/course.md"]
    response = send(author, "/authoring/import", {"file": (io.BytesIO(exported.data), "hoc-tap-chi-thi.zip"),
                                                  "owner_unit": str(module["a"].id)}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert author.get(f"{M}/export.zip").data == exported.data


def test_a_zip_with_errors_imports_nothing_and_lists_each_problem(app: Flask, module) -> None:
    author = module["author"]
    bad = _zip({"moi/course.md": b"---\ntitle: x\nkind: memo\nsummary: y\n---\n", "moi/01-bai.md": b"---\ntitle: t\n---\n"})
    response = send(author, "/authoring/import", {"file": (io.BytesIO(bad), "moi.zip"), "owner_unit": str(module["a"].id)},
                    content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    # in the reader's language, naming the file by what it is (the CLI says course.md:3, 01-bai.md:1)
    assert "<strong>Cài đặt và giới thiệu học phần</strong> (dòng 3): &#39;kind&#39; phải là một trong" in html
    assert "<strong>Bài “t”</strong> (dòng 1): Cần có &#39;minutes&#39;" in html
    with app.app_context():
        assert db.session.scalar(sa.select(Course).where(Course.slug == "moi")) is None
    traversal = _zip({"moi/../../etc/passwd": b"x"})
    response = send(author, "/authoring/import", {"file": (io.BytesIO(traversal), "moi.zip"),
                                                  "owner_unit": str(module["a"].id)}, content_type="multipart/form-data")
    assert response.status_code == 200 and "lh-error-message" in response.get_data(as_text=True)


def test_a_gift_bank_is_edited_as_gift_and_converts_to_markdown(app: Flask, module) -> None:
    author = module["author"]
    gift = "::nam::Chỉ thị 05 ban hành năm nào? {=2016 ~2019 ~2021}\n\n::dung::Học tập là việc thường xuyên. {T}\n"
    response = send(author, f"{M}/quiz/import", {"file": (io.BytesIO(gift.encode()), "bank.gift")},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    page = author.get(f"{M}/quiz").get_data(as_text=True)
    assert "GIFT" in page and "{=2016 ~2019 ~2021}" in page
    assert send(author, f"{M}/quiz/convert").status_code == 302
    with app.app_context():
        files = {f.key: f for f in db.session.scalars(sa.select(DraftFile))}
    assert files["quiz.gift"].archived_at is not None
    assert "- [x] 2016" in files["quiz.md"].text and "{#nam}" in files["quiz.md"].text


def test_plans_offer_only_modules_their_committee_may_assign(app: Flask, module) -> None:
    send(module["author"], f"{M}/publish")
    in_cell = signed_in(app, "bithu1").get("/plans/new").get_data(as_text=True)
    other_cell = signed_in(app, "bithu2").get("/plans/new").get_data(as_text=True)
    assert "Học tập Chỉ thị" in in_cell and "Học tập Chỉ thị" not in other_cell


def test_members_never_reach_authoring_pages(app: Flask, module) -> None:
    member = signed_in(app, "an")
    assert member.get("/authoring/").status_code == 403
    assert member.get(f"{M}/").status_code == 403
    assert "/authoring/" not in member.get("/").get_data(as_text=True)


def test_published_lessons_carry_no_executable_markup_from_the_xss_corpus(app: Flask, module) -> None:
    author, url = module["author"], module["lesson_url"]
    payloads = load_payloads()
    body = "\n\n".join(payloads)
    send(author, url, lesson_form(body=body, key_points="\n".join(payloads[:7]), base=base_revision(author, url)))
    assert send(author, f"{M}/publish").status_code == 302
    [(_, html)] = live_lessons(app)
    assert_no_executable_html(html, "published lesson")
    page = signed_in(app, "an").get("/courses/hoc-tap-chi-thi/boi-canh-ban-hanh").get_data(as_text=True)
    article = page[page.index("<article"):page.index("</article>")]
    assert_no_executable_html(article.split(">", 1)[1], "lesson page")


def test_gift_problems_on_the_module_page_and_in_the_preview_name_the_question_in_vietnamese(app: Flask, module) -> None:
    author = module["author"]
    gift = "::nam::Chỉ thị 05 ban hành năm nào? {=2016 ~2019 ~2021}\n\n::dung::Học tập là việc thường xuyên. {T}\n"
    send(author, f"{M}/quiz/import", {"file": (io.BytesIO(gift.encode()), "bank.gift")}, content_type="multipart/form-data")
    broken = gift + "\n::mot::Câu nào đúng? {~Có ~Không}\n"
    with app.app_context():
        revision = db.session.scalar(sa.select(DraftFile.revision).where(DraftFile.key == "quiz.gift"))
    send(author, f"{M}/quiz", {"body": broken, "base_revision": str(revision)})
    page = author.get(f"{M}/").get_data(as_text=True)
    assert "Câu 3 (“mot”): không có đáp án đúng" in page and "no answer is right" not in page
    preview = send(author, f"{M}/preview/quiz.gift", {"body": broken}).get_json()
    assert any(p["message"].startswith("Câu 3 (“mot”): không có đáp án đúng") for p in preview["problems"])
