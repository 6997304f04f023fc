"""Moodle GIFT: every construct parsed, graded as Moodle grades it, exported back, never a crash."""
from __future__ import annotations

import hashlib
import importlib
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnhub.quizzes.bank import (
    Bank,
    Choice,
    NumericAnswer,
    Pair,
    Question,
    QuizProblem,
    QuizSettings,
    TextAnswer,
)
from learnhub.quizzes.gift import export_gift, parse_gift
from learnhub.quizzes.kinds import grade

ROOT = Path(__file__).resolve().parents[2]

RICH = """\
---
pass_score: 70
draw: 12
time_limit: 20
max_attempts: 2
shuffle: false
review: after_pass
points:
  q1: 3
---
// A sample covering every construct LearnHub imports.
$CATEGORY: $course$/Chương 1

::Q1:: [html]Who's buried in <b>Grant's</b> tomb?{
  ~Grant#No, he is not.
  ~Jefferson
  =no one#Right!
  ####The tomb is a mausoleum.
}

// a missing word
Grant is {~buried =entombed ~living} in Grant's tomb.

Grant is buried in Grant's tomb.{FALSE#Think again.#Yes, entombed.}

::tf-t::The sun is a star.{T}

::tf-true::Water is wet.{TRUE####Of course.}

::tf-f::Fire is cold.{F}

Which are primes?{~%50%2 ~%50%3 ~%-100%4#Not a prime.}

[markdown]Pick the best:{=best ~%50%good ~%-100%bad ~worse}

Two plus two equals {=four =%50%4}.

$CATEGORY: $course$/Chương 2

::Thủ đô:: Thủ đô của Việt Nam?{=Hà Nội#Đúng rồi =%50%Ha Noi}

Match the capitals.{
  =Canada -> Ottawa
  =Italy -> Rome
  = -> Paris
  ####Paris is a distractor.
}

When was Grant born?{#1822:5}

Pi to two places?{#3.14}

A number from one to five:{#1..5}

The year, please.{#=1822:0#Exactly. =%50%1822:2#Close.}

Pi, roughly.{#=3.14:0.001 =%50%3.1:0.2}

::esc\\:aped:: Escapes \\~ \\= \\# \\{ \\} \\: and a backslash \\\\ here.{=yes ~no}

[plain]Plain text
on two lines.{=one ~two}
"""


def parse_ok(text: str, **kwargs: bool) -> Bank:
    bank, problems = parse_gift(text, **kwargs)
    assert bank is not None, problems
    return bank


def one(text: str) -> Question:
    (question,) = parse_ok(text).questions
    return question


def errors(text: str, **kwargs: bool) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in parse_gift(text, **kwargs)[1] if p.severity == "error"]


def by_id(bank: Bank) -> dict[str, Question]:
    return {q.id: q for q in bank.questions}


def gift_of(*questions: Question) -> str:
    return export_gift(Bank(QuizSettings(), list(questions)))


# --- constructs --------------------------------------------------------------------------------

def test_rich_sample_parses_every_construct() -> None:
    bank, problems = parse_gift(RICH)
    assert problems == []
    assert bank is not None and bank.format == "gift"
    assert [q.kind for q in bank.questions] == [
        "single", "single", "truefalse", "truefalse", "truefalse", "truefalse", "multiple",
        "single", "short", "short", "matching", "numerical", "numerical", "numerical",
        "numerical", "numerical", "single", "single"]
    assert bank.settings == QuizSettings(pass_score=70, draw=12, time_limit=20, max_attempts=2,
                                         shuffle=False, review="after_pass")


def test_single_choice_with_title_format_feedback_and_general_feedback() -> None:
    q = by_id(parse_ok(RICH))["q1"]
    assert (q.kind, q.title, q.text_format, q.line) == ("single", "Q1", "html", 14)
    assert q.stem == "Who's buried in <b>Grant's</b> tomb?"
    assert [(c.id, c.text, c.weight, c.feedback) for c in q.choices] == [
        ("a", "Grant", 0.0, "No, he is not."), ("b", "Jefferson", 0.0, ""),
        ("c", "no one", 1.0, "Right!")]
    assert q.explanation == "The tomb is a mausoleum."
    assert (q.points, q.category) == (3, "$course$/Chương 1")


