"""Question kinds: a registry of small classes with pure grading, response checking and review text.

``grade`` returns the fraction of the question's points earned (0..1). Responses are what the quiz
page submits: a choice id, a list of choice ids, a text, or {left index: right id} for matching.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, ClassVar

from learnhub.quizzes.bank import InvalidResponse, Question

MAX_TEXT = 500


def normalise_text(text: str) -> str:
    """NFC, case-folded, trimmed, inner whitespace collapsed; diacritics stay significant."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def parse_number(text: str) -> float | None:
    """A number written with a comma or a dot as the decimal mark ("98,5", "98.5", "1 000")."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"[-+]?\d+([.,]\d+)?", cleaned):
        return float(cleaned.replace(",", "."))
    return None


class QuestionKind:
    name: ClassVar[str]

    def check(self, question: Question, response: Any) -> Any:
        """The response in canonical form, or InvalidResponse when no honest page sends it."""
        raise NotImplementedError

    def grade(self, question: Question, response: Any) -> float:
        raise NotImplementedError

    def correct_answer(self, question: Question) -> Any:
        """What the review shows as the right answer (choice ids, texts, or pairs)."""
        raise NotImplementedError


class SingleChoice(QuestionKind):
    name = "single"

    def check(self, question: Question, response: Any) -> Any:
        if response in (None, ""):
            return None
        if not isinstance(response, str) or response not in {c.id for c in question.choices}:
            raise InvalidResponse("unknown choice")
        return response

    def grade(self, question: Question, response: Any) -> float:
        weights = {c.id: c.weight for c in question.choices}
        return max(0.0, min(1.0, weights.get(response, 0.0))) if response else 0.0

    def correct_answer(self, question: Question) -> Any:
        best = max(c.weight for c in question.choices)
        return [c.id for c in question.choices if c.weight == best and best > 0]


class TrueFalse(SingleChoice):
    name = "truefalse"


class MultipleChoice(QuestionKind):
    name = "multiple"

    def check(self, question: Question, response: Any) -> Any:
        if response in (None, "", []):
            return []
        if isinstance(response, str):
            response = [response]
        ids = {c.id for c in question.choices}
        if not isinstance(response, list) or not all(isinstance(r, str) and r in ids for r in response):
            raise InvalidResponse("unknown choice")
        return sorted(set(response))

    def grade(self, question: Question, response: Any) -> float:
        chosen = set(response or [])
        if question.all_or_nothing:
            correct = {c.id for c in question.choices if c.correct}
            return 1.0 if chosen == correct else 0.0
        # Moodle: the chosen answers' fractions add up; the question never goes below 0 or above 1.
        total = sum(c.weight for c in question.choices if c.id in chosen)
        return max(0.0, min(1.0, total))

    def correct_answer(self, question: Question) -> Any:
        return [c.id for c in question.choices if c.correct]


class ShortAnswer(QuestionKind):
    name = "short"

    def check(self, question: Question, response: Any) -> Any:
        if response is None:
            return ""
        if not isinstance(response, str) or len(response) > MAX_TEXT:
            raise InvalidResponse("not a short text")
        return response

    def grade(self, question: Question, response: Any) -> float:
        reply = normalise_text(response or "")
        if not reply:
            return 0.0
        weights = [a.weight for a in question.answers if normalise_text(a.text) == reply]
        return max(0.0, min(1.0, max(weights))) if weights else 0.0

    def correct_answer(self, question: Question) -> Any:
        return [a.text for a in question.answers if a.weight >= 1.0] or [a.text for a in question.answers[:1]]


class Numerical(ShortAnswer):
    name = "numerical"

    def grade(self, question: Question, response: Any) -> float:
        number = parse_number(response or "")
        if number is None:
            return 0.0
        weights = [n.weight for n in question.numeric if n.accepts(number)]
        return max(0.0, min(1.0, max(weights))) if weights else 0.0

    def correct_answer(self, question: Question) -> Any:
        best = [n for n in question.numeric if n.weight >= 1.0] or question.numeric[:1]
        return [f"{n.low:g}..{n.high:g}" if n.low is not None else
                (f"{n.value:g} ± {n.tolerance:g}" if n.tolerance else f"{n.value:g}") for n in best]


class Matching(QuestionKind):
    """Left items by index, right items by their index among all right texts (distractors too)."""

    name = "matching"

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


REGISTRY: dict[str, QuestionKind] = {
    kind.name: kind for kind in (SingleChoice(), TrueFalse(), MultipleChoice(), ShortAnswer(), Numerical(), Matching())
}


def kind_of(question: Question) -> QuestionKind:
    return REGISTRY[question.kind]


def grade(question: Question, response: Any) -> float:
    """Points earned on ``question`` for a checked ``response``."""
    # Rounded so that weights such as 3 × 33.33333% give exactly the full marks.
    return round(question.points * kind_of(question).grade(question, response), 6)
