"""Writing banks as quiz.md: exact round trips, stable text, and refusals for what quiz.md cannot say."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnhub.quizzes.bank import (
    Bank,
    Choice,
    NumericAnswer,
    Pair,
    Question,
    QuizSettings,
    TextAnswer,
)
from learnhub.quizzes.gift import export_gift, parse_gift
from learnhub.quizzes.quiz_md import parse_quiz_md
from learnhub.quizzes.quiz_md_writer import NotRepresentable, export_quiz_md
from learnhub.quizzes.review import WANTED as REVIEW_WANTED

ROOT = Path(__file__).resolve().parents[2]

# The example of docs/course-format.md, section "quiz.md", with draw: 4 (its draw: 10 exceeds its
# four questions, an error by the format's own rules).
DOC_EXAMPLE = """\
---
pass_score: 80        # percent of the maximum score needed to pass; required
draw: 4               # questions drawn at random per attempt; default: all questions
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

# GIFT questions quiz.md can express (most taken from tests/quizzes/test_gift.py).
GIFT_OK = [
    "::tf-t::The sun is a star.{T}",
    "::tf-true::Water is wet.{TRUE####Of course.}",
    "::tf-f::Fire is cold.{F}",
    "// a missing word\nGrant is {~buried =entombed ~living} in Grant's tomb.",
    "Two plus two equals {=four =4}.",
    "::Thủ đô:: Thủ đô của Việt Nam?{=Hà Nội =Ha Noi}",
    "Match the capitals.{\n  =Canada -> Ottawa\n  =Italy -> Rome\n  ####Các thủ đô.\n}",
    "When was Grant born?{#1822:5}",
    "Pi to two places?{#3.14}",
    "A number from one to five:{#1..5}",
    "Pi, roughly.{#=3.14:0.001 =3.1:0.2}",
    "::esc\\:aped:: Escapes \\~ \\= \\# \\{ \\} \\: and a backslash \\\\ here.{=yes ~no}",
    "[markdown]Pick the best:{=best ~good ~worse}",
    "[plain]Plain text, 2 + 2 = 4?{=yes ~no}",
    "Chỉ thị số 05-CT/TW ban hành năm nào? {#2016}",
    "::Câu hỏi Một!:: Paragraph one.\\n\\nParagraph two.{=a ~b}",
]


# --- helpers -----------------------------------------------------------------------------------

def numeric_key(n: NumericAnswer) -> tuple[Any, ...]:
    if n.low is not None and n.high is not None:
        return ("range", n.low, n.high, n.weight, n.feedback)
    return ("value", n.value, n.tolerance, n.weight, n.feedback)


def significant(q: Question) -> tuple[Any, ...]:
    """What a quiz.md round trip must keep: everything but line, title, category, text format."""
    return (q.id, q.kind, q.stem, q.points, q.explanation,
            [(c.id, c.text, c.weight, c.feedback) for c in q.choices],
            q.all_or_nothing if q.kind == "multiple" else None,
            [(a.text, a.weight, a.feedback) for a in q.answers],
            [numeric_key(n) for n in q.numeric], [(p.left, p.right) for p in q.pairs])


def semantics(bank: Bank) -> tuple[QuizSettings, list[tuple[Any, ...]]]:
    return bank.settings, [significant(q) for q in bank.questions]


def read_md(text: str) -> Bank:
    bank, problems = parse_quiz_md(text)
    assert problems == [], (problems, text)
    assert bank is not None
    return bank


def read_gift(text: str) -> Bank:
    bank, problems = parse_gift(text)
    assert bank is not None, problems
    return bank


def round_trip(bank: Bank) -> str:
    """Export, read back, compare; the text is stable on a second pass."""
    text = export_quiz_md(bank)
    back = read_md(text)
    assert semantics(back) == semantics(bank), text
    assert export_quiz_md(back) == text
    return text


def bank_of(*questions: Question, **settings: Any) -> Bank:
    return Bank(QuizSettings(**settings), list(questions))


