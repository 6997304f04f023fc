"""Writing the quiz by form: each kind's form round trip, list actions, conflicts and the preview."""
from __future__ import annotations

import re

import pytest
from flask import Flask

from learnhub.authoring.models import DraftFile
from learnhub.extensions import db
from learnhub.quizzes.bank import Bank, Question, QuizSettings
from learnhub.quizzes.kinds import REGISTRY
from learnhub.quizzes.quiz_md import parse_quiz_md
from learnhub.quizzes.quiz_md_writer import export_quiz_md
from tests.authoring.test_authoring_pages import M, send, signed_in

ROWS: dict[str, dict] = {
    "single": {"choices": [("Hà Nội", True), ("Huế", False), ("Sài Gòn", False)]},
    "multiple": {"choices": [("Đoàn kết", True), ("Dân chủ", True), ("Chia rẽ", False)]},
    "truefalse": {"truth": "false"},
    "short": {"answers": ["Hồ Chí Minh", "Bác Hồ"]},
    "numerical": {"numbers": [("98,5", "0,5"), ("100", "")]},
    "matching": {"pairs": [("1945", "Cách mạng Tháng Tám"), ("1954", "Điện Biên Phủ")]},
    "ordering": {"items": ["Đọc", "Thảo luận", "Viết thu hoạch"]},
}


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_each_kind_reads_back_from_quiz_md_as_its_form_wrote_it(kind: str) -> None:
    question = Question(id="q1", kind=kind, stem="Câu hỏi thử?", points=2, explanation="Vì thế.", category="Lịch sử")
    assert REGISTRY[kind].from_rows(question, ROWS[kind]) == []
    text = export_quiz_md(Bank(QuizSettings(), [question]))
    bank, problems = parse_quiz_md(text)
    assert bank is not None and not problems
    back = bank.questions[0]
    assert (back.kind, back.stem, back.points, back.explanation, back.category) == (kind, "Câu hỏi thử?", 2, "Vì thế.", "Lịch sử")
    rows = REGISTRY[kind].form_rows(back)
    if kind == "numerical":
        assert rows == {"numbers": [("98.5", "0.5"), ("100", "")]}
    else:
        assert rows == ROWS[kind]


def test_a_kind_refuses_rows_that_do_not_make_its_question() -> None:
    one = Question(id="q", kind="single", stem="?")
    assert "Tick exactly one right answer" in REGISTRY["single"].from_rows(one, {"choices": [("a", True), ("b", True)]})[0]
    several = Question(id="q", kind="multiple", stem="?")
    assert REGISTRY["multiple"].from_rows(several, {"choices": [("a", True), ("b", False)]})
    numbers = Question(id="q", kind="short", stem="?")
    assert "choose “Number”" in REGISTRY["short"].from_rows(numbers, {"answers": ["98"]})[0]


def form(stem: str, base: str, **fields: str) -> dict:
    return {"stem": stem, "points": "1", "category": "", "explanation": "", "base_revision": base, **fields}


def revision(client, url: str) -> str:
    match = re.search(r'name="base_revision" type="hidden" value="(\d*)"', client.get(url).get_data(as_text=True))
    assert match
    return match.group(1)


def quiz_text(app: Flask) -> str:
    with app.app_context():
        return db.session.scalars(db.select(DraftFile).where(DraftFile.key == "quiz.md")).one().text


def add(author, stem: str, kind: str = "single", **fields: str):
    url = f"{M}/new-question/{kind}"
    defaults = {"choice_text-0": "Đúng đáp án", "choice_right-0": "y", "choice_text-1": "Sai đáp án"} if kind == "single" else {}
    return send(author, url, form(stem, revision(author, url), **{**defaults, **fields}))


