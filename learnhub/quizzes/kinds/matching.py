"""Matching: each left item (by its index) gets a right item, named on the page by the tokens
``r0``, ``r1``... of an order shuffled per attempt (distractors among them)."""
from __future__ import annotations

import json
import random
from typing import Any

from werkzeug.datastructures import MultiDict

from learnhub.quizzes.bank import InvalidResponse, Pair, Question
from learnhub.quizzes.gift_text import (
    answer_block,
    clean,
    escape,
    general_feedback,
    html_to_text,
    piece,
    text_format_of,
)
from learnhub.quizzes.kinds.base import (
    N_,
    KindName,
    QuestionKind,
    back,
    field_name,
    one_line,
    register,
    single_value,
    token,
)


def _lefts(pairs: list[dict[str, Any]]) -> list[str]:
    """The keys a response may use: the indexes of the pairs that have a left side."""
    return [str(i) for i, pair in enumerate(pairs) if pair["left"]]


@register
class Matching(QuestionKind):
    name = KindName.matching
    template = "quizzes/kinds/_matching.html"
    shape = "map"
    form_parts = ("pairs",)
    label = N_("Matching")

    def form_rows(self, question: Question) -> dict[str, Any]:
        return {"pairs": [(p.left, p.right) for p in question.pairs]}

    def from_rows(self, question: Question, rows: dict[str, Any]) -> list[str]:
        pairs = rows.get("pairs", [])
        question.kind, question.pairs = self.name, [Pair(left, right) for left, right in pairs]
        problems = [] if len(pairs) >= 2 else [N_("Write at least two pairs to match.")]
        if any(not left or not right for left, right in pairs):
            problems.append(N_("Each pair needs text on both sides."))
        if any("->" in left for left, _ in pairs):
            problems.append(N_("The left side of a pair cannot hold “->”."))
        return problems

    def tokens(self, data: dict[str, Any], shuffle: bool, rng: random.Random) -> dict[str, dict[str, str]]:
        rights = [str(i) for i in range(len(data.get("pairs", [])))]
        rng.shuffle(rights)  # matching always mixes the right column, or it gives itself away
        return {"rights": {f"r{n}": index for n, index in enumerate(rights)}}

    def fields(self, entry: dict[str, Any]) -> list[str]:
        return [field_name(entry, left) for left in _lefts(entry["question"]["pairs"])]

    def read_form(self, entry: dict[str, Any], form: MultiDict) -> Any:
        return {left: single_value(form, field_name(entry, left)) or ""
                for left in _lefts(entry["question"]["pairs"])}

    def to_ids(self, entry: dict[str, Any], raw: Any) -> Any:
        if raw in (None, ""):
            return {}
        lefts = set(_lefts(entry["question"]["pairs"]))
        if not isinstance(raw, dict) or not all(isinstance(k, str) and k in lefts for k in raw):
            raise InvalidResponse("not this question's left items")
        return {left: token(entry, "rights", value) for left, value in raw.items() if value != ""}

    def to_tokens(self, entry: dict[str, Any], response: Any) -> Any:
        tokens = back(entry, "rights")
        return {k: tokens.get(v) for k, v in response.items()} if isinstance(response, dict) else {}

    def check(self, question: Question, response: Any) -> Any:
        if response in (None, ""):
            return {}
        lefts = {str(i) for i, p in enumerate(question.pairs) if p.left}
        rights = {str(i) for i in range(len(question.pairs))}
        if not isinstance(response, dict) or not all(
            isinstance(k, str) and k in lefts and isinstance(v, str) and (v in rights or v == "")
            for k, v in response.items()
        ):
            raise InvalidResponse("unknown pair")
        return {k: v for k, v in response.items() if v}

    def grade(self, question: Question, response: Any) -> float:
        lefts = [i for i, p in enumerate(question.pairs) if p.left]
        if not lefts:
            return 0.0
        chosen = response or {}
        right_text = {str(i): p.right for i, p in enumerate(question.pairs)}
        right = sum(1 for i in lefts if right_text.get(chosen.get(str(i), "")) == question.pairs[i].right)
        return right / len(lefts)

    def correct_answer(self, question: Question) -> Any:
        return [(p.left, p.right) for p in question.pairs if p.left]

    def describe(self, entry: dict[str, Any], response: Any) -> list[Any]:
        return _pair_texts(entry["question"]["pairs"], response) if isinstance(response, dict) else []

    def describe_correct(self, entry: dict[str, Any], question: Question) -> list[Any]:
        return [f"{left} → {right}" for left, right in self.correct_answer(question)]

    def key_text(self, data: dict[str, Any], key: str) -> str:
        try:
            chosen = json.loads(key)
        except ValueError:
            return key
        return "; ".join(_pair_texts(data.get("pairs", []), chosen)) if isinstance(chosen, dict) else key

    def md_problems(self, question: Question) -> list[str]:
        problems = []
        if any(not p.left for p in question.pairs):
            problems.append("matching distractors (an empty left side) cannot be written in quiz.md")
        pairs = [p for p in question.pairs if p.left]
        problems += one_line([side for p in pairs for side in (p.left, p.right)], "a pair's side")
        if any("->" in p.left for p in pairs):
            problems.append("a matching left side holding '->' cannot be written in quiz.md")
        return problems

    def md_lines(self, question: Question) -> list[str]:
        return [f"- {p.left} -> {p.right}" for p in question.pairs]

    def gift_block(self, question: Question) -> str:
        fmt = text_format_of(question)
        answers = [f"={_gift_left(left, fmt)} -> {escape(right)}" for left, right in _gift_pairs(question)]
        return answer_block(answers, general_feedback(question, fmt))

    def demo_right(self, data: dict[str, Any]) -> Any:
        return {left: left for left in _lefts(data["pairs"])}

    def demo_wrong(self, data: dict[str, Any], rng: random.Random) -> Any:
        lefts = _lefts(data["pairs"])
        return dict(zip(lefts, lefts[1:] + lefts[:1], strict=True))


def _pair_texts(pairs: list[dict[str, Any]], chosen: dict[str, Any]) -> list[str]:
    """``left → right`` for each chosen pair, skipping anything that names no pair."""
    texts = []
    for left, right in sorted(chosen.items()):
        if (isinstance(left, str) and left.isdigit() and int(left) < len(pairs) and isinstance(right, str)
                and right.isdigit() and int(right) < len(pairs)):
            texts.append(f"{pairs[int(left)]['left']} → {pairs[int(right)]['right']}")
    return texts


def _gift_pairs(question: Question) -> list[tuple[str, str]]:
    """Left and right of each pair, split at the first '->' as the GIFT reader splits them."""
    parts = (f"{clean(p.left)} -> {clean(p.right)}".partition("->") for p in question.pairs)
    return [(left.strip(), right.strip()) for left, _, right in parts]


def _gift_left(left: str, fmt: str) -> str:
    """A GIFT matching item; ``[plain]`` where an HTML question would read it differently."""
    if left and fmt == "html" and html_to_text(left) != left:
        return "[plain]" + escape(left)
    return piece(left, fmt) if left else ""