def refusal(*questions: Question) -> list[tuple[int, str]]:
    with pytest.raises(NotRepresentable) as caught:
        export_quiz_md(bank_of(*questions))
    return caught.value.reasons


def choices(*texts: str, right: tuple[int, ...] = (0,)) -> list[Choice]:
    return [Choice(chr(97 + i), t, 1.0 if i in right else 0.0) for i, t in enumerate(texts)]


def single(stem: str = "Câu hỏi?", qid: str = "q", **fields: Any) -> Question:
    fields.setdefault("choices", choices("Một", "Hai"))
    return Question(qid, "single", stem, **fields)


# --- exact text --------------------------------------------------------------------------------

EXPECTED = """\
---
pass_score: 70
draw: 2
max_attempts: 5
shuffle: false
review: after_pass
---

## Năm nào? {#nam} [2 điểm]

Chỉ nhập số.
Không nhập chữ.

= 2016
= 98.5 ± 0.5
= -1..0.0000001

> Năm 2016.
>
> Xem thêm.

## Trời xanh. {#dung-sai}

- [x] Đúng
- [ ] Sai

## Nối {#noi}

- Một -> 1 -> một
- Hai -> 2

## Điền ___ vào. {#tu}

= lãnh đạo
= lanh dao

## Chọn {#nhieu} [3 điểm]

- [x] A
- [x] B
- [ ] C
"""


def expected_bank() -> Bank:
    return bank_of(
        Question("nam", "numerical", "Năm nào?\n\nChỉ nhập số.\nKhông nhập chữ.", points=2,
                 numeric=[NumericAnswer(value=2016.0), NumericAnswer(value=98.5, tolerance=0.5),
                          NumericAnswer(low=-1.0, high=1e-07)],
                 explanation="Năm 2016.\n\nXem thêm."),
        Question("dung-sai", "truefalse", "Trời xanh.", choices=choices("Đúng", "Sai")),
        Question("noi", "matching", "Nối", pairs=[Pair("Một", "1 -> một"), Pair("Hai", "2")]),
        Question("tu", "short", "Điền ___ vào.",
                 answers=[TextAnswer("lãnh đạo"), TextAnswer("lanh dao")]),
        Question("nhieu", "multiple", "Chọn", points=3, choices=choices("A", "B", "C", right=(0, 1))),
        pass_score=70, draw=2, max_attempts=5, shuffle=False, review="after_pass")


def test_export_writes_the_exact_canonical_text() -> None:
    assert export_quiz_md(expected_bank()) == EXPECTED
    assert round_trip(expected_bank()) == EXPECTED


def test_export_is_deterministic() -> None:
    texts = {export_quiz_md(expected_bank()) for _ in range(3)}
    assert len(texts) == 1
    assert export_quiz_md(read_md(EXPECTED)) == EXPECTED


def test_settings_are_written_in_a_fixed_order_with_optional_ones_only_when_set() -> None:
    text = export_quiz_md(bank_of(single(), pass_score=55, draw=1, time_limit=20, max_attempts=2))
    assert text.startswith("---\npass_score: 55\ndraw: 1\ntime_limit: 20\nmax_attempts: 2\n"
                           "shuffle: true\nreview: always\n---\n\n## ")
    text = export_quiz_md(bank_of(single()))
    assert text.startswith("---\npass_score: 80\nshuffle: true\nreview: always\n---\n\n## ")


# --- round trips of real banks -----------------------------------------------------------------

def test_the_format_docs_example_round_trips() -> None:
    bank = read_md(DOC_EXAMPLE)
    text = round_trip(bank)
    # Derived ids are written, so they stay the same whatever the stem becomes later.
    assert "{#nhung-giai-phap-nao-duoc-neu-trong-bai-chon-tat-ca-dap-an-du-535f48}" in text
    assert [q.line for q in read_md(text).questions] == [10, 18, 24, 28]


@pytest.mark.parametrize("path", sorted(ROOT.glob("courses/*/quiz.md")),
                         ids=lambda path: path.parent.name)
