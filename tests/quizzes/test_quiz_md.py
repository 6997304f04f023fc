"""quiz.md parsing: every question kind, ids and points, each problem at its line, no crash."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnhub.quizzes.bank import Bank, NumericAnswer, Pair, Question, QuizProblem
from learnhub.quizzes.kinds import KindName, grade
from learnhub.quizzes.quiz_md import parse_quiz_md
from learnhub.quizzes.review import WANTED as REVIEW_WANTED

COURSES = Path(__file__).resolve().parents[2] / "courses"
FRONT = "---\npass_score: 80\n---\n"  # the body starts at line 4
MIXED = "mixed answer kinds: use only choices, only '=' lines or only '->' pairs"

# The example of docs/course-format.md, section "quiz.md: LearnHub Markdown quiz syntax".
DOC_EXAMPLE = """\
---
pass_score: 80        # percent of the maximum score needed to pass; required
draw: 10              # questions drawn at random per attempt; default: all questions
time_limit: 15        # minutes; optional, no limit when absent
max_attempts: 3       # optional; unlimited when absent
shuffle: true         # shuffle choice order per attempt; default true
review: always        # after submitting, show correct answers: always | after_pass | never; default always
---

## Nghị quyết này được ban hành vào năm nào? {#nam-ban-hanh}

- [ ] 2019
- [x] 2021
- [ ] 2023

> Nghị quyết được ban hành ngày 30/10/2021.

## Những giải pháp nào được nêu trong bài? (chọn tất cả đáp án đúng)

- [x] Xây dựng kế hoạch học tập ngắn gọn, có trọng tâm
- [x] Tăng cường kiểm tra, giám sát
- [ ] Bỏ hình thức hội nghị trực tiếp

## Chỉ thị, nghị quyết là một trong những phương thức ___ quan trọng hàng đầu của Đảng.

= lãnh đạo

## Nối mỗi giải pháp với nội dung của nó

