"""Nothing an author writes is silently lost: the check names, at its line, markup that would hide
the rest of a lesson, and characters that change what members read."""
from __future__ import annotations

from pathlib import Path

import pytest

from learnhub.courses.format import read_course
from tests.courses.conftest import LESSON_MD, write_course

BODY_LINE = 8  # LESSON_MD's body starts on line 8 of the file


def lesson_with(tmp_path: Path, body: str) -> Path:
    text = LESSON_MD.format(title="Bài").split("## Nội dung")[0] + body
    return write_course(tmp_path, **{"01-bai-1.md": text})


@pytest.mark.parametrize("tag", ["textarea", "title", "math", "style", "script", "xmp", "noscript", "iframe",
                                 "plaintext", "noembed", "noframes", "template"])
def test_an_unclosed_swallowing_element_is_an_error_at_its_line(tmp_path: Path, tag: str) -> None:
    folder = lesson_with(tmp_path, f"Đoạn đầu.\n\nCâu có <{tag}> ở giữa.\n\nĐoạn sau còn dài.\n")
    report = read_course(folder)
    assert report.source is None
    assert [str(p) for p in report.errors] == [
        f"{folder}/01-bai-1.md:{BODY_LINE + 2}: <{tag}> is never closed, so members would lose the text after it: "
        f"close it with </{tag}> or remove it"]


def test_an_unclosed_comment_is_an_error_and_a_closed_one_is_a_note(tmp_path: Path) -> None:
    folder = lesson_with(tmp_path, "<!-- ghi chú cho người soạn -->\n\nĐoạn.\n\nCâu <!-- chưa đóng\n\nĐoạn sau.\n")
    errors = [str(p) for p in read_course(folder).errors]
    assert errors == [f"{folder}/01-bai-1.md:{BODY_LINE + 4}: the HTML comment opened here with '<!--' is never "
                      "closed with '-->', so members would lose the text after it"]


def test_markup_in_code_is_not_a_problem(tmp_path: Path) -> None:
    body = "Gõ `<textarea>` để tạo ô.\n\n```html\n<textarea>\n<!--\n```\n\n    <title>\n\nHết.\n"
    report = read_course(lesson_with(tmp_path, body))
    assert report.problems == []
    assert report.source is not None


def test_bidi_and_control_characters_are_named(tmp_path: Path) -> None:
    folder = lesson_with(tmp_path, "Số tiền: \u202e000 1\u202c đồng.\n\nMột\x00ký tự.\n")
    found = [str(p) for p in read_course(folder).problems]
    assert f"{folder}/01-bai-1.md:{BODY_LINE}: warning: the line holds U+202E (RIGHT-TO-LEFT OVERRIDE), which " \
           "changes the order members read the text in: remove it" in found
    assert f"{folder}/01-bai-1.md:{BODY_LINE + 2}: warning: the line holds the invisible control character " \
           "U+0000 (CONTROL): remove it" in found


def test_course_intro_is_checked_too(tmp_path: Path) -> None:
    folder = write_course(tmp_path)
    course_md = folder / "course.md"
    course_md.write_text(course_md.read_text(encoding="utf-8") + "\n<textarea>\n", encoding="utf-8")
    assert any("course.md:13: <textarea> is never closed" in str(p) for p in read_course(folder).errors)


def test_an_unclosed_block_element_is_a_warning_and_a_closed_one_nothing(tmp_path: Path) -> None:
    folder = lesson_with(tmp_path, "<div>\n\nHộp đã đóng.\n\n</div>\n\n<details>\n\n## Phần sau\n\nHết.\n")
    found = [str(p) for p in read_course(folder).problems]
    assert found == [f"{folder}/01-bai-1.md:{BODY_LINE + 6}: warning: <details> opened here is never closed, so the "
                     "Markdown after it is shown unformatted: close it with </details>"]


def test_an_import_leaves_out_the_control_characters_the_check_warned_about(app, tmp_path: Path) -> None:
    """PostgreSQL refuses a NUL and document writers most controls: warned about, then left out."""
    import json

    import sqlalchemy as sa

    from learnhub.courses.models import Lesson
    from learnhub.extensions import db
    from learnhub.quizzes.models import QuizQuestion

    folder = lesson_with(tmp_path, "Một\x00ký\x1b tự \u202egiữa.\n")
    (folder / "quiz.gift").write_text("::Một:: Câu\x00 hỏi\x07? {T}\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["courses", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        body = db.session.scalar(sa.select(Lesson.body_markdown).where(Lesson.slug == "bai-1"))
        questions = json.dumps(db.session.scalars(sa.select(QuizQuestion.data)).all(), ensure_ascii=False)
    assert "Mộtký tự giữa." in body
    assert "Câu hỏi?" in questions and "\\u0000" not in questions and "\\u0007" not in questions
