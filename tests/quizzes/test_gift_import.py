"""Importing a Moodle GIFT file in the browser: skip what cannot be graded with a list of it, and
problems in the author's language naming the question, never a file line."""
from __future__ import annotations

import html
import io
import re
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from learnhub.authoring.models import DraftFile
from learnhub.extensions import db
from learnhub.quizzes.models import Quiz
from tests.authoring.test_authoring_pages import M, send
from tests.authoring.test_authoring_pages import module as module_fixture

module = module_fixture  # the fixture, found by its name

HAND = (Path(__file__).parent / "fixtures" / "moodle_hand_written.gift.txt").read_bytes()


def upload(client, data: bytes, **fields: str):
    return send(client, f"{M}/quiz/import", {"file": (io.BytesIO(data), "cau-hoi.gift"), **fields},
                content_type="multipart/form-data")


def text_of(response) -> str:
    """The page as a reader sees it: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.get_data(as_text=True)))


def draft_gift(app: Flask) -> DraftFile | None:
    with app.app_context():
        return db.session.scalar(sa.select(DraftFile).where(DraftFile.key == "quiz.gift"))


def test_the_module_page_offers_to_skip_what_cannot_be_graded(module) -> None:
    page = module["author"].get(f"{M}/").get_data(as_text=True)
    assert 'name="skip_unsupported"' in page
    assert "Bỏ qua những gì LearnHub không chấm điểm được" in page


def test_an_essay_refuses_the_import_in_vietnamese_and_offers_the_skip(app: Flask, module) -> None:
    response = upload(module["author"], HAND)
    page = text_of(response)
    assert response.status_code == 400
    assert "Câu 1 (“Q8”): câu hỏi tự luận không chấm điểm được: Q8" in page
    assert "Line" not in page and "Dòng" not in page and "essay questions" not in page
    assert "đánh dấu “Bỏ qua những gì LearnHub không chấm điểm được”" in page
    assert draft_gift(app) is None


def test_skipping_imports_the_rest_lists_what_was_skipped_and_keeps_it_as_comments(app: Flask, module) -> None:
    author = module["author"]
    response = upload(author, HAND, skip_unsupported="y")
    assert response.status_code == 302 and response.headers["Location"] == f"{M}/quiz"
    page = html.unescape(author.get(f"{M}/quiz").get_data(as_text=True))
    assert "Đã nhập 8 câu hỏi vào bản nháp." in page
    assert "Đã bỏ qua vì LearnHub không chấm điểm được" in page and "Câu 1 (“Q8”): câu hỏi tự luận" in page
    assert "Câu 5 (“Q5”): phản hồi '~' của câu hỏi số được bỏ qua" in page
    stored = draft_gift(app)
    assert stored is not None and "// ::Q8:: Bạn nghĩ gì" in stored.text
    module_page = html.unescape(author.get(f"{M}/").get_data(as_text=True))
    assert "quiz.gift:2" not in module_page  # the skipped essay no longer blocks publishing
    assert send(author, f"{M}/publish").status_code == 302
    with app.app_context():
        quiz = db.session.scalars(sa.select(Quiz)).one()
        shown = " ".join(str(q.data) for q in quiz.active_questions)
        assert len(quiz.active_questions) == 8
    assert "[html]" not in shown and "[plain]" not in shown and "[moodle]" not in shown


def test_malformed_questions_are_named_by_number_and_title(app: Flask, module) -> None:
    gift = "::Một:: Đúng không? {T}\n\n::Hai:: Chọn {=a ~%200%b}\n\n[html]Ba {=x}\n\n::Bốn Chưa đóng {=y}\n"
    page = text_of(upload(module["author"], gift.encode()))
    assert "Câu 2 (“Hai”): trọng số trong '%200%b' phải là tỉ lệ phần trăm từ -100 đến 100" in page
    assert "Câu 4 (“Bốn Chưa đóng”): tiêu đề chưa được đóng bằng '::'" in page
    assert "Câu 1" not in page and "Câu 3" not in page