def test_single_choice_grades_full_partial_and_negative_weights() -> None:
    q = one("Pick the best:{=best ~%50%good ~%-100%bad ~worse}")
    assert q.kind == "single"
    assert [c.weight for c in q.choices] == [1.0, 0.5, -1.0, 0.0]
    assert [grade(q, choice) for choice in ("a", "b", "c", "d", None)] == [1.0, 0.5, 0.0, 0.0, 0.0]


def test_multiple_answers_are_weighted_and_graded_like_moodle() -> None:
    q = one("Which?{~%50%a ~%50%b ~%-100%c}")
    assert (q.kind, q.all_or_nothing) == ("multiple", False)
    assert [c.weight for c in q.choices] == [0.5, 0.5, -1.0]
    assert grade(q, ["a", "b"]) == 1.0
    assert grade(q, ["a", "c"]) == 0.0  # 0.5 - 1.0, floored at 0
    assert grade(q, ["a"]) == 0.5
    assert grade(q, ["a", "b", "c"]) == 0.0
    assert grade(q, []) == 0.0


@pytest.mark.parametrize(("block", "kind"), [
    ("{~%50%a ~b}", "multiple"),  # the only positive weight is not a full 100
    ("{~%100%a ~%50%b ~c}", "multiple"),  # more than one positive weight
    ("{~%100%a ~b}", "single"),  # one full answer and nothing else positive
    ("{=a ~%50%b ~c}", "single"),  # an '=' answer means one choice
])
def test_which_choice_blocks_are_multiple(block: str, kind: str) -> None:
    assert one(f"Q {block}").kind == kind


@pytest.mark.parametrize(("block", "truth"),
                         [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False)])
def test_true_false(block: str, truth: bool) -> None:
    q = one(f"The sky is blue.{block}")
    assert q.kind == "truefalse"
    assert [(c.id, c.text) for c in q.choices] == [("a", "Đúng"), ("b", "Sai")]
    assert [c.weight for c in q.choices] == ([1.0, 0.0] if truth else [0.0, 1.0])
    assert (grade(q, "a"), grade(q, "b")) == ((1.0, 0.0) if truth else (0.0, 1.0))


def test_true_false_feedback_follows_moodle_wrong_then_right() -> None:
    q = one("Grant is buried.{FALSE#Think again.#Yes, entombed.}")
    assert [(c.text, c.feedback) for c in q.choices] == [
        ("Đúng", "Think again."), ("Sai", "Yes, entombed.")]
    q = one("Water is wet.{TRUE#No.#Yes.####Of course.}")
    assert [(c.text, c.feedback) for c in q.choices] == [("Đúng", "Yes."), ("Sai", "No.")]
    assert q.explanation == "Of course."


def test_short_answer_weights_and_case_insensitive_grading() -> None:
    q = one("Thủ đô của Việt Nam?{=Hà Nội#Đúng rồi =%50%Ha Noi}")
    assert q.kind == "short"
    assert q.answers == [TextAnswer("Hà Nội", 1.0, "Đúng rồi"), TextAnswer("Ha Noi", 0.5)]
    assert grade(q, "  hà   NỘI ") == 1.0
    assert grade(q, "HA NOI") == 0.5
    assert grade(q, "Huế") == 0.0


def test_matching_with_a_distractor_and_partial_credit() -> None:
    q = one("Match.{=Canada -> Ottawa =Italy->Rome = -> Paris}")
    assert q.kind == "matching"
    assert q.pairs == [Pair("Canada", "Ottawa"), Pair("Italy", "Rome"), Pair("", "Paris")]
    assert grade(q, {"0": "0", "1": "1"}) == 1.0
    assert grade(q, {"0": "0", "1": "2"}) == 0.5


@pytest.mark.parametrize("block", ["{=a -> b}", "{=a -> b = -> c}", "{=a -> b =c}", "{=a -> }"])
def test_matching_needs_two_real_pairs_written_left_to_right(block: str) -> None:
    assert [line for line, _ in errors(f"// c\nMatch.\n{block}")] == [2]


