"""GIFT as Moodle writes it: files in the shapes of Moodle's own fixtures import, markers never reach
members, repeated names get unique ids, titles survive import -> store -> export, and problems can be
shown in the member's language, pointing at the question."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.quizzes.bank import Bank, Question
from learnhub.quizzes.gift import export_gift, parse_gift, without_unsupported
from learnhub.quizzes.gift_messages import GiftProblem, localise, where
from learnhub.quizzes.models import Quiz
from learnhub.quizzes.sync import load_bank, render_question, sync_quiz
from tests.courses.conftest import write_course
from tests.xss import assert_no_executable_html, load_payloads

FIXTURES = Path(__file__).parent / "fixtures"
HAND = (FIXTURES / "moodle_hand_written.gift.txt").read_text(encoding="utf-8")
EXPORTED = (FIXTURES / "moodle_export.gift.txt").read_text(encoding="utf-8")
MARKER = re.compile(r"\[(html|plain|moodle|markdown)\]")


def parse_ok(text: str, **kwargs: bool) -> Bank:
    bank, problems = parse_gift(text, **kwargs)
    assert bank is not None, problems
    return bank


def texts(question: Question) -> list[str]:
    """Every text of a question a member may see, as stored and as rendered."""
    html = render_question(question)["html"]
    return [question.stem, question.explanation, *html["choices"].values(), *html["feedback"].values(),
            html["stem"], html["explanation"], *(c.text for c in question.choices),
            *(c.feedback for c in question.choices), *(p.left for p in question.pairs),
            *(p.right for p in question.pairs), *(a.text for a in question.answers),
            *(a.feedback for a in question.answers), *(n.feedback for n in question.numeric)]


# --- Moodle's files import ---------------------------------------------------------------------

@pytest.mark.parametrize("text", [HAND, EXPORTED], ids=["hand-written", "moodle-export"])
def test_moodle_shaped_files_import_with_their_unsupported_items_skipped(text: str) -> None:
    bank, problems = parse_gift(text)
    assert bank is None  # an essay (and a description) are errors unless skipped, as before
    unsupported = [p for p in problems if p.severity == "error"]
    assert unsupported and all(isinstance(p, GiftProblem) and p.unsupported for p in unsupported)
    bank = parse_ok(text, skip_unsupported=True)
    assert len({q.id for q in bank.questions}) == len(bank.questions) >= 7
    for question in bank.questions:
        for shown in texts(question):
            assert not MARKER.search(shown), (question.id, shown)
    exported = export_gift(bank)
    assert export_gift(parse_ok(exported)) == exported


def test_hand_written_sample_reads_as_moodle_reads_it() -> None:
    bank = parse_ok(HAND, skip_unsupported=True)
    by_id = {q.id: q for q in bank.questions}
    assert list(by_id) == ["hoat-dong", "q2", "mat-hoc-tap", "q5", "shortanswer", "q1", "2-08-tsl", "2-08-tsl-2"]
    assert [(q.title, q.kind) for q in bank.questions][-2:] == [("2-08 TSL", "truefalse")] * 2
    match = by_id["hoat-dong"]
    assert [p.left for p in match.pairs] == [
        "Họp định kỳ hằng tháng của chi bộ.", "Đảng viên tự nhận xét, đánh giá mình.",
        "Góp ý cho đồng chí <khác> trong chi bộ.", "Học **nghị quyết** mới ban hành.", ""]
    html = render_question(by_id["q2"])["html"]
    assert html["feedback"]["b"] == "<p>sai, đó là <b>Bộ Chính trị</b></p>"  # [html] honoured
    assert html["choices"]["c"] == "<p>Quốc hội &lt;khóa XIV&gt;</p>"  # [plain] shown as typed
    assert render_question(by_id["mat-hoc-tap"])["html"]["choices"]["d"] == "<p>*chỉ* hình thức</p>"
    short = by_id["shortanswer"]
    assert [(a.text, a.weight) for a in short.answers] == [
        ("hai nghìn không trăm mười sáu", 1.0), ("2016", 0.5), ("*", 0.0)]
    assert render_question(short)["html"]["explanation"] == "<p>Chỉ thị ban hành ngày <b>15/5/2016</b>.</p>"


def test_moodle_export_sample_keeps_ids_categories_and_html() -> None:
    bank = parse_ok(EXPORTED, skip_unsupported=True)
    by_id = {q.id: q for q in bank.questions}
    assert list(by_id) == ["nam-ban-hanh", "co-quan-ban-hanh", "noi-van-ban", "phuong-cham", "ma-nguon",
                           "ba-mat", "nam-ban-hanh-2"]
    assert by_id["nam-ban-hanh"].category == "$course$/top/Default for Chỉ thị 05"
    assert by_id["ba-mat"].category.endswith("/Mở rộng")
    greeting = render_question(by_id["co-quan-ban-hanh"])["html"]
    assert 'href="https://example.org/bai-noi.mp3"' in greeting["stem"]
    assert "style=" not in greeting["explanation"]  # sanitised
    assert [p.left for p in by_id["noi-van-ban"].pairs][:3] == [
        "Chỉ thị 06-CT/TW", "Chỉ thị 03-CT/TW", "Chỉ thị 05-CT/TW"]
    assert "void hoc() {\n" in by_id["ma-nguon"].stem  # a multi-line <pre> with \{ \}


def test_a_plain_question_with_an_html_answer_becomes_an_html_question() -> None:
    (q,) = parse_ok("[plain]2 < 3?{=[html]<b>Có</b> ~Không & không}\n").questions
    assert q.text_format == "html" and q.stem == "<p>2 &lt; 3?</p>"
    assert [c.text for c in q.choices] == ["<b>Có</b>", "<p>Không &amp; không</p>"]


def test_markers_on_answers_cannot_smuggle_script() -> None:
    for payload in load_payloads()[:200]:
        p = re.sub(r"[~=#{}:\\\n]", lambda m: "\\n" if m[0] == "\n" else "\\" + m[0], payload)
        text = f"[plain]Q {{=[html]{p}#[markdown]{p} ~[markdown]x{p}#[html]{p} ####[html]{p}}}\n"
        bank, _ = parse_gift(text)
        for question in bank.questions if bank else []:
            html = render_question(question)["html"]
            for markup in [html["stem"], html["explanation"], *html["choices"].values(), *html["feedback"].values()]:
                assert_no_executable_html(markup, payload)


# --- ids and titles ----------------------------------------------------------------------------

def test_ids_from_moodle_idnumber_comments_win_and_repeats_are_told() -> None:
    bank, problems = parse_gift("// [id:chinh] [tag:x]\n::A:: Q {T}\n\n// [id:chinh]\n::B:: R {T}\n\n::chinh:: S {T}\n")
    assert bank is not None
    assert [q.id for q in bank.questions] == ["chinh", "chinh-2", "chinh-3"]
    assert [(p.line, p.severity) for p in problems] == [(5, "warning")]
    assert "'chinh-2'" in problems[0].message


def test_titles_survive_import_store_and_export(app: Flask, make_course) -> None:
    course = make_course()
    gift = "::Câu hỏi: thủ đô?::Thủ đô? {=Hà Nội ~Huế}\n\n::Câu hỏi: thủ đô?::Thủ đô cũ? {=Huế ~Hà Nội}\n"
    with app.app_context():
        course = db.session.get(Course, course.id)
        sync_quiz(course, parse_ok(gift))
        db.session.commit()
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.course_id == course.id))
        text = export_gift(load_bank(quiz))
    assert text.count("::Câu hỏi\\: thủ đô?::[markdown]") == 2
    assert "// [id:cau-hoi-thu-do-2]\n::Câu hỏi\\: thủ đô?::" in text
    again = parse_ok(text)
    assert [(q.id, q.title) for q in again.questions] == [
        ("cau-hoi-thu-do", "Câu hỏi: thủ đô?"), ("cau-hoi-thu-do-2", "Câu hỏi: thủ đô?")]


# --- skipping and messages ---------------------------------------------------------------------

def test_without_unsupported_keeps_skipped_items_as_comments() -> None:
    text = without_unsupported(HAND)
    assert "// ::Q8:: Bạn nghĩ gì về buổi sinh hoạt chi bộ tháng này? {}" in text
    bank, problems = parse_gift(text)
    assert bank is not None and [p.severity for p in problems] == ["warning"]  # Q5's '~' feedback
    assert [q.id for q in bank.questions] == [q.id for q in parse_ok(HAND, skip_unsupported=True).questions]


def test_problems_read_in_vietnamese_and_name_the_question(app: Flask) -> None:
    _, problems = parse_gift("---\npass_score: 0\n---\n::Thủ đô:: Hà Nội? {=a}\n\n::Ý kiến:: Bạn nghĩ gì? {}\n\nQ {=x ~%200%y}\n")
    with app.test_request_context("/"):
        shown = [(where(p), localise(p.message)) for p in problems]
    assert shown == [
        ("Phần thiết lập ở đầu tệp", "pass_score phải là số nguyên từ 1 đến 100"),
        ("Câu 2 (“Ý kiến”)", "câu hỏi tự luận không chấm điểm được: Ý kiến"),
        ("Câu 3 (“Q”)", "trọng số trong '%200%y' phải là tỉ lệ phần trăm từ -100 đến 100"),
    ]
    assert [p.message for p in problems][0] == "pass_score must be a whole number from 1 to 100"  # CLI: English


def test_the_cli_imports_a_moodle_export_and_writes_its_titles_back(app: Flask, tmp_path: Path) -> None:
    folder = write_course(tmp_path, **{"quiz.gift": EXPORTED})
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["courses", "check", str(tmp_path)])
    assert refused.exit_code == 1  # the CLI keeps English path:line messages
    assert f"{folder}/quiz.gift:57: essay questions cannot be graded: Cảm nghĩ" in refused.stderr.splitlines()
    imported = runner.invoke(args=["courses", "import", "--skip-unsupported", str(tmp_path)])
    assert imported.exit_code == 0, imported.output
    exported = runner.invoke(args=["quiz", "export-gift", folder.name]).stdout
    assert "::Cơ quan ban hành::[html]" in exported and "::Nối văn bản::[html]" in exported
    assert "// [id:nam-ban-hanh-2]\n::Năm ban hành::[moodle]" in exported
    bank = parse_ok(exported)
    assert [q.title for q in bank.questions] == [
        "Năm ban hành", "Cơ quan ban hành", "Nối văn bản", "Phương châm", "Mã nguồn", "Ba mặt", "Năm ban hành"]


def test_a_course_check_problem_still_names_the_gift_question(app: Flask, tmp_path: Path) -> None:
    from learnhub.courses.format import read_course

    folder = write_course(tmp_path, **{"quiz.gift": "::Một:: Q {T}\n\n::Hai:: Chọn {=a ~%200%b}\n"})
    (problem,) = [p for p in read_course(folder).problems if p.path.endswith("quiz.gift")]
    assert problem.line == 3  # the CLI's path:line stays
    with app.test_request_context("/"):
        assert (where(problem), localise(problem.message)) == (
            "Câu 2 (“Hai”)", "trọng số trong '%200%b' phải là tỉ lệ phần trăm từ -100 đến 100")


def test_a_cli_import_skipping_essays_stores_a_quiz_a_later_draft_accepts(app: Flask, tmp_path: Path) -> None:
    folder = write_course(tmp_path, **{"quiz.gift": EXPORTED})
    imported = app.test_cli_runner().invoke(args=["courses", "import", "--skip-unsupported", str(tmp_path)])
    assert imported.exit_code == 0, imported.output
    from learnhub.authoring.models import DraftFile

    with app.app_context():
        stored = db.session.scalar(sa.select(Course.quiz_source).where(Course.slug == folder.name))
        draft = db.session.scalar(sa.select(DraftFile.text).where(DraftFile.key == "quiz.gift"))
    for text in (stored, draft):  # what members' quiz came from, and the draft the browser checks
        _, problems = parse_gift(text)
        assert [p.message for p in problems if p.severity == "error"] == []
        assert "Cảm nghĩ" in text  # kept, as a comment