def test_shipped_course_banks_round_trip(path: Path) -> None:
    bank = read_md(path.read_text(encoding="utf-8"))
    round_trip(bank)


def test_gift_questions_quiz_md_can_express_round_trip() -> None:
    bank = read_gift("\n\n".join(GIFT_OK))
    text = round_trip(bank)
    back = read_md(text)
    assert [q.id for q in back.questions] == [q.id for q in bank.questions]
    assert "## Grant is ___ in Grant's tomb. {#grant-is-in-grant-s-tomb-3d4eec}" in text
    assert "## Escapes ~ = # { } : and a backslash \\ here. {#esc-aped}" in text
    assert "= 1822 ± 5\n" in text and "= 1..5\n" in text and "= 3.14 ± 0.001\n" in text
    assert "## Paragraph one. {#cau-hoi-mot}\n\nParagraph two.\n\n- [x] a\n" in text
    assert "- [x] Đúng\n- [ ] Sai\n\n> Of course." in text


def test_gift_settings_and_points_become_front_matter_and_heading_markers() -> None:
    gift = ("---\npass_score: 60\ndraw: 2\nreview: never\npoints:\n  a: 3\n---\n"
            "$CATEGORY: Chương 1\n\n::a:: Q {T}\n\n::b:: R {F}\n")
    bank = read_gift(gift)
    text = round_trip(bank)
    assert text == ("---\npass_score: 60\ndraw: 2\nshuffle: true\nreview: never\n---\n\n"
                    "## Q {#a} [3 điểm] [chủ đề: Chương 1]\n\n- [x] Đúng\n- [ ] Sai\n\n"
                    "## R {#b} [chủ đề: Chương 1]\n\n- [ ] Đúng\n- [x] Sai\n")


def test_categories_are_kept_and_titles_dropped_without_a_refusal() -> None:
    bank = read_gift("$CATEGORY: $course$/Chương 1\n\n::Thủ đô!:: Thủ đô?{=Hà Nội}\n")
    assert (bank.questions[0].category, bank.questions[0].title) == ("$course$/Chương 1", "Thủ đô!")
    back = read_md(round_trip(bank))
    assert (back.questions[0].id, back.questions[0].category, back.questions[0].title) == (
        "thu-do", "$course$/Chương 1", "")


def test_quiz_md_to_gift_and_back_keeps_every_kind_but_weighted_multiple() -> None:
    bank = read_md(DOC_EXAMPLE)
    back = read_gift(export_gift(bank))
    with pytest.raises(NotRepresentable) as caught:
        export_quiz_md(back)
    # GIFT has no all-or-nothing: the multiple question came back weighted (1/2, 1/2 and -1 for
    # the wrong choice), and only it is refused.
    name = "question 'nhung-giai-phap-nao-duoc-neu-trong-bai-chon-tat-ca-dap-an-du-535f48' (line 17)"
    assert caught.value.reasons == [
        (17, f"{name}: negative weights cannot be written in quiz.md"),
        (17, f"{name}: partial-credit weights cannot be written in quiz.md (a choice is right or "
             "wrong, multiple answers score all-or-nothing)")]
    back.questions[1] = bank.questions[1]
    round_trip(back)


# --- what can be written despite looking like syntax ---------------------------------------------

@pytest.mark.parametrize("stem", [
    "- [x] looks like a choice", "= looks like an answer", "> looks like a quote",
    "## looks like a heading", "a -> b", "* [ ] x", "Ends with {#other-id}", "Ends with [3 điểm]",
    "Ends with [2 points] {#x}", "[3 điểm]", "Câu 1.\n\n> A quote in the stem.\n\n- a list item",
    "Line one\n\nLine two\nline three\n\n    indented code", "Tab\tinside", "Blank ___ here",
])
def test_stems_that_look_like_syntax_round_trip(stem: str) -> None:
    round_trip(bank_of(single(stem)))
    round_trip(bank_of(single(stem, points=4)))