def test_missing_word_leaves_a_blank_in_the_stem() -> None:
    q = one("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert (q.kind, q.stem) == ("single", "Grant is ___ in Grant's tomb.")
    assert grade(q, "b") == 1.0
    assert one("Two plus two equals {=four =4}.").stem == "Two plus two equals ___."
    assert one("{=Hà Nội} là thủ đô.").stem == "___ là thủ đô."


def test_numerical_forms_and_tolerance() -> None:
    q = one("Pi?{#3.14:0.01}")
    assert q.kind == "numerical"
    assert q.numeric == [NumericAnswer(value=3.14, tolerance=0.01)]
    assert [grade(q, r) for r in ("3.145", "3,13", "3.2", "pi")] == [1.0, 1.0, 0.0, 0.0]
    assert one("Pi?{#3.14}").numeric == [NumericAnswer(value=3.14, tolerance=0.0)]
    q = one("One to five?{#1..5}")
    assert q.numeric == [NumericAnswer(low=1.0, high=5.0)]
    assert [grade(q, r) for r in ("1", "4,5", "5.5")] == [1.0, 1.0, 0.0]
    q = one("Three?{#=3 =%50%3.1:0.2#close}")
    assert q.numeric == [NumericAnswer(value=3.0),
                         NumericAnswer(value=3.1, tolerance=0.2, weight=0.5, feedback="close")]
    assert [grade(q, r) for r in ("3", "3.25", "4")] == [1.0, 0.5, 0.0]


def test_numerical_wrong_answer_feedback_is_a_warning() -> None:
    bank, problems = parse_gift("Year?{#=1822 ~#Look it up.}")
    assert bank is not None
    assert [(p.line, p.severity) for p in problems] == [(1, "warning")]


def test_escapes_are_unescaped_in_the_data_and_escaped_again_on_export() -> None:
    q = one(r"::a\:b:: Escapes \~ \= \# \{ \} \: and \\ here.{=y\=es#f\#b ~n\~o}")
    assert q.title == "a:b"
    assert q.stem == "Escapes ~ = # { } : and \\ here."
    assert [(c.text, c.feedback) for c in q.choices] == [("y=es", "f#b"), ("n~o", "")]
    text = gift_of(q)
    assert r"Escapes \~ \= \# \{ \} \: and \\ here." in text
    assert r"=y\=es#f\#b" in text and r"~n\~o" in text
    assert parse_ok(text).questions[0].stem == q.stem


def test_categories_are_kept_as_tags_and_written_only_when_they_change() -> None:
    bank = parse_ok("$CATEGORY: A\n\nQ1 {T}\n\nQ2 {F}\n\n$CATEGORY: B/C\n\nQ3 {T}\n")
    assert [q.category for q in bank.questions] == ["A", "A", "B/C"]
    text = export_gift(bank)
    assert text.count("$CATEGORY: A\n") == 1 and text.count("$CATEGORY: B/C\n") == 1
    assert [q.category for q in parse_ok(text).questions] == ["A", "A", "B/C"]


def test_ids_come_from_the_title_or_the_stem() -> None:
    assert one("::Câu hỏi Một!:: Q {T}").id == "cau-hoi-mot"
    q = one("Chỉ thị số 05-CT/TW ban hành năm nào? {#2016}")
    digest = hashlib.sha1("Chỉ thị số 05-CT/TW ban hành năm nào?".encode()).hexdigest()[:6]
    assert q.id == f"chi-thi-so-05-ct-tw-ban-hanh-nam-nao-{digest}"
    assert len(one(("word " * 40) + "{T}").id) <= 60 + 7


def test_repeated_titles_get_unique_ids_as_in_moodle() -> None:
    bank, problems = parse_gift("::a:: Q {T}\n\n::a:: R {F}\n\n::a-2:: S {T}\n\nT {T}\n\nT {T}\n")
    assert problems == [] and bank is not None
    assert [q.id for q in bank.questions][:3] == ["a", "a-3", "a-2"]  # 'a-2' stays its own title's
    assert bank.questions[4].id == bank.questions[3].id + "-2"
    assert [q.title for q in bank.questions][:2] == ["a", "a"]


def test_comments_crlf_bom_and_nfc() -> None:
    decomposed = "Vie\u0302\u0323t Nam?"
    bank = parse_ok("\ufeff// comment\r\n" + decomposed + "\r\n{T}\r\n\r\n// only a comment\r\n")
    (q,) = bank.questions
    assert (q.stem, q.line) == ("Việt Nam?", 2)


def test_a_question_on_several_lines_keeps_them() -> None:
    plain = next(q for q in parse_ok(RICH).questions if q.text_format == "plain")
    assert plain.stem == "Plain text\non two lines."


# --- unsupported and malformed -----------------------------------------------------------------

def test_essay_and_description_are_reported_by_name_and_line() -> None:
    text = "Q {T}\n\n// essay\n::Opinion:: What do you think?{}\n\nJust a description.\n"
    bank, problems = parse_gift(text)
    assert bank is None
    assert [(p.line, p.message, p.severity) for p in problems] == [
        (4, "essay questions cannot be graded: Opinion", "error"),
        (6, "descriptions without an answer block cannot be graded: Just a description.", "error")]


def test_skip_unsupported_turns_them_into_warnings_and_skips_them() -> None:
    text = "Q {T}\n\nWhat do you think?{####general}\n\nJust a description.\n"
    bank, problems = parse_gift(text, skip_unsupported=True)
    assert bank is not None and [q.stem for q in bank.questions] == ["Q"]
    assert [(p.line, p.severity) for p in problems] == [(3, "warning"), (5, "warning")]
    assert problems[0].message.startswith("essay questions cannot be graded: What do you think?")


@pytest.mark.parametrize("block", [
    "{=a ~b", "{abc}", "{~}", "{ ~ }", "{~a ~b}", "{=a} {=b}", "} {", "{~%abc%a =b}",
    "{~%150%a =b}", "{#abc}", "{#5..1}", "{#1:-1}", "{#}", "{~only}", "{=%0%a}",
])
def test_malformed_blocks_are_errors_at_the_question_line(block: str) -> None:
    found = errors(f"Q1 {{T}}\n\n// comment\n// another\nThe question\n{block}\n")
    assert [line for line, _ in found] == [5], found


def test_messages_are_short_english_starting_lower_case() -> None:
    problems = parse_gift("---\npass_score: 0\n---\nQ {=a ~b\n\nR {abc}\n\nS {}\n")[1]
    assert len(problems) == 4
    assert all(p.message[0].islower() and len(p.message) < 120 for p in problems)


# --- front matter ------------------------------------------------------------------------------

def test_front_matter_defaults_for_gift() -> None:
    assert parse_ok("Q {T}\n").settings == QuizSettings(
        pass_score=80, draw=None, time_limit=None, max_attempts=None, shuffle=True, review="always")


def test_front_matter_problems_at_their_key_line() -> None:
    text = ("---\npass_score: 0\ndraw: 3\ntime_limit: -1\nmax_attempts: x\nshuffle: maybe\n"
            "review: later\npoints:\n  a: 2\n  nope: 2\n  b: 0\ncolour: red\n---\n"
            "::a:: Q {T}\n\n::b:: R {F}\n")
    bank, problems = parse_gift(text)
    assert bank is None
    assert [(p.line, p.severity) for p in problems] == [
        (2, "error"), (3, "error"), (4, "error"), (5, "error"), (6, "error"), (7, "error"),
        (10, "error"), (11, "error"), (12, "warning")]
    assert problems[0].message == "pass_score must be a whole number from 1 to 100"


def test_front_matter_yaml_errors_and_unclosed_front_matter() -> None:
    assert errors("---\npass_score: [\n---\nQ {T}\n")[0][0] in (2, 3)
    assert errors("---\npass_score: 80\nQ {T}\n") == [
        (1, "the front matter is not closed by a '---' line")]
    assert errors("---\nday: 2001-13-45\n---\nQ {T}\n")[0][0] == 2  # the line of the bad date


def test_points_are_read_from_the_front_matter() -> None:
    bank = parse_ok("---\npoints:\n  a: 2\n---\n::a:: Q {T}\n\n::b:: R {F}\n")
    assert [(q.points, q.line) for q in bank.questions] == [(2, 5), (1, 7)]


# --- export ------------------------------------------------------------------------------------

def small_bank() -> Bank:
    return Bank(QuizSettings(pass_score=75, time_limit=10, review="never"), [
        Question("nam", "numerical", "Năm nào?", points=2, numeric=[NumericAnswer(value=2016)],
                 explanation="Năm 2016."),
        Question("chon", "single", "Chọn: một", category="Chương 1",
                 choices=[Choice("a", "Một", 1.0, "Đúng"), Choice("b", "Hai")]),
    ])


def test_export_is_exact_and_deterministic() -> None:
    expected = (
        "---\npass_score: 75\ntime_limit: 10\nshuffle: true\nreview: never\n"
        "points:\n  \"nam\": 2\n---\n\n"
        "::nam::[markdown]Năm nào? {#2016####Năm 2016.}\n\n"
        "$CATEGORY: Chương 1\n\n"
        "::chon::[markdown]Chọn\\: một {\n\t=Một#Đúng\n\t~Hai\n}\n"
    )
    assert export_gift(small_bank()) == expected
    assert export_gift(small_bank()) == export_gift(small_bank())
    bank = parse_ok(expected)
    assert [(q.id, q.points) for q in bank.questions] == [("nam", 2), ("chon", 1)]


def test_weights_are_written_when_not_0_or_100_and_on_every_answer_of_a_multiple() -> None:
    text = export_gift(parse_ok(
        "Q {=a ~%50%b ~c ~%-100%d}\n\nR {~%33.333333%a ~%66.666667%b ~%-50%c ~%0%d}\n"))
    assert "\t=a\n\t~%50%b\n\t~c\n\t~%-100%d\n" in text
    assert "\t~%33.33333%a\n\t~%66.66667%b\n\t~%-50%c\n\t~%0%d\n" in text


def test_all_or_nothing_multiple_from_quiz_md_exports_as_shared_weights() -> None:
    q = Question("m", "multiple", "Which?", choices=[
        Choice("a", "x", 1.0), Choice("b", "y", 1.0), Choice("c", "z", 1.0), Choice("d", "w", 0.0)])
    text = gift_of(q)
    assert "\t~%33.33333%x\n\t~%33.33333%y\n\t~%33.33333%z\n\t~%-100%w\n" in text
    back = parse_ok(text).questions[0]
    assert (back.kind, back.all_or_nothing) == ("multiple", False)
    assert grade(back, ["a", "b", "c"]) == pytest.approx(1.0, abs=1e-6)  # 3 x 33.33333%, as Moodle
    assert grade(back, ["a", "b"]) == pytest.approx(2 / 3, abs=1e-6)
    assert grade(back, ["a", "b", "c", "d"]) == 0.0


def test_missing_word_is_exported_in_place_of_the_blank() -> None:
    q = Question("mw", "short", "Phương thức ___ quan trọng.", answers=[TextAnswer("lãnh đạo")])
    text = gift_of(q)
    assert "::mw::[markdown]Phương thức {\n\t=lãnh đạo\n} quan trọng.\n" in text
    assert parse_ok(text).questions[0].stem == q.stem


def test_numerical_export_forms() -> None:
    q = Question("n", "numerical", "N?", numeric=[
        NumericAnswer(value=3.0), NumericAnswer(low=1.5, high=2.5, weight=0.5)])
    assert "{#\n\t=3\n\t=%50%1.5..2.5\n}" in gift_of(q)
    q.numeric = [NumericAnswer(value=3.14, tolerance=0.01, feedback="ok")]
    assert "{#3.14:0.01#ok}" in gift_of(q)


# --- round trips -------------------------------------------------------------------------------

def semantics(bank: Bank) -> list[tuple]:
    return [(q.id, q.kind, q.stem, q.points, q.choices, q.answers, q.numeric, q.pairs,
             q.explanation, q.category, q.text_format, q.all_or_nothing) for q in bank.questions]


def test_rich_sample_round_trips() -> None:
    first = parse_ok(RICH)
    text = export_gift(first)
    again = parse_ok(text)
    assert semantics(again) == semantics(first)
    assert again.settings == first.settings
    assert export_gift(again) == text
    assert export_gift(parse_ok(export_gift(again))) == text


def shipped_quiz_md_banks() -> list[object]:
    """The shipped courses' quiz.md banks, when the quiz.md parser exists."""
    try:
        quiz_md = importlib.import_module("learnhub.quizzes.quiz_md")
    except ImportError:
        return []
    params = []
    for path in sorted(ROOT.glob("courses/*/quiz.md")):
        result = quiz_md.parse_quiz_md(path.read_text(encoding="utf-8"))
        bank = result[0] if isinstance(result, tuple) else result
        params.append(pytest.param(bank, id=path.parent.name))
    return params


def hand_built_bank() -> Bank:
    """Questions like the shipped chi-thi-05-ct-tw quiz.md's, as its parser gives them."""
    def choices(*texts: str, right: tuple[int, ...] = (0,)) -> list[Choice]:
        return [Choice(chr(97 + i), t, 1.0 if i in right else 0.0) for i, t in enumerate(texts)]

    return Bank(QuizSettings(pass_score=80, draw=9, time_limit=15, max_attempts=3), [
        Question("co-quan-ban-hanh", "single", "Chỉ thị số 05-CT/TW do cơ quan nào ban hành?",
                 choices=choices("Bộ Chính trị", "Ban Bí thư", "Ban Tuyên giáo Trung ương"),
                 explanation="Chỉ thị số 05-CT/TW do Bộ Chính trị khóa XII ban hành."),
        Question("nam-ban-hanh", "numerical", "Chỉ thị được ban hành vào năm nào? (chỉ nhập số)",
                 numeric=[NumericAnswer(value=2016.0)]),
        Question("khoa-ban-hanh", "short", "Khóa mấy? (ghi bằng chữ số La Mã, ví dụ: X)",
                 answers=[TextAnswer("XII"), TextAnswer("khóa XII"), TextAnswer("12")]),
        Question("ba-mat-hoc-tap", "multiple", "Học tập những mặt nào? (chọn tất cả đáp án đúng)",
                 choices=choices("Tư tưởng", "Đạo đức", "Phong cách", "Chỉ riêng tấm gương",
                                 right=(0, 1, 2))),
        Question("nhiem-vu-thuong-xuyen", "truefalse", "Là nhiệm vụ thường xuyên.",
                 choices=choices("Đúng", "Sai")),
        Question("cham-dut", "truefalse", "Kết luận số 01-KL/TW đã chấm dứt Chỉ thị.",
                 choices=choices("Đúng", "Sai", right=(1,)), explanation="Không."),
        Question("trach-nhiem-neu-guong", "short", "Trách nhiệm ___ của cán bộ, đảng viên.",
                 answers=[TextAnswer("nêu gương"), TextAnswer("neu guong")]),
        Question("noi-cac-van-ban", "matching", "Nối mỗi văn bản với năm ban hành", points=2,
                 pairs=[Pair("Chỉ thị số 06-CT/TW", "Năm 2006, Bộ Chính trị khóa X"),
                        Pair("Chỉ thị số 03-CT/TW", "Năm 2011, Bộ Chính trị khóa XI")]),
        Question("ty-le", "numerical", "Tỷ lệ? = 98 ± 1",
                 numeric=[NumericAnswer(value=98.0, tolerance=1.0),
                          NumericAnswer(low=97.0, high=99.0)]),
    ])


def best_response(q: Question) -> object:
    if q.kind in ("single", "truefalse"):
        return max(q.choices, key=lambda c: c.weight).id
    if q.kind == "multiple":
        return [c.id for c in q.choices if c.correct]
    if q.kind == "matching":
        return {str(i): str(i) for i, p in enumerate(q.pairs) if p.left}
    if q.kind == "numerical":
        n = q.numeric[0]
        return str(n.value if n.value is not None else n.low)
    return q.answers[0].text


@pytest.mark.parametrize("bank", [
    pytest.param(hand_built_bank(), id="hand-built"), pytest.param(small_bank(), id="small"),
    *shipped_quiz_md_banks(),
])
def test_banks_round_trip_through_gift(bank: Bank) -> None:
    assert bank is not None
    text = export_gift(bank)
    back = parse_ok(text)
    assert export_gift(back) == text
    assert [(q.id, q.kind, q.points, q.stem) for q in back.questions] == [
        (q.id, q.kind, q.points, q.stem) for q in bank.questions]
    assert back.settings == bank.settings
    for before, after in zip(bank.questions, back.questions, strict=False):
        best = best_response(before)
        assert grade(after, best) == pytest.approx(grade(before, best), abs=1e-6)


# --- properties --------------------------------------------------------------------------------

TEXT = st.text(st.sampled_from(list("abyĐđăêôơư á01 ") + list("~=#{}:\\%_-/$[]!\n\t")),
               min_size=1, max_size=12).filter(str.strip)  # no '>': '->' would make a pair
FEEDBACK = st.one_of(st.just(""), TEXT)
WEIGHTS = st.sampled_from([1.0, 0.0, 0.5, -1.0, 0.25, 1 / 3, -0.5, 0.1])
NUMBERS = st.one_of(st.integers(-5000, 5000).map(float),
                    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
POSITIVE_WEIGHTS = st.lists(WEIGHTS, min_size=1, max_size=4).filter(lambda ws: max(ws) > 0)
KINDS = ["single", "multiple", "truefalse", "short", "numerical", "matching"]


def numeric_answer(draw: st.DrawFn, weight: float) -> NumericAnswer:
    if draw(st.booleans()):
        answer = NumericAnswer(value=draw(NUMBERS), tolerance=draw(st.floats(0, 100)))
    else:
        low = draw(NUMBERS)
        answer = NumericAnswer(low=low, high=low + draw(st.integers(0, 10)))
    answer.weight, answer.feedback = weight, draw(FEEDBACK)
    return answer


@st.composite
def questions(draw: st.DrawFn, index: int) -> Question:
    kind = draw(st.sampled_from(KINDS))
    stem = draw(st.one_of(TEXT, st.builds(lambda a, b: f"{a}___{b}", TEXT, TEXT)))
    q = Question(draw(st.sampled_from([f"q-{index}", f"Câu {index}", f"Q{index}!"])), kind, stem,
                 points=draw(st.integers(1, 3)), explanation=draw(FEEDBACK),
                 category=draw(st.sampled_from(["", "a/b", "Chương 1"])),
                 text_format=draw(st.sampled_from(["markdown", "html", "plain", "moodle"])))
    if kind in ("single", "multiple"):
        weights = draw(POSITIVE_WEIGHTS.filter(lambda ws: len(ws) > 1))
        q.all_or_nothing = kind == "single" or draw(st.booleans())
        if kind == "multiple" and q.all_or_nothing:
            weights = [1.0 if w > 0 else 0.0 for w in weights]
        q.choices = [Choice(chr(97 + i), draw(TEXT), w, draw(FEEDBACK))
                     for i, w in enumerate(weights)]
    elif kind == "truefalse":
        truth = draw(st.booleans())
        q.choices = [Choice("a", "Đúng", float(truth), draw(FEEDBACK)),
                     Choice("b", "Sai", float(not truth), draw(FEEDBACK))]
    elif kind == "short":
        q.answers = [TextAnswer(draw(TEXT), w, draw(FEEDBACK)) for w in draw(POSITIVE_WEIGHTS)]
    elif kind == "numerical":
        q.numeric = [numeric_answer(draw, w) for w in draw(POSITIVE_WEIGHTS)]
    else:
        q.pairs = [Pair(draw(TEXT), draw(TEXT)) for _ in range(draw(st.integers(2, 4)))]
        q.pairs += [Pair("", draw(TEXT)) for _ in range(draw(st.integers(0, 2)))]
    return q


@st.composite
def banks(draw: st.DrawFn) -> Bank:
    count = draw(st.integers(1, 4))
    optional = st.one_of(st.none(), st.integers(1, 60))
    quiz = QuizSettings(pass_score=draw(st.integers(1, 100)),
                        draw=draw(st.one_of(st.none(), st.integers(1, count))),
                        time_limit=draw(optional), max_attempts=draw(optional),
                        shuffle=draw(st.booleans()),
                        review=draw(st.sampled_from(["always", "after_pass", "never"])))
    return Bank(quiz, [draw(questions(i)) for i in range(count)])


@settings(max_examples=300, deadline=None)
@given(banks())
def test_any_bank_exports_to_gift_that_reads_back_to_the_same_text(bank: Bank) -> None:
    text = export_gift(bank)
    back, problems = parse_gift(text)
    assert back is not None, (problems, text)
    assert export_gift(back) == text
    assert [q.points for q in back.questions] == [q.points for q in bank.questions]


FRAGMENTS = st.sampled_from([
    "::", "{", "}", "=", "~", "%50%", "%-100%", "%abc%", "#", "####", "->", "T", "FALSE", "\\~",
    "\\", "\\n", "$CATEGORY: x", "//", "[html]", "[markdown]", "\n", "\n\n", " ", "---", "---\n",
    "pass_score: 5\n", "points:\n  a: 2\n", "draw: 1\n", "..", ":", "3.14", "-2", "1e999", "word",
    "Đúng", "___", "\r\n", "\ufeff", "a", "b",
])
PIECES = st.one_of(FRAGMENTS, st.integers(-1000, 1000).map(str), st.text(max_size=4))
WORDS = st.sampled_from(["a", "b c", "Đúng", "3.14", "1..5", "2:0.5", "x -> y", " -> z", "\\~",
                         "\\#", "___", "T", "%50%", ":", "", " ", "\n"])
MARKS = st.sampled_from(["=", "~", "=%50%", "~%50%", "~%-100%", "~%100%", "#", "#=", "T"])
ANSWERS = st.lists(st.builds(lambda mark, word, feedback: mark + word + feedback, MARKS, WORDS,
                             st.sampled_from(["", "", "#fb", "#", "####g"])),
                   max_size=4).map(" ".join)
TRUE_FALSE = st.builds(lambda word, feedback: word + feedback,
                       st.sampled_from(["T", "TRUE", "F", "FALSE"]),
                       st.sampled_from(["", "#x", "#x#y", "##y", "####g", "#\\#x####g"]))
MATCHES = st.lists(st.sampled_from(["=a -> b", "=c->d", "= -> e", "=\\= -> \\{", "=x -> y -> z",
                                    "=f -> g#h"]), min_size=1, max_size=4).map(" ".join)
NUMERIC = st.lists(st.builds(lambda mark, number: mark + number,
                             st.sampled_from(["=", "=%50%", "=%-10%", ""]),
                             st.sampled_from(["3", "3.14:0.01", "1..5", "-2..-1", "1e-05", "5..1",
                                              "x", "2#ok"])),
                   min_size=1, max_size=3).map(lambda items: "#" + " ".join(items))
QUESTIONS = st.builds(lambda title, stem, block, tail: f"{title}{stem} {{{block}}}{tail}",
                      st.sampled_from(["", "::t::", "::Đề 1::", "[html]", "::x:: [plain]",
                                       "// c\n"]),
                      st.one_of(WORDS, PIECES), st.one_of(ANSWERS, TRUE_FALSE, MATCHES, NUMERIC),
                      st.sampled_from(["", "", " tail.", "\n// c"]))
GIFTISH = st.one_of(
    st.lists(PIECES, max_size=40).map("".join),
    st.lists(st.one_of(QUESTIONS, QUESTIONS, PIECES), min_size=1, max_size=6).map("\n\n".join),
    st.lists(QUESTIONS, min_size=1, max_size=4).map("\n\n".join),
)


def check_never_raises(text: str) -> None:
    for skip in (False, True):
        bank, problems = parse_gift(text, skip_unsupported=skip)
        assert all(isinstance(p, QuizProblem) for p in problems)
        assert all(1 <= p.line <= len(text.splitlines()) + 1 for p in problems), problems
        assert [p.line for p in problems] == sorted(p.line for p in problems)
        assert (bank is None) == any(p.severity == "error" for p in problems)
        assert all(re.match(r"[a-z'\"]", p.message) for p in problems), problems
        if bank is not None:  # whatever reads as a bank exports to GIFT that reads back the same
            exported = export_gift(bank)
            assert export_gift(parse_ok(exported)) == exported


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_parse_never_raises_on_any_text(text: str) -> None:
    check_never_raises(text)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(GIFTISH)
def test_parse_never_raises_on_gift_like_text(text: str) -> None:
    check_never_raises(text)