def test_an_author_writes_edits_moves_copies_and_deletes_questions_by_form(app: Flask, module) -> None:
    author = module["author"]
    assert add(author, "Câu thứ nhất?").status_code == 302
    assert add(author, "Câu thứ hai?", "numerical", **{"number_value-0": "98,5", "number_tolerance-0": "1"}).status_code == 302
    text = quiz_text(app)
    assert "## Câu thứ nhất?" in text and "- [x] Đúng đáp án" in text and "= 98.5 ± 1" in text
    bank, _ = parse_quiz_md(text)
    first, second = (q.id for q in bank.questions)

    page = author.get(f"{M}/questions").get_data(as_text=True)
    assert "Câu thứ nhất?" in page and "Câu thứ hai?" in page

    base = revision(author, f"{M}/questions/{first}/edit")
    response = send(author, f"{M}/questions/{first}/edit", form("Câu thứ nhất, đã sửa?", base, **{
        "choice_text-0": "A", "choice_text-1": "B", "choice_right-1": "y"}))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "- [ ] A\n- [x] B" in quiz_text(app)

    page = author.get(f"{M}/questions").get_data(as_text=True)
    base = re.search(r'name="base_revision" value="(\d+)"', page).group(1)
    assert send(author, f"{M}/questions/{second}/up", {"base_revision": base}).status_code == 302
    assert quiz_text(app).index("Câu thứ hai?") < quiz_text(app).index("Câu thứ nhất")
    base = re.search(r'name="base_revision" value="(\d+)"', author.get(f"{M}/questions").get_data(as_text=True)).group(1)
    send(author, f"{M}/questions/{first}/duplicate", {"base_revision": base})
    assert quiz_text(app).count("Câu thứ nhất, đã sửa?") == 2
    base = re.search(r'name="base_revision" value="(\d+)"', author.get(f"{M}/questions").get_data(as_text=True)).group(1)
    send(author, f"{M}/questions/{second}/delete", {"base_revision": base})
    assert "Câu thứ hai?" not in quiz_text(app)


def test_a_form_with_a_problem_says_how_to_fix_it_in_vietnamese(app: Flask, module) -> None:
    author = module["author"]
    author.set_cookie("lh_lang", "vi")
    response = add(author, "Câu hỏi?", **{"choice_right-0": "", "choice_right-1": ""})
    assert response.status_code == 422
    assert "Đánh dấu đúng một phương án đúng" in response.get_data(as_text=True)


def test_a_stale_save_is_refused_and_the_other_text_shown(app: Flask, module) -> None:
    author = module["author"]
    add(author, "Câu gốc?")
    qid = parse_quiz_md(quiz_text(app))[0].questions[0].id
    url = f"{M}/questions/{qid}/edit"
    stale = revision(author, url)
    other = signed_in(app, "bithu1")
    assert send(other, url, form("Câu của người khác?", revision(other, url), **{
        "choice_text-0": "X", "choice_right-0": "y", "choice_text-1": "Y"})).status_code == 302
    response = send(author, url, form("Câu của tôi?", stale, **{
        "choice_text-0": "X", "choice_right-0": "y", "choice_text-1": "Y"}))
    assert response.status_code == 409
    assert "Câu của người khác?" in response.get_data(as_text=True)
    assert "Câu của tôi?" not in quiz_text(app)


def test_the_preview_shows_the_members_inputs_and_labels_the_right_answer(app: Flask, module) -> None:
    response = send(module["author"], f"{M}/question-preview/single", form("Thủ đô?", "0", **{
        "choice_text-0": "Hà Nội", "choice_right-0": "y", "choice_text-1": "Huế"}))
    html = response.get_data(as_text=True)
    assert 'type="radio"' in html and "Hà Nội" in html
    assert html.index('type="radio"') < html.index("Phần dành cho người soạn")


def test_a_draw_by_category_is_checked_and_used_for_each_attempt() -> None:
    text = "---\npass_score: 80\ndraw:\n  Lịch sử: 2\n---\n\n## Một? [chủ đề: Lịch sử]\n\n= a\n\n## Hai? [chủ đề: Khác]\n\n= b\n"
    bank, problems = parse_quiz_md(text)
    assert bank is None and "'draw' asks 2 questions of the category 'Lịch sử', which has 1" in problems[0].message
    bank, problems = parse_quiz_md(text.replace("Lịch sử: 2", "Lịch sử: 1"))
    assert bank is not None and bank.settings.draw == {"Lịch sử": 1}

    import random

    from learnhub.quizzes.attempts import draw_questions

    rows = [{"category": "Lịch sử"}, {"category": "Lịch sử"}, {"category": "Khác"}, {"category": ""}]
    for seed in range(10):
        drawn = draw_questions(rows, {"Lịch sử": 1, "Khác": 1}, random.Random(seed))
        assert sorted(r["category"] for r in drawn) == ["Khác", "Lịch sử"]


def test_old_quiz_files_without_categories_stay_valid() -> None:
    bank, problems = parse_quiz_md("---\npass_score: 80\ndraw: 1\n---\n\n## Một [2 điểm]\n\n= a\n")
    assert bank is not None and not problems and bank.questions[0].category == "" and bank.settings.draw == 1