def test_a_first_line_ending_like_a_points_marker_gets_an_explicit_one() -> None:
    text = export_quiz_md(bank_of(single("Ends with [3 điểm]")))
    assert "## Ends with [3 điểm] {#q} [1 điểm]\n" in text


@pytest.mark.parametrize("text", [
    "a -> b", "= x", "> y", "## z", "- [x] w", "[x] v", "{#id}", "±", "1..2", "Đúng và Sai",
])
def test_answer_texts_that_look_like_syntax_round_trip(text: str) -> None:
    round_trip(bank_of(single(choices=choices(text, "khác"))))
    round_trip(bank_of(Question("s", "short", "S?", answers=[TextAnswer(text), TextAnswer("x")])))
    round_trip(bank_of(Question("m", "matching", "M?", pairs=[Pair("a", text), Pair("b", "c")])))


def test_explanations_that_look_like_syntax_round_trip() -> None:
    explanation = "## not a heading\n- [x] not a choice\n= not an answer\n\n>  nested quote\n  indented"
    text = round_trip(bank_of(single(explanation=explanation)))
    assert "> ## not a heading\n> - [x] not a choice\n> = not an answer\n>\n> >  nested quote\n" in text


@pytest.mark.parametrize(("value", "written"), [
    (NumericAnswer(value=1e-07), "0.0000001"), (NumericAnswer(value=1e16), "10000000000000000"),
    (NumericAnswer(value=-2.5, tolerance=0.25), "-2.5 ± 0.25"), (NumericAnswer(value=0.1), "0.1"),
    (NumericAnswer(low=-5.0, high=-1.0), "-5..-1"), (NumericAnswer(low=0.5, high=0.5), "0.5..0.5"),
    (NumericAnswer(value=3.0, tolerance=0.0), "3"),
])
def test_numbers_are_written_without_exponents_and_read_back_exactly(
    value: NumericAnswer, written: str
) -> None:
    text = round_trip(bank_of(Question("n", "numerical", "N?", numeric=[value])))
    assert f"\n= {written}\n" in text


def test_plain_text_is_written_when_markdown_renders_it_the_same() -> None:
    bank = read_gift("[plain]Thủ đô (Hà Nội) có 30 quận, huyện?{=Đúng vậy ~Không}\n")
    back = read_md(export_quiz_md(bank))
    assert (back.questions[0].stem, back.questions[0].text_format) == (
        "Thủ đô (Hà Nội) có 30 quận, huyện?", "markdown")


def test_text_is_written_in_nfc() -> None:
    decomposed = "Vie\u0302\u0323t Nam?"
    text = export_quiz_md(bank_of(single(decomposed)))
    assert "## Việt Nam? {#q}" in text and unicodedata.is_normalized("NFC", text)


# --- refusals ----------------------------------------------------------------------------------

GIFT_REFUSED = [
    ("Pick the best:{=best ~%50%good ~worse}", "partial-credit weights"),
    ("Pick:{=best ~%-100%bad}", "negative weights"),
    ("Which are primes?{~%50%2 ~%50%3 ~%-100%4}", "partial-credit weights"),
    ("Which?{~%50%a ~%50%b ~c}", "partial-credit weights"),
    ("Who?{=Grant#Right! ~Lee}", "per-answer feedback"),
    ("Sky is blue.{T#No.#Yes.}", "per-answer feedback"),
    ("Thủ đô?{=Hà Nội =%50%Ha Noi}", "answers worth other than 100%"),
    ("Year?{#=1822 =%50%1821}", "answers worth other than 100%"),
    ("Year?{#1822#Right}", "per-answer feedback"),
    ("Match.{=a -> b =c -> d = -> e}", "matching distractors"),
    ("[html]Who is <b>buried</b>?{=a ~b}", "HTML text cannot be written"),
    ("[plain]Is *this* emphasis?{=a ~b}", "plain text that Markdown would render differently"),
    ("[moodle]1. A list?{=a ~b}", "moodle text that Markdown would render differently"),
    ("[plain]Two\\n\\nlines?{=a ~b}", "plain text that Markdown would render differently"),
    ("Line one\nline two?{=a ~b}", "a single line break after its first line"),
    ("Stem\\n\\n- [x] oops{=a ~b}", "would be read as an answer: '- [x] oops'"),
    ("Stem\\n\\n= oops{=a ~b}", "would be read as an answer: '= oops'"),
    ("Stem\\n\\n- a -> b{=a ~b}", "would be read as an answer: '- a -> b'"),
    ("Stem\\n\\n## oops{=a ~b}", "would start a new question: '## oops'"),
    ("Stem\\n\\n\\nthree breaks{=a ~b}", "more than one blank line after its first line"),
    ("Choose.{=one\\ntwo ~b}", "a choice is empty, spans several lines"),
    ("Thủ đô?{=Hà\\nNội}", "an answer is empty, spans several lines"),
    ("Đúng hay sai?{=Đúng ~Sai}", "quiz.md would read it back as a truefalse question"),
    ("Năm nào?{=2016 =2.016}", "quiz.md would read it back as a numerical question"),
    ("Why?{=a ~b ####Line  \\nnext}", "a line of its explanation ends with spaces"),
]


