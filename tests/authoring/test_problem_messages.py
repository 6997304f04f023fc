"""Problems as a propagandist reads them: in Vietnamese, naming the lesson or question, saying how to fix it."""
from __future__ import annotations

from flask import Flask
from flask_babel import force_locale, gettext

from learnhub.authoring.problems import FIXES
from learnhub.courses.problems import MESSAGES, Problem
from tests.authoring.test_authoring_pages import M, send
from tests.authoring.test_question_forms import add, revision


def test_every_problem_the_checker_raises_says_how_to_fix_it_in_vietnamese(app: Flask) -> None:
    assert set(FIXES) == set(MESSAGES)
    with app.test_request_context(), force_locale("vi"):
        for code, fix in FIXES.items():
            assert gettext(fix) != fix, f"no Vietnamese for the fix of {code}"
            if code not in ("quiz", "zip"):
                assert gettext(MESSAGES[code]) != MESSAGES[code], f"no Vietnamese for {code}"


def test_the_module_page_names_the_lesson_and_question_not_a_file_and_line(app: Flask, module) -> None:
    author = module["author"]
    author.set_cookie("lh_lang", "vi")
    add(author, "Câu đầu?")
    # a lesson with a study time out of range, and a second question broken in the raw editor
    url = module["lesson_url"]
    send(author, url, {"title": "Bối cảnh ban hành", "minutes": "10", "body": "Nội dung.", "key_points": "",
                       "base_revision": revision(author, url)})
    quiz = author.get(f"{M}/quiz").get_data(as_text=True)
    import re

    body = re.search(r'<textarea[^>]*name="body"[^>]*>\n?(.*?)</textarea>', quiz, re.S).group(1)
    import html

    text = html.unescape(body) + "\n## Câu hỏi thứ hai chưa có đáp án\n"
    send(author, f"{M}/quiz", {"body": text, "base_revision": revision(author, f"{M}/quiz")})
    page = author.get(f"{M}/").get_data(as_text=True)
    assert "Bài kiểm tra, câu 2" in page
    assert "Cách sửa:" in page and "Mở câu hỏi trong biểu mẫu" in page
    assert "quiz.md" not in page.split('id="problems"')[1].split("</div>")[0]


def test_a_lesson_problem_is_named_by_number_and_title(app: Flask, module) -> None:
    with app.test_request_context(), force_locale("vi"):
        from learnhub.authoring.problems import shown_problems
        from learnhub.courses.models import Course
        from learnhub.extensions import db

        course = db.session.scalars(db.select(Course)).one()
        shown = shown_problems([Problem("01-boi-canh-ban-hanh.md", 3, "minutes")], course=course)[0]
        assert shown.where == "Bài 1 – Bối cảnh ban hành"
        assert shown.fix.startswith("Trong ô “Thời gian học (phút)”")


def test_the_command_line_keeps_path_and_line() -> None:
    assert str(Problem("01-boi-canh.md", 3, "minutes")) == "01-boi-canh.md:3: 'minutes' must be a whole number from 1 to 240"


BROKEN_QUIZZES = [
    "---\npass_score: 80\n---\n\nlạc\n\n## Một?\n\n= a\n",
    "---\npass_score: 80\n---\n",
    "---\npass_score: 80\n---\n\n## Một? {#x}\n\n= a\n\n## Hai? {#x}\n\n= b\n",
    "---\npass_score: 80\n---\n\n## Một? {#X_1}\n\n= a\n",
    "---\npass_score: 80\n---\n\n## Một? [0 điểm]\n\n= a\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n= a\nlạc\n= b\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n= a\n\n> giải thích\n\nlạc\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n= a\n\nlạc\n",
    "---\npass_score: 80\n---\n\n##\n\n= a\n",
    "---\npass_score: 80\n---\n\n## Một?\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n- [x] a\n= b\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n- [x]\n- [ ] b\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n- [ ] a\n- [ ] b\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n- [x] Đúng\n- [x] Sai\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n=\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n= 5..3\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n= 5 ± -1\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n- a ->\n- b -> c\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n- a -> b\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n- [1]\n- [2] b\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n- [1] a\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n- [1] a\n- [3] b\n",
    "---\npass_score: 80\n---\n\n## Một?\n\n- [1] a\n- [2] a\n",
    "---\npass_score: 80\nmau: 1\n---\n\n## Một?\n\n= a\n",
    "---\nshuffle: true\n---\n\n## Một?\n\n= a\n",
    "---\npass_score: 80\ndraw: 3\n---\n\n## Một?\n\n= a\n",
    "---\npass_score: 80\ndraw:\n  A: 2\n---\n\n## Một? [chủ đề: A]\n\n= a\n",
    "---\npass_score: 800\n---\n\n## Một?\n\n= a\n",
    "---\npass_score: [\n---\n\n## Một?\n\n= a\n",
]


def test_every_problem_of_a_quiz_file_is_said_in_vietnamese(app: Flask) -> None:
    from learnhub.quizzes.quiz_md import parse_quiz_md
    from learnhub.quizzes.quiz_md_messages import localise_md

    seen = set()
    with app.test_request_context(), force_locale("vi"):
        for text in BROKEN_QUIZZES:
            _bank, problems = parse_quiz_md(text)
            assert problems, text
            for problem in problems:
                if problem.message.startswith(("the file must", "the front matter", "invalid value")):
                    continue  # front-matter codes, translated through courses.problems.MESSAGES
                shown = localise_md(problem.message)
                assert shown != problem.message, f"no Vietnamese for {problem.message!r}"
                seen.add(problem.message)
    assert len(seen) >= 25


def test_the_editors_live_check_says_how_to_fix_each_problem(app: Flask, module) -> None:
    from tests.authoring.test_authoring_pages import lesson_form

    response = send(module["author"], f"{M}/preview/lesson:boi-canh-ban-hanh", lesson_form(minutes="0"))
    fixes = [p["fix"] for p in response.json["problems"]]
    assert "Trong ô “Thời gian học (phút)” của bài học, nhập một số nguyên từ 1 đến 240." in fixes