- Một là -> Nâng cao nhận thức của cấp ủy, chính quyền
- Hai là -> Xây dựng và thực hiện kế hoạch học tập
- Sáu là -> Tăng cường kiểm tra, giám sát
"""


def parse_ok(body: str, front: str = FRONT) -> Bank:
    """The bank of a quiz that must parse without any problem."""
    bank, problems = parse_quiz_md(front + body)
    assert problems == []
    assert bank is not None
    return bank


def one(body: str) -> Question:
    """The only question of a quiz body that must parse without any problem."""
    (question,) = parse_ok(body).questions
    return question


def problems_of(text: str) -> list[tuple[int, str]]:
    """(line, message) of every problem, checking that a broken quiz gives no bank."""
    bank, problems = parse_quiz_md(text)
    assert (bank is None) == any(p.severity == "error" for p in problems)
    return [(p.line, p.message) for p in problems]


# -- the format doc's example and the shipped courses ------------------------------------------

def test_doc_example_parses_into_four_questions() -> None:
    bank, problems = parse_quiz_md(DOC_EXAMPLE)
    # The example shows every key, but its draw: 10 exceeds its 4 questions: an error by the rules.
    assert problems == [QuizProblem(3, "'draw' (10) is larger than the number of questions (4)")]
    bank = parse_ok(DOC_EXAMPLE.replace("draw: 10 ", "draw: 4  "), front="")
    assert [q.kind for q in bank.questions] == ["single", "multiple", "short", "matching"]
    assert [q.points for q in bank.questions] == [1, 1, 1, 1]
    assert [q.line for q in bank.questions] == [10, 18, 24, 28]
    first, second, third, fourth = bank.questions
    assert first.id == "nam-ban-hanh"
    # Derived ids are pinned: statistics follow them across re-imports, so they must never drift.
    assert second.id == "nhung-giai-phap-nao-duoc-neu-trong-bai-chon-tat-ca-dap-an-du-535f48"
    assert third.id == "chi-thi-nghi-quyet-la-mot-trong-nhung-phuong-thuc-quan-trong-dbee23"
    assert fourth.id == "noi-moi-giai-phap-voi-noi-dung-cua-no-3921e4"
    assert fourth.id[-6:] == hashlib.sha1(fourth.stem.encode()).hexdigest()[:6]
    assert [(c.id, c.weight) for c in first.choices] == [("a", 0.0), ("b", 1.0), ("c", 0.0)]
    assert first.explanation == "Nghị quyết được ban hành ngày 30/10/2021."
    assert second.all_or_nothing and [c.correct for c in second.choices] == [True, True, False]
    assert [a.text for a in third.answers] == ["lãnh đạo"]
    assert fourth.pairs[2] == Pair("Sáu là", "Tăng cường kiểm tra, giám sát")
    s = bank.settings
    assert (s.pass_score, s.draw, s.time_limit, s.max_attempts, s.shuffle, s.review) == (
        80, 4, 15, 3, True, "always")


@pytest.mark.parametrize("path", sorted(COURSES.glob("*/quiz.md")), ids=lambda p: p.parent.name)
def test_shipped_quizzes_parse_without_problems(path: Path) -> None:
    bank, problems = parse_quiz_md(path.read_text(encoding="utf-8"))
    assert problems == []
    assert bank is not None
    assert len(bank.questions) >= 12
    # every kind but ordering, the extension that no shipped module uses yet
    assert {q.kind for q in bank.questions} == set(KindName) - {KindName.ordering}
    assert len({q.id for q in bank.questions}) == len(bank.questions)
    assert Bank.from_dict(bank.to_dict()) == bank


def test_shipped_quizzes_exist() -> None:
    assert len(list(COURSES.glob("*/quiz.md"))) >= 2


# -- every kind ---------------------------------------------------------------------------------

def test_single_choice_with_stem_paragraphs_and_explanation() -> None:
    q = one("## Câu hỏi?\n\nĐoạn thêm.\n\n![hình](media/a.png)\n\n- [ ] A\n* [X] B\n- [ ] C\n\n"
            "> Giải thích dòng 1\n> dòng 2\n>\n> đoạn 2\n")
    assert q.kind == "single"
    assert q.stem == "Câu hỏi?\n\nĐoạn thêm.\n\n![hình](media/a.png)"
    assert [(c.id, c.text, c.weight) for c in q.choices] == [("a", "A", 0.0), ("b", "B", 1.0),
                                                             ("c", "C", 0.0)]
    assert q.explanation == "Giải thích dòng 1\ndòng 2\n\nđoạn 2"
    assert q.line == 4


def test_multiple_choice_is_all_or_nothing() -> None:
    q = one("## Chọn hai\n- [x] A\n- [x] B\n- [ ] C\n")
    assert q.kind == "multiple" and q.all_or_nothing
    assert grade(q, ["a", "b"]) == 1.0
    assert grade(q, ["a"]) == 0.0
    assert grade(q, ["a", "b", "c"]) == 0.0


@pytest.mark.parametrize("texts", [("Đúng", "Sai"), ("Sai", "Đúng"), ("True", "False"),
                                   ("TRUE", "false")])
def test_true_false(texts: tuple[str, str]) -> None:
    q = one(f"## Mệnh đề\n- [ ] {texts[0]}\n- [x] {texts[1]}\n")
    assert q.kind == "truefalse"
    assert [c.correct for c in q.choices] == [False, True]
    assert grade(q, "b") == 1.0 and grade(q, "a") == 0.0


def test_three_choices_with_dung_sai_are_single_choice() -> None:
    assert one("## Q\n- [x] Đúng\n- [ ] Sai\n- [ ] Không rõ\n").kind == "single"


def test_many_choices_keep_distinct_ids() -> None:
    q = one("## Q\n" + "".join(f"- [{'x' if n == 0 else ' '}] lựa chọn {n}\n" for n in range(28)))
    assert [c.id for c in q.choices][24:] == ["y", "z", "aa", "ab"]


def test_short_answer() -> None:
    q = one("## Điền từ ___\n\n= lãnh đạo\n= lanh dao\n= 12\n")
    assert q.kind == "short"
    assert [a.text for a in q.answers] == ["lãnh đạo", "lanh dao", "12"]
    assert all(a.weight == 1.0 for a in q.answers)
    assert grade(q, "  LÃNH   đạo ") == 1.0
    assert grade(q, "LANH DAO") == 1.0
    assert grade(q, "lãnh đạô") == 0.0


@pytest.mark.parametrize(("line", "expected"), [
    ("= 98", NumericAnswer(value=98.0)),
    ("= 98,5", NumericAnswer(value=98.5)),
    ("= 98 ± 1", NumericAnswer(value=98.0, tolerance=1.0)),
    ("= 98+-0,5", NumericAnswer(value=98.0, tolerance=0.5)),
    ("= -3.5 +- 1", NumericAnswer(value=-3.5, tolerance=1.0)),
    ("= 97..99", NumericAnswer(low=97.0, high=99.0)),
    ("= 1,5 .. 2.5", NumericAnswer(low=1.5, high=2.5)),
])
def test_numerical_answers(line: str, expected: NumericAnswer) -> None:
    q = one(f"## Bao nhiêu?\n{line}\n")
    assert q.kind == "numerical"
    assert q.numeric == [expected]
    assert q.answers == []


def test_numerical_needs_every_line_numeric() -> None:
    q = one("## Năm?\n= 2016\n= năm 2016\n")
    assert q.kind == "short"
    assert [a.text for a in q.answers] == ["2016", "năm 2016"]


def test_numerical_grading() -> None:
    q = one("## Tỷ lệ? [2 điểm]\n= 98 ± 1\n= 90..91\n")
    assert grade(q, "98,5") == 2.0
    assert grade(q, "97.0") == 2.0
    assert grade(q, "90,5") == 2.0
    assert grade(q, "96,9") == 0.0
    assert grade(q, "chín tám") == 0.0


def test_matching() -> None:
    q = one("## Nối\n\n- Một -> 1\n-   Hai   ->   2  \n* Ba->3\n\n> Xem bài 2.\n")
    assert q.kind == "matching"
    assert q.pairs == [Pair("Một", "1"), Pair("Hai", "2"), Pair("Ba", "3")]
    assert q.explanation == "Xem bài 2."
    assert grade(q, {"0": "0", "1": "1", "2": "0"}) == pytest.approx(2 / 3, abs=1e-4)


# -- ids and points -----------------------------------------------------------------------------

@pytest.mark.parametrize(("heading", "qid", "points"), [
    ("Câu hỏi {#cau-1} [2 điểm]", "cau-1", 2),
    ("Câu hỏi [2 điểm] {#cau-1}", "cau-1", 2),
    ("Câu hỏi [3 diem]{#cau-1}", "cau-1", 3),
    ("Câu hỏi {#cau-1}[10 points]", "cau-1", 10),
    ("Câu hỏi [1 point] {#cau-1}", "cau-1", 1),
    ("Câu hỏi [2 ĐIỂM]", None, 2),
    ("Câu hỏi {#cau-1}", "cau-1", 1),
])
def test_ids_and_points_in_either_order(heading: str, qid: str | None, points: int) -> None:
    q = one(f"## {heading}\n= x\n")
    assert q.stem == "Câu hỏi"
    assert q.points == points
    assert q.id == (qid or q.id)
    assert re.fullmatch(r"[a-z0-9-]+", q.id)


def test_derived_ids_are_stable_and_distinct() -> None:
    body = ("## Chỉ thị số 05-CT/TW ban hành năm nào?\n= 2016\n"
            "## Chỉ thị số 05-CT/TW ban hành năm nào!\n= 2016\n")
    first = parse_ok(body).questions
    again = parse_ok(body + "## Câu khác\n= x\n").questions
    assert [q.id for q in first] == [q.id for q in again[:2]]
    assert first[0].id != first[1].id  # the same folded words, a different stem
    assert first[0].id.startswith("chi-thi-so-05-ct-tw-ban-hanh-nam-nao-")
    assert re.fullmatch(r"[a-z0-9-]{1,60}-[0-9a-f]{6}", first[0].id)
    long = one("## " + "rất dài " * 40 + "\n= x\n").id
    assert len(long.rsplit("-", 1)[0]) <= 60


def test_derived_id_ignores_the_unicode_form_of_the_file() -> None:
    body = "## Phương thức lãnh đạo\n= lãnh đạo\n"
    nfc = one(body)
    nfd = parse_ok(unicodedata.normalize("NFD", FRONT + body), front="").questions[0]
    assert nfd.id == nfc.id
    assert nfd.answers[0].text == "lãnh đạo"
    assert grade(nfd, unicodedata.normalize("NFD", "Lãnh Đạo")) == 1.0


def test_crlf_and_bom_are_accepted() -> None:
    text = "\ufeff" + (FRONT + "## Q {#q}\n\n- [x] Đúng\n- [ ] Sai\n").replace("\n", "\r\n")
    bank = parse_ok(text, front="")
    assert bank.questions[0].kind == "truefalse"
    assert bank.questions[0].line == 4


# -- problems, each at its line -----------------------------------------------------------------

@pytest.mark.parametrize(("body", "line", "message"), [
    ("## Q\n- [ ] a\n- [ ] b\n", 4, "a choice list needs at least one [x]"),
    ("## Q\n- [x] Đúng\n- [x] Sai\n", 4, "a true/false question needs exactly one [x]"),
    ("## Q\n- [x]\n- [ ] b\n", 4, "a choice needs text after [x] or [ ]"),
    ("\n\n## Q\n\nChỉ có đề bài.\n", 6, "the question has no answers"),
    ("## Q\n- [x] a\n= a\n", 4, MIXED),
    ("## Q\n- a -> b\n- [x] c\n", 4, MIXED),
    ("## Q\n- [x] a\nmột đoạn\n- [ ] b\n", 4, "text between answer lines"),
    ("## Q\n- [x] a\n\nmột đoạn\n", 4,
     "text after the answer lines (an explanation starts with '> ')"),
    ("## Q\n- [x] a\n> giải thích\n\nthêm chữ\n", 4, "text after the explanation"),
    ("## Q\n- [x] a\n> giải thích\n- [ ] b\n", 4, "text after the explanation"),
    ("## Q\n- a -> b\n", 4, "a matching question needs at least two pairs"),
    ("## Q\n- a -> b\n-  -> c\n", 4, "a matching pair needs text on both sides of '->'"),
    ("## Q\n=\n", 4, "an '=' line needs an answer after it"),
    ("## Q\n= 99..97\n", 4, "the range 99..97 ends below its start"),
    ("## Q\n= 98 ± -1\n", 4, "a tolerance after '±' cannot be negative"),
    ("## Q {#Câu-1}\n= a\n", 4, "the id {#Câu-1} may only use a-z, 0-9 and '-'"),
    ("## Q {#}\n= a\n", 4, "the id {#} may only use a-z, 0-9 and '-'"),
    ("## Q [0 điểm]\n= a\n", 4, "points must be a whole number from 1 to 999999999"),
    ("##\n= a\n", 4, "the heading has no question text"),
    ("## {#q}\n= a\n", 4, "the heading has no question text"),
    ("Lời giới thiệu\n\n## Q\n= a\n", 4, "text before the first question"),
    ("\n\n", 1, "the file has no questions (each starts with '## ')"),
    ("## Q {#a}\n= a\n\n## R {#a}\n= b\n", 7,
     "the id 'a' is already used by the question at line 4"),
    ("## Cùng đề\n= a\n## Cùng đề\n= b\n", 6, None),
])
def test_each_problem_at_its_line(body: str, line: int, message: str | None) -> None:
    found = problems_of(FRONT + body)
    assert len(found) == 1, found
    assert found[0][0] == line
    assert message is None or found[0][1] == message


@pytest.mark.parametrize(("front", "line", "message"), [
    ("draw: 2\n", 1, "'pass_score' is required"),
    ("pass_score: 0\n", 2, "'pass_score' must be a whole number from 1 to 100"),
    ("pass_score: 101\n", 2, "'pass_score' must be a whole number from 1 to 100"),
    ("pass_score: true\n", 2, "'pass_score' must be a whole number from 1 to 100"),
    ("pass_score: 80.5\n", 2, "'pass_score' must be a whole number from 1 to 100"),
    ("pass_score:\n", 2, "'pass_score' must be a whole number from 1 to 100"),
    ("pass_score: 80\ndraw: 3\n", 3, "'draw' (3) is larger than the number of questions (2)"),
    ("pass_score: 80\ndraw: 0\n", 3, "'draw' must be a whole number of at least 1, or 'category: number' lines"),
    ("pass_score: 80\ntime_limit: '15'\n", 3,
     "'time_limit' must be a whole number of minutes, at least 1"),
    ("pass_score: 80\nmax_attempts: true\n", 3,
     "'max_attempts' must be a whole number of at least 1"),
    ("pass_score: 80\nshuffle: 1\n", 3, "'shuffle' must be true or false"),
    ("pass_score: 80\nreview: sometimes\n", 3, f"'review' must be {REVIEW_WANTED}"),
    ("pass_score: 80\nreview: [always]\n", 3, f"'review' must be {REVIEW_WANTED}"),
    ("pass_score: [80\n", 3, None),
])
def test_front_matter_problems_at_their_key_line(
    front: str, line: int, message: str | None
) -> None:
    found = problems_of(f"---\n{front}---\n## Q\n= a\n## R\n= b\n")
    assert len(found) == 1, found
    assert found[0][0] == line
    assert message is None or found[0][1] == message


@pytest.mark.parametrize("value", ["2021-13-45", "!!timestamp x", "9" * 5000])
def test_values_yaml_cannot_build_are_one_problem(value: str) -> None:
    found = problems_of(f"---\npass_score: 80\nstarted: {value}\n---\n## Q\n= a\n")
    assert len(found) == 1, found
    assert found[0][1].startswith("invalid")


def test_settings_defaults_and_empty_optional_values() -> None:
    bank = parse_ok("## Q\n= a\n", front="---\npass_score: 50\ndraw:\ntime_limit:\n---\n")
    s = bank.settings
    assert (s.pass_score, s.draw, s.time_limit, s.max_attempts, s.shuffle, s.review) == (
        50, None, None, None, True, "always")


def test_unknown_key_is_a_warning_only() -> None:
    bank, problems = parse_quiz_md("---\npass_score: 80\ncolour: red\n---\n## Q\n= a\n")
    assert problems == [QuizProblem(3, "unknown key 'colour' is ignored", "warning")]
    assert bank is not None and bank.settings.pass_score == 80


def test_missing_front_matter_still_checks_the_questions() -> None:
    assert problems_of("## Q\n- [ ] a\n") == [
        (1, "the file must start with a '---' line opening the front matter"),
        (1, "a choice list needs at least one [x]"),
    ]


def test_all_problems_are_reported_at_once() -> None:
    body = ("## Tốt\n= a\n\n"            # 4
            "## Không có [x]\n- [ ] a\n\n"  # 7
            "## Lẫn lộn\n= a\n- a -> b\n\n"  # 10
            "## Không đáp án\n\n"          # 14
            "## Tốt nữa\n- [x] a\n")       # 16
    assert [line for line, _ in problems_of(FRONT + body)] == [7, 10, 14]


def test_problems_are_sorted_by_line() -> None:
    found = problems_of("---\npass_score: 80\ndraw: 9\nreview: x\n---\n## Q\n- [ ] a\n## Q\n= a\n")
    assert [line for line, _ in found] == sorted(line for line, _ in found)
    assert len(found) == 4


# -- it never raises ------------------------------------------------------------------------------

def check_any_text(text: str) -> None:
    """A bank, or problems each on a line of the text (or just after it)."""
    bank, problems = parse_quiz_md(text)
    last = len(text.splitlines()) + 1
    assert all(1 <= p.line <= last for p in problems), (problems, last)
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert all(p.message and p.message[0] == p.message[0].lower() for p in problems)
    errors = [p for p in problems if p.severity == "error"]
    assert (bank is None) == bool(errors)
    if bank is not None:
        assert bank.questions
        assert all(q.kind in set(KindName) for q in bank.questions)
        assert Bank.from_dict(bank.to_dict()) == bank
        for question in bank.questions:
            grade(question, None)


LINE_STARTS = ["## ", "##", "- [x] ", "- [ ] ", "* [X] ", "= ", "=", "- ", "> ", ">", "---", ""]
FRAGMENTS = ["-> ", " -> ", "{#", "}", "{#cau-1}", " [2 điểm]", "[2 diem]", "[0 points]",
             "[1 point]", "\n", "\r\n", "\ufeff", "pass_score: ", "draw: ", "review: ", "80",
             "Đúng", "Sai", "True", ",", ".", "±", " +- ", "..", " ", "\t", "[", "]", ":", "a\u0301",
             "đ", "\x85", "\u2028"]
WORDS = st.sampled_from(["Nghị", "quyết", "lãnh", "đạo", "Đảng", "năm", "x", "Q", "2021", "-",
                         "a-b", "chọn", "đúng", "TRUE", "Sai", "###", "<b>", "*", "`x`", "___"])
NUMBERS = st.builds(
    lambda a, sep, b, op, c: f"{a}{sep}{b}{op}{c}",
    st.integers(-1000, 100000), st.sampled_from([",", ".", ""]), st.integers(0, 999),
    st.sampled_from(["", " ± ", "+-", "..", " .. ", "±"]), st.integers(-5, 500),
)
LINES = st.tuples(
    st.sampled_from(LINE_STARTS),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), WORDS, NUMBERS, st.text(max_size=3)), max_size=6),
).map(lambda parts: parts[0] + "".join(parts[1]))
SENTENCE = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
MARKER = st.sampled_from(["", " {#cau-1}", " [2 điểm]", " {#q} [3 points]", " [1 point]{#x-2}"])
ANSWERS = st.one_of(
    st.lists(st.tuples(st.sampled_from(["- [x] ", "- [ ] ", "* [X] "]), SENTENCE), min_size=1,
             max_size=5).map(lambda items: "\n".join(a + b for a, b in items)),
    st.lists(st.one_of(NUMBERS, SENTENCE), min_size=1, max_size=3).map(
        lambda items: "\n".join(f"= {item}" for item in items)),
    st.lists(st.tuples(SENTENCE, SENTENCE), min_size=1, max_size=4).map(
        lambda items: "\n".join(f"- {a} -> {b}" for a, b in items)),
)
QUESTION = st.builds(lambda stem, marker, answers, note: f"## {stem}{marker}\n\n{answers}\n{note}\n",
                     SENTENCE, MARKER, ANSWERS, st.sampled_from(["", "\n> giải thích\n> tiếp"]))
QUIZ_LIKE = st.tuples(
    st.sampled_from(["", FRONT, "---\npass_score: 80\ndraw: 2\nreview: never\n---\n", "---\n"]),
    st.one_of(st.lists(QUESTION, max_size=6), st.lists(st.one_of(QUESTION, LINES), max_size=30)),
).map(lambda parts: parts[0] + "\n".join(parts[1]))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_never_raises(text: str) -> None:
    check_any_text(text)


@settings(max_examples=300, deadline=None)
@given(QUIZ_LIKE)
def test_quiz_like_text_never_raises(text: str) -> None:
    check_any_text(text)


@pytest.mark.parametrize("text", [
    "", "\ufeff", "---", "---\n", "---\n---", "---\n---\n", "---\n- a\n---\n",
    "---\na: " + "[" * 1000 + "\n---\n",
    "---\npass_score: " + "9" * 5000 + "\n---\n## Q\n= a\n",
    "---\npass_score: !!timestamp x\n---\n", "## Q [" + "9" * 5000 + " points]\n= a\n",
    "---\npass_score: 80\n---\n## Q\n= " + "9" * 400 + "\n", "## Q\n= \ud800\n", "## \ud800\n= a\n",
])
def test_awkward_inputs_never_raise(text: str) -> None:
    check_any_text(text)