@pytest.mark.parametrize(("gift", "message"), GIFT_REFUSED)
def test_gift_questions_quiz_md_cannot_express_are_refused(gift: str, message: str) -> None:
    bank = read_gift("// a comment\n" + gift + "\n")
    with pytest.raises(NotRepresentable) as caught:
        export_quiz_md(bank)
    assert isinstance(caught.value, ValueError)
    (where, _), *_ = caught.value.reasons
    assert where == 2
    messages = [m for _, m in caught.value.reasons]
    assert any(message in m for m in messages), messages
    assert all(re.match(r"question '[a-z0-9-]+' \(line 2\): [a-zHp]", m) for m in messages), messages


def test_every_refused_question_is_listed_with_its_line_and_nothing_is_written() -> None:
    gift = "\n\n".join(["::ok:: Fine?{=a ~b}", *(gift for gift, _ in GIFT_REFUSED[:6]), "::ok2:: Q {T}"])
    bank = read_gift(gift)
    with pytest.raises(NotRepresentable) as caught:
        export_quiz_md(bank)
    refused = {line for line, _ in caught.value.reasons}
    assert refused == {q.line for q in bank.questions[1:-1]} == {3, 5, 7, 9, 11, 13}
    assert str(caught.value).splitlines() == [m for _, m in caught.value.reasons]
    assert "question 'pick-the-best-" in str(caught.value)


def test_a_question_without_a_line_is_named_by_its_position() -> None:
    reasons = refusal(single(), single(qid="w", choices=[Choice("a", "x", 0.5), Choice("b", "y")]))
    assert reasons == [(2, "question 'w' (no. 2): partial-credit weights cannot be written in "
                           "quiz.md (a choice is right or wrong, multiple answers score all-or-nothing)")]


def test_several_problems_of_one_question_are_all_listed() -> None:
    q = single("Stem  \nnext", qid="Bad Id", points=0, text_format="html",
               choices=[Choice("a", "x", 1.0, "fb"), Choice("b", "", -1.0)])
    messages = [m.split(": ", 1)[1] for _, m in refusal(q)]
    assert messages == [
        "the id may only use a-z, 0-9 and '-' in quiz.md",
        "points must be a whole number from 1 to 999999999",
        "HTML text cannot be written in quiz.md",
        "per-answer feedback cannot be written in quiz.md",
        "a line of its text ends with spaces, which quiz.md drops",
        "a single line break after its first line cannot be written in quiz.md "
        "(the heading holds the first line, a blank line follows)",
        "a choice is empty, spans several lines or starts or ends with blank space",
        "negative weights cannot be written in quiz.md"]