def test_the_quiz_settings_form_sets_a_draw_by_category(app: Flask, module) -> None:
    author = module["author"]
    add(author, "Lịch sử một?", category="Lịch sử")
    add(author, "Lịch sử hai?", category="Lịch sử")
    add(author, "Khác một?", category="Khác")
    page = author.get(f"{M}/questions").get_data(as_text=True)
    assert "Lịch sử" in page and 'name="category_draw-1"' in page
    base = re.search(r'id="base_revision" name="base_revision" type="hidden" value="(\d+)"', page).group(1)
    response = send(author, f"{M}/quiz-settings", {"base_revision": base, "pass_score": "70",
                                                        "category_draw-0": "5", "category_draw-1": "1"})
    assert response.status_code == 422
    assert "chủ đề “Lịch sử”, nhưng chủ đề này chỉ có 2 câu" in response.get_data(as_text=True)
    response = send(author, f"{M}/quiz-settings", {"base_revision": base, "pass_score": "70",
                                                        "category_draw-0": "1", "category_draw-1": "1"})
    assert response.status_code == 302
    bank, _ = parse_quiz_md(quiz_text(app))
    assert bank.settings.pass_score == 70 and bank.settings.draw == {"Lịch sử": 1, "Khác": 1}


def test_the_preview_and_the_list_never_run_what_an_author_typed(app: Flask, module) -> None:
    def assert_no_executable_html(page: str) -> None:
        assert 'onerror="' not in page and "<script>alert" not in page

    author = module["author"]
    evil = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    html = send(author, f"{M}/question-preview/single", form(f"Câu {evil}?", "0", **{
        "choice_text-0": evil, "choice_right-0": "y", "choice_text-1": "Huế"})).get_data(as_text=True)
    assert_no_executable_html(html)
    add(author, f"Câu {evil}?", **{"category": evil})
    assert_no_executable_html(author.get(f"{M}/questions").get_data(as_text=True))


@pytest.mark.parametrize("base", ["²", "٣", "9" * 30, "-1", " 7 "])
def test_a_base_revision_that_is_no_plain_number_is_taken_as_none_never_a_crash(app: Flask, module, base: str) -> None:
    """The hidden base revision is whatever the browser sends: a superscript digit, another script's
    digit or a number beyond the database's integers is no revision (never a 500)."""
    author = module["author"]
    assert add(author, "Câu thứ nhất?").status_code == 302
    url = f"{M}/new-question/single"
    fields = {"choice_text-0": "Hà Nội", "choice_right-0": "y", "choice_text-1": "Huế"}
    assert send(author, url, form("Câu thứ hai?", base, **fields)).status_code in (302, 409)
    assert send(author, f"{M}/quiz-settings", {"pass_score": "80", "base_revision": base}).status_code in (302, 409)


def test_a_quiz_text_with_more_rows_than_the_forms_hold_is_sent_to_the_text_editor_never_a_500(app: Flask, module) -> None:
    """quiz.md has no bound on answers or categories; the forms do (50 rows, 100 categories)."""
    author = module["author"]
    many = "\n".join(f"- [{'x' if i == 0 else ' '}] Phương án {i}" for i in range(60))
    categories = "\n\n".join(f"## Câu {i}? [chủ đề: Chủ đề {i}]\n\n- [x] Có\n- [ ] Không hẳn" for i in range(105))
    text = f"---\npass_score: 80\n---\n\n## Câu nhiều phương án?\n\n{many}\n\n{categories}\n"
    assert send(author, f"{M}/quiz", {"body": text, "base_revision": revision(author, f"{M}/quiz")}).status_code == 302
    bank, problems = parse_quiz_md(quiz_text(app))
    assert bank is not None and not problems, problems
    listing = author.get(f"{M}/questions")
    assert listing.status_code == 200
    edit = author.get(f"{M}/questions/{bank.questions[0].id}/edit")
    assert edit.status_code == 302 and edit.headers["Location"].endswith(f"{M}/quiz")
    assert author.get(f"{M}/questions/{bank.questions[1].id}/edit").status_code == 200
    # the draws of the categories without a field are kept when the others are saved
    base = revision(author, f"{M}/questions")
    fields = {f"category_draw-{i}": "1" for i in range(100)}
    saved = send(author, f"{M}/quiz-settings", {"pass_score": "70", "base_revision": base, **fields})
    assert saved.status_code == 302
    draw = parse_quiz_md(quiz_text(app))[0].settings.draw
    assert isinstance(draw, dict) and len(draw) == 100
    # a refused form that sent fewer category rows than there are categories is shown again
    refused = send(author, f"{M}/quiz-settings", {"pass_score": "0", "base_revision": base})
    assert refused.status_code == 422 and "từ 1 đến 100" in refused.get_data(as_text=True)
