"""Answers accept only the tokens issued for this attempt, without a database: a member who sends
raw choice ids, pair or item indexes, another attempt's tokens or odd shapes earns nothing."""
from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnhub.quizzes.attempts import _paper_entry, to_ids
from learnhub.quizzes.bank import InvalidResponse, Question
from learnhub.quizzes.kinds import REGISTRY, KindName, grade, kind_of
from tests.quiz_factory import ordering_question, sample_questions

QUESTIONS = [*sample_questions(6), ordering_question(0)]
BY_KIND = {q.kind: q for q in QUESTIONS}
TOKEN_KINDS = [q for q in QUESTIONS if q.kind not in (KindName.short, KindName.numerical)]
TEXT_KINDS = [q for q in QUESTIONS if q.kind in (KindName.short, KindName.numerical)]


def entry_of(question: Question, seed: int) -> dict[str, Any]:
    return _paper_entry(question.to_dict(), True, random.Random(seed))


def score(question: Question, entry: dict[str, Any], raw: Any) -> float:
    return grade(question, kind_of(question).check(question, to_ids(entry, raw)))


def names_a_right_token(question: Question, entry: dict[str, Any], raw: Any) -> bool:
    """Whether ``raw`` puts one of this attempt's tokens for a right answer where it belongs."""
    if question.kind == KindName.matching:
        rights = entry["rights"]
        return isinstance(raw, dict) and any(
            isinstance(v, str) and v in rights and isinstance(k, str) and k.isdigit() and int(k) < len(question.pairs)
            and question.pairs[int(rights[v])].right == question.pairs[int(k)].right for k, v in raw.items())
    if question.kind == KindName.ordering:
        items = entry["items"]
        return isinstance(raw, list) and any(isinstance(v, str) and items.get(v) == str(p) for p, v in enumerate(raw))
    right = {t for t, cid in entry["choices"].items() if any(c.id == cid and c.weight > 0 for c in question.choices)}
    parts = raw if isinstance(raw, list) else [raw]
    return any(isinstance(part, str) and part in right for part in parts)


RAW_IDS = ["a", "b", "c", "d", "0", "1", "2", "3", "-1", "1.0", " 0"]
ANY_TOKEN = [f"{prefix}{n}" for prefix in "cro" for n in range(6)] + ["c-1", "r00", "C0", "c0 "]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 10), st.floats(allow_nan=True),
                    st.sampled_from(RAW_IDS + ANY_TOKEN + [""]), st.text(max_size=8))
RESPONSES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=6),
                            st.dictionaries(st.sampled_from(RAW_IDS + ANY_TOKEN + ["x", ""]), inner, max_size=5)),
    max_leaves=12,
)


@settings(max_examples=600, deadline=None)
@given(question=st.sampled_from(TOKEN_KINDS), seed=st.integers(0, 10_000), data=st.data())
def test_no_response_scores_unless_it_names_this_attempts_right_tokens(question, seed, data) -> None:
    entry = entry_of(question, seed)
    own = [t for table in ("choices", "rights", "items") for t in entry.get(table, {})]
    atoms = st.sampled_from(RAW_IDS + ANY_TOKEN + own + [""])
    keys = st.sampled_from(RAW_IDS + own + ["x", ""])
    raw = data.draw(st.one_of(atoms, st.lists(atoms, max_size=6), st.dictionaries(keys, atoms, max_size=5),
                              RESPONSES))
    try:
        earned = score(question, entry, raw)
    except InvalidResponse:
        return
    assert earned == 0 or names_a_right_token(question, entry, raw), (raw, entry)


@settings(max_examples=200, deadline=None)
@given(question=st.sampled_from(TOKEN_KINDS), seed=st.integers(0, 10_000),
       raw=st.one_of(st.sampled_from(RAW_IDS),
                     st.lists(st.sampled_from(RAW_IDS), min_size=1, max_size=4),
                     st.dictionaries(st.sampled_from(["0", "1", "2"]), st.sampled_from(RAW_IDS), min_size=1)))
def test_raw_ids_and_indexes_are_refused(question, seed, raw) -> None:
    with pytest.raises(InvalidResponse):
        to_ids(entry_of(question, seed), raw)


@settings(max_examples=200, deadline=None)
@given(question=st.sampled_from(TEXT_KINDS), raw=RESPONSES.filter(lambda r: r is not None and not isinstance(r, str)))
def test_typed_answers_take_only_a_text(question, raw) -> None:
    with pytest.raises(InvalidResponse):
        to_ids(entry_of(question, 1), raw)


@pytest.mark.parametrize("seed", range(20))
def test_the_right_tokens_score_full_marks(seed: int) -> None:
    for question in QUESTIONS:
        entry = entry_of(question, seed)
        kind = REGISTRY[question.kind]
        right = kind.to_tokens(entry, kind.demo_right(question.to_dict()))
        assert score(question, entry, right) == question.points, question.kind


def test_matching_by_pair_indexes_no_longer_scores() -> None:
    """The old exploit: the right item of pair i has index i, so {"0": "0", "1": "1", ...} won."""
    question = BY_KIND[KindName.matching]
    with pytest.raises(InvalidResponse):
        to_ids(entry_of(question, 3), {"0": "0", "1": "1", "2": "2"})
    with pytest.raises(InvalidResponse):  # only the question's left keys
        to_ids(entry_of(question, 3), {"7": "r0"})


def test_raw_choice_ids_no_longer_stand_for_tokens() -> None:
    single, multiple = BY_KIND[KindName.single], BY_KIND[KindName.multiple]
    with pytest.raises(InvalidResponse):
        to_ids(entry_of(single, 1), "a")
    with pytest.raises(InvalidResponse):
        to_ids(entry_of(multiple, 1), ["a", "b"])
    with pytest.raises(InvalidResponse):  # a token twice: no honest page sends it
        to_ids(entry_of(multiple, 1), ["c0", "c0"])
    with pytest.raises(InvalidResponse):  # a list where one choice is expected
        to_ids(entry_of(single, 1), ["c0"])


def test_an_unanswered_question_is_not_refused() -> None:
    for question in QUESTIONS:
        entry = entry_of(question, 2)
        assert score(question, entry, None) == 0