@pytest.mark.parametrize(("question", "message"), [
    (single(" Leading space"), "its text starts or ends with blank space"),
    (single("   "), "the question has no text"),
    (single("Stem\u2028next"), "line break character other than a newline"),
    (single(choices=[Choice("a", "x\u0085y", 1.0), Choice("b", "z")]), "line break character"),
    (single(choices=[Choice("a", " x", 1.0), Choice("b", "z")]), "a choice is empty"),
    (single(choices=[Choice("b", "x", 1.0), Choice("a", "z")]), "choice ids other than a, b, c"),
    (single(choices=[Choice("a", "x"), Choice("b", "z")]), "no choice is right"),
    (single(choices=[]), "the question has no choices"),
    (single(choices=choices("x", "y", right=(0, 1))), "read it back as a multiple question"),
    (Question("m", "multiple", "M?", choices=choices("x", "y", "z")), "read it back as a single"),
    (Question("m", "multiple", "M?", choices=choices("x", "y", right=(0, 1)),
              all_or_nothing=False), "partial-credit weights"),
    (Question("m", "multiple", "M?", choices=choices("Đúng", "Sai", right=(0, 1))),
     "would not read it back: a true/false question needs exactly one [x]"),
    (Question("t", "truefalse", "T?", choices=choices("Có", "Không")),
     "a true/false question needs the two choices Đúng/Sai"),
    (Question("s", "short", "S?"), "the question has no answers"),
    (Question("s", "short", "S?", answers=[TextAnswer("12"), TextAnswer("12,5")]),
     "read it back as a numerical question"),
    (Question("n", "numerical", "N?", numeric=[NumericAnswer(value=float("inf"))]),
     "a numeric answer has no finite number"),
    (Question("n", "numerical", "N?", numeric=[NumericAnswer(low=5.0, high=1.0)]),
     "a numeric answer has no finite number, tolerance or increasing range"),
    (Question("n", "numerical", "N?", numeric=[NumericAnswer(value=1.0, tolerance=-1.0)]),
     "a numeric answer has no finite number"),
    (Question("n", "numerical", "N?", numeric=[NumericAnswer()]), "a numeric answer has no"),
    (Question("p", "matching", "P?", pairs=[Pair("a", "b")]),
     "would not read it back: a matching question needs at least two pairs"),
    (Question("p", "matching", "P?", pairs=[Pair("a ", "b"), Pair("c", "d")]), "a pair's side"),
    (Question("p", "matching", "P?", pairs=[Pair("a -> b", "c"), Pair("d", "e")]),
     "a matching left side holding '->'"),
    (Question("p", "matching", "P?", pairs=[Pair("[x] a", "b"), Pair("c", "d")]),
     "would not read it back"),
    (Question("e", "essay", "E?"), "unknown question kind 'essay'"),
    (single(explanation="\nLate start"), "its explanation starts or ends with a blank line"),
    (single(points=1_000_000_000), "points must be a whole number"),
])
def test_hand_built_questions_quiz_md_cannot_express_are_refused(
    question: Question, message: str
) -> None:
    messages = [m for _, m in refusal(question)]
    assert any(message in m for m in messages), messages


def test_duplicate_ids_are_refused_naming_the_first() -> None:
    reasons = refusal(single(), single(qid="q"))
    assert reasons == [(2, "question 'q' (no. 2): the id is already used by question no. 1")]
    bank = read_gift("::a:: Q {T}\n\n::b:: R {F}\n")
    bank.questions[1].id = "a"
    with pytest.raises(NotRepresentable) as caught:
        export_quiz_md(bank)
    assert caught.value.reasons == [
        (3, "question 'a' (line 3): the id is already used by the question at line 1")]


def test_bad_settings_and_an_empty_bank_are_refused_at_position_0() -> None:
    with pytest.raises(NotRepresentable) as caught:
        export_quiz_md(bank_of(single(), pass_score=0, draw=2, review="sometimes"))
    assert caught.value.reasons == [
        (0, "settings: 'pass_score' must be a whole number from 1 to 100"),
        (0, f"settings: 'review' must be {REVIEW_WANTED}"),
        (0, "settings: 'draw' (2) is larger than the number of questions (1)")]
    with pytest.raises(NotRepresentable) as caught:
        export_quiz_md(bank_of())
    assert caught.value.reasons == [(0, "the bank has no questions")]


