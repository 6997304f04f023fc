"""Grading of each question kind, without a database: edge cases a member can produce."""
from __future__ import annotations

import unicodedata

import pytest

from learnhub.quizzes.bank import Choice, InvalidResponse, NumericAnswer, Pair, Question, TextAnswer
from learnhub.quizzes.kinds import grade, kind_of, parse_number

SINGLE = Question("q", "single", "?", choices=[Choice("a", "Đúng", 1.0), Choice("b", "Sai"), Choice("c", "Một nửa", 0.5)])
MULTI_MD = Question("m", "multiple", "?", choices=[Choice("a", "A", 1.0), Choice("b", "B", 1.0), Choice("c", "C")])
MULTI_GIFT = Question("g", "multiple", "?", all_or_nothing=False,
                      choices=[Choice("a", "A", 0.5), Choice("b", "B", 0.5), Choice("c", "C", -1.0)])
SHORT = Question("s", "short", "?", answers=[TextAnswer("lãnh đạo"), TextAnswer("lanh dao", 0.5)])
NUMBER = Question("n", "numerical", "?", points=2, numeric=[NumericAnswer(98, 1), NumericAnswer(low=90, high=96, weight=0.5)])
MATCH = Question("p", "matching", "?", pairs=[Pair("Một", "1"), Pair("Hai", "2"), Pair("Ba", "3"), Pair("", "4")])


@pytest.mark.parametrize("response, expected", [("a", 1), ("b", 0), ("c", 0.5), (None, 0)])
def test_single_choice(response, expected) -> None:
    assert grade(SINGLE, kind_of(SINGLE).check(SINGLE, response)) == expected


def test_multiple_choice_all_or_nothing_and_duplicates() -> None:
    check = kind_of(MULTI_MD).check
    assert grade(MULTI_MD, check(MULTI_MD, ["b", "a"])) == 1
    assert grade(MULTI_MD, check(MULTI_MD, ["a", "a", "b"])) == 1  # a duplicate counts once
    assert grade(MULTI_MD, check(MULTI_MD, ["a"])) == 0
    assert grade(MULTI_MD, check(MULTI_MD, ["a", "b", "c"])) == 0
    assert grade(MULTI_MD, check(MULTI_MD, [])) == 0


@pytest.mark.parametrize("chosen, expected", [(["a", "b"], 1), (["a"], 0.5), (["a", "c"], 0), (["a", "b", "c"], 0), (["c"], 0)])
def test_multiple_choice_weighted_as_moodle(chosen, expected) -> None:
    assert grade(MULTI_GIFT, chosen) == pytest.approx(expected)


@pytest.mark.parametrize("reply, expected", [
    ("lãnh đạo", 1), ("  LÃNH   ĐẠO ", 1), (unicodedata.normalize("NFD", "lãnh đạo"), 1),
    ("lanh dao", 0.5), ("lãnh đạo.", 0), ("", 0), (None, 0),
])
def test_short_answer_normalisation(reply, expected) -> None:
    assert grade(SHORT, kind_of(SHORT).check(SHORT, reply)) == expected


@pytest.mark.parametrize("reply, expected", [("98", 2), ("98,5", 2), ("97.0", 2), ("99,01", 0), ("95", 1), ("abc", 0), ("", 0)])
def test_numerical_tolerance_range_and_weights(reply, expected) -> None:
    assert grade(NUMBER, reply) == pytest.approx(expected)


def test_parse_number_accepts_vietnamese_decimals() -> None:
    assert parse_number("98,5") == 98.5 and parse_number(" 1 000 ") == 1000 and parse_number("1e3") is None


def test_matching_partial_credit_and_distractors() -> None:
    check = kind_of(MATCH).check
    assert grade(MATCH, check(MATCH, {"0": "0", "1": "1", "2": "2"})) == 1
    assert grade(MATCH, check(MATCH, {"0": "0", "1": "3", "2": ""})) == pytest.approx(1 / 3)
    assert grade(MATCH, check(MATCH, {})) == 0
    with pytest.raises(InvalidResponse):
        check(MATCH, {"3": "0"})  # the distractor has no left item to match
    with pytest.raises(InvalidResponse):
        check(MATCH, {"0": "9"})


@pytest.mark.parametrize("question, response", [
    (SINGLE, "z"), (SINGLE, ["a"]), (MULTI_MD, ["a", "x"]), (MULTI_MD, {"a": 1}), (SHORT, "x" * 501), (SHORT, 5),
])
def test_impossible_responses_are_refused(question, response) -> None:
    with pytest.raises(InvalidResponse):
        kind_of(question).check(question, response)