# --- properties --------------------------------------------------------------------------------

LETTERS = list("abcdeghiklmnopqrstuvxy") + list("àáảãạăằắẳẵặâầấđèéêềếệìíòóôồốơờởưứừữỳýĐƯ")
WORD = st.text(st.sampled_from(LETTERS), min_size=1, max_size=8)
PHRASE = st.lists(WORD, min_size=1, max_size=5).map(" ".join)
PARAGRAPHS = st.lists(st.lists(PHRASE, min_size=1, max_size=2).map("\n".join),
                      min_size=1, max_size=3).map("\n\n".join)
NUMBERS = st.one_of(st.integers(-10_000, 10_000).map(float),
                    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
                    st.floats(-1e-3, 1e-3, allow_nan=False, allow_infinity=False))


@st.composite
def numeric_answers(draw: st.DrawFn) -> NumericAnswer:
    if draw(st.booleans()):
        return NumericAnswer(value=draw(NUMBERS),
                             tolerance=draw(st.one_of(st.just(0.0), st.floats(0, 100))))
    low, high = sorted((draw(NUMBERS), draw(NUMBERS)))
    return NumericAnswer(low=low, high=high)


@st.composite
def simple_questions(draw: st.DrawFn, index: int) -> Question:
    kind = draw(st.sampled_from(["single", "multiple", "truefalse", "short", "numerical",
                                 "matching"]))
    stem = draw(PHRASE) + draw(st.one_of(st.just(""), PARAGRAPHS.map(lambda p: "\n\n" + p)))
    q = Question(f"q-{index}", kind, stem, points=draw(st.integers(1, 5)),
                 explanation=draw(st.one_of(st.just(""), PARAGRAPHS)))
    if kind in ("single", "multiple"):
        texts = draw(st.lists(PHRASE, min_size=3, max_size=6))
        count = 1 if kind == "single" else draw(st.integers(2, len(texts)))
        right = draw(st.permutations(range(len(texts))))[:count]
        q.choices = choices(*texts, right=tuple(right))
    elif kind == "truefalse":
        q.choices = choices("Đúng", "Sai", right=(draw(st.integers(0, 1)),))
    elif kind == "short":
        q.answers = [TextAnswer(text) for text in draw(st.lists(PHRASE, min_size=1, max_size=3))]
    elif kind == "numerical":
        q.numeric = draw(st.lists(numeric_answers(), min_size=1, max_size=3))
    else:
        q.pairs = [Pair(left, right) for left, right in
                   draw(st.lists(st.tuples(PHRASE, PHRASE), min_size=2, max_size=4))]
    return q


@st.composite
def simple_banks(draw: st.DrawFn) -> Bank:
    count = draw(st.integers(1, 5))
    optional = st.one_of(st.none(), st.integers(1, 90))
    quiz = QuizSettings(pass_score=draw(st.integers(1, 100)),
                        draw=draw(st.one_of(st.none(), st.integers(1, count))),
                        time_limit=draw(optional), max_attempts=draw(optional),
                        shuffle=draw(st.booleans()),
                        review=draw(st.sampled_from(["always", "after_pass", "never"])))
    return Bank(quiz, [draw(simple_questions(i)) for i in range(count)])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(simple_banks())
def test_simple_banks_read_back_the_same(bank: Bank) -> None:
    round_trip(bank)


# Texts full of quiz.md syntax: whatever is exported must read back the same, or be refused.
PIECE = st.sampled_from(["- [x] ", "- [ ] ", "* ", "- ", "= ", "=", "> ", ">", "## ", "##", "#",
                         " -> ", "->", "{#a}", " [2 điểm]", "[x]", " ", "\t", "a", "Đúng", "Sai",
                         "1", "2,5", "..", " ± ", "+-", "___", "b c", "*x*", "<b>", "---", "   "])
RAW = st.sampled_from(["\n", "\n\n", "\n\n\n", "\u2028", "\r", " \n", "\n "])
LINE = st.lists(PIECE, min_size=1, max_size=5).map("".join)  # may start or end with spaces
CLEAN = LINE.map(str.strip).filter(bool)  # one trimmed line, as quiz.md answer lines hold them
ANY_TEXT = st.lists(st.one_of(PIECE, PIECE, RAW), min_size=1, max_size=6).map("".join)
BODY = st.lists(LINE.map(str.rstrip), min_size=1, max_size=4).map("\n".join).filter(
    lambda body: body.strip("\n") == body)
STEM = st.one_of(CLEAN, st.builds(lambda head, body: f"{head}\n\n{body}", CLEAN, BODY), ANY_TEXT)
ANSWER = st.one_of(CLEAN, CLEAN, CLEAN, ANY_TEXT)


@st.composite
def syntax_questions(draw: st.DrawFn, index: int) -> Question:
    kind = draw(st.sampled_from(["single", "multiple", "truefalse", "short", "matching"]))
    q = Question(f"q{index}", kind, draw(STEM), points=draw(st.integers(1, 3)),
                 explanation=draw(st.one_of(st.just(""), BODY, ANY_TEXT)),
                 text_format=draw(st.sampled_from(["markdown", "markdown", "markdown", "plain"])))
    texts = draw(st.one_of(st.lists(ANSWER, min_size=2, max_size=4),
                           st.sampled_from([["Đúng", "Sai"], ["Sai", "đúng"], ["True", "False"]])))
    if kind in ("single", "multiple", "truefalse"):
        right = tuple(draw(st.lists(st.integers(0, len(texts) - 1), min_size=1, max_size=3)))
        q.choices = choices(*texts, right=right)
    elif kind == "short":
        q.answers = [TextAnswer(text) for text in texts]
    else:
        q.pairs = [Pair(text, draw(ANSWER)) for text in texts]
    return q


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 0), min_size=1, max_size=3).flatmap(
    lambda items: st.tuples(*(syntax_questions(i) for i in range(len(items))))))
def test_export_never_writes_what_reads_back_differently(questions: tuple[Question, ...]) -> None:
    for bank in [bank_of(*questions), *(bank_of(q) for q in questions)]:
        try:
            text = export_quiz_md(bank)
        except NotRepresentable as exc:
            assert exc.reasons and all(1 <= where <= len(questions) for where, _ in exc.reasons)
            continue
        back = read_md(text)
        assert semantics(back) == semantics(bank), text
        assert export_quiz_md(back) == text


GIFT_ANSWERS = st.sampled_from([
    "=a ~b", "=a#fb ~b", "=a ~%50%b", "~%50%a ~%50%b ~c", "=x -> y =z -> w", "=x -> y =z -> v = -> w",
    "T", "F####why", "=Hà Nội =Ha Noi", "=12 =13", "#3.14:0.01", "#1..5", "#=3 =%50%4", "=- [x] q",
])
GIFT_STEMS = st.sampled_from([
    "Q?", "[plain]Q?", "[html]<b>Q</b>?", "::T:: Q?", "Một\\n\\nHai", "Một\\nHai", "- [x] a",
    "Dòng\\n\\n= b", "Câu \\{#x\\}", "Câu [2 điểm]", "A -> B",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(GIFT_STEMS, GIFT_ANSWERS), min_size=1, max_size=4))
def test_any_gift_bank_is_written_exactly_or_refused(items: list[tuple[str, str]]) -> None:
    gift = "\n\n".join(f"::q{i}:: {stem}{{{answers}}}" if not stem.startswith("::")
                       else f"{stem}{{{answers}}}".replace("::T::", f"::t{i}::")
                       for i, (stem, answers) in enumerate(items))
    bank = read_gift(gift)
    try:
        text = export_quiz_md(bank)
    except NotRepresentable as exc:
        assert {where for where, _ in exc.reasons} <= {q.line for q in bank.questions}
        return
    back = read_md(text)
    assert semantics(back)[1] == semantics(bank)[1], text
    assert export_quiz_md(back) == text
