"""Typed answers: short answer (compared as normalised text) and numerical (read as a number)."""
from __future__ import annotations

import math
import random
from decimal import Decimal
from typing import Any

from learnhub.quizzes.bank import (
    InvalidResponse,
    NumericAnswer,
    Question,
    TextAnswer,
    paper_question,
)
from learnhub.quizzes.gift_text import (
    answer,
    answer_block,
    feedback,
    general_feedback,
    percent,
    text_format_of,
)
from learnhub.quizzes.kinds.base import (
    MAX_TEXT,
    N_,
    KindName,
    QuestionKind,
    normalise_text,
    one_line,
    parse_number,
    register,
)


@register
class ShortAnswer(QuestionKind):
    name = KindName.short
    template = "quizzes/kinds/_text.html"
    shape = "text"
    inputmode = "text"  # the keyboard a phone shows
    form_parts = ("answers",)
    label = N_("Short answer (fill in the blank)")

    def form_rows(self, question: Question) -> dict[str, Any]:
        return {"answers": [a.text for a in question.answers]}

    def from_rows(self, question: Question, rows: dict[str, Any]) -> list[str]:
        texts = rows.get("answers", [])
        question.kind, question.answers = self.name, [TextAnswer(text) for text in texts]
        if not texts:
            return [N_("Write at least one accepted answer.")]
        if all(parse_number(text) is not None for text in texts):
            return [N_("The accepted answers are all numbers: choose “Number” so that 98,5 and 98.5 count alike.")]
        return []

    def to_ids(self, entry: dict[str, Any], raw: Any) -> Any:
        return self.check(paper_question(entry), raw)

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

    def md_problems(self, question: Question) -> list[str]:
        if not question.answers:
            return ["the question has no answers"]
        problems = one_line([a.text for a in question.answers], "an answer")
        if any(a.weight != 1 for a in question.answers):
            problems.append("answers worth other than 100% cannot be written in quiz.md")
        return problems

    def md_lines(self, question: Question) -> list[str]:
        return [f"= {a.text}" for a in question.answers]

    def gift_block(self, question: Question) -> str:
        fmt = text_format_of(question)
        answers = [answer("=", a.weight, 1.0, a.text, a.feedback, fmt) for a in question.answers]
        return answer_block(answers, general_feedback(question, fmt))

    def demo_right(self, data: dict[str, Any]) -> Any:
        return data["answers"][0]["text"]

    def demo_wrong(self, data: dict[str, Any], rng: random.Random) -> Any:
        return "không nhớ"


@register
class Numerical(ShortAnswer):
    name = KindName.numerical
    form_parts = ("numbers",)
    label = N_("Number")

    def form_rows(self, question: Question) -> dict[str, Any]:
        return {"numbers": [(_number_text(n.value) if n.value is not None else "",
                             _number_text(n.tolerance) if n.tolerance else "") for n in question.numeric]}

    def from_rows(self, question: Question, rows: dict[str, Any]) -> list[str]:
        question.kind, question.numeric = self.name, []
        problems: list[str] = []
        for value_text, tolerance_text in rows.get("numbers", []):
            value = parse_number(value_text)
            tolerance = parse_number(tolerance_text) if tolerance_text.strip() else 0.0
            if value is None or not math.isfinite(value):
                problems.append(N_("Write the right number with digits only, e.g. 98 or 98,5."))
            elif tolerance is None or not math.isfinite(tolerance) or tolerance < 0:
                problems.append(N_("Write the allowed margin as a number of 0 or more, e.g. 1 or 0,5."))
            else:
                question.numeric.append(NumericAnswer(value=value, tolerance=tolerance))
        if not rows.get("numbers"):
            problems.append(N_("Write the right number."))
        return problems
    inputmode = "decimal"

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

    def md_problems(self, question: Question) -> list[str]:
        if not question.numeric:
            return ["the question has no answers"]
        problems = []
        if any(n.weight != 1 for n in question.numeric):
            problems.append("answers worth other than 100% cannot be written in quiz.md")
        if not all(numeric_spec(n) for n in question.numeric):
            problems.append("a numeric answer has no finite number, tolerance or increasing range")
        return problems

    def md_lines(self, question: Question) -> list[str]:
        return [f"= {numeric_spec(n)}" for n in question.numeric]

    def gift_block(self, question: Question) -> str:
        """A single number worth 100% inline (``{#98:1}``), other answers one a line."""
        fmt = text_format_of(question)
        general = general_feedback(question, fmt)
        numbers = [(n, spec) for n in question.numeric if (spec := _gift_spec(n))]
        if len(numbers) == 1 and percent(numbers[0][0].weight) == "100":
            return "{#" + numbers[0][1] + feedback(numbers[0][0].feedback, fmt) + general + "}"
        answers = [answer("=", n.weight, 1.0, spec, n.feedback, fmt, raw=True) for n, spec in numbers]
        return answer_block(answers, general, lead="#")

    def demo_right(self, data: dict[str, Any]) -> Any:
        n = data["numeric"][0]
        return f"{n['value'] if n['value'] is not None else n['low']:g}"

    def demo_wrong(self, data: dict[str, Any], rng: random.Random) -> Any:
        return "90"


def numeric_spec(n: NumericAnswer) -> str:
    """`98`, `98 ± 1` or `97..99` as quiz.md writes it; '' when the answer has no valid number."""
    if n.low is not None and n.high is not None:
        if not (_finite(n.low) and _finite(n.high) and n.low <= n.high):
            return ""
        return f"{_number_text(n.low)}..{_number_text(n.high)}"
    if n.value is None or not _finite(n.value) or not _finite(n.tolerance) or n.tolerance < 0:
        return ""
    tolerance = "" if n.tolerance == 0 else f" ± {_number_text(n.tolerance)}"
    return _number_text(n.value) + tolerance


def _finite(number: Any) -> bool:
    return isinstance(number, int | float) and not isinstance(number, bool) and math.isfinite(number)


def _number_text(number: float) -> str:
    """The shortest decimal (no exponent: quiz.md reads none) that reads back as the same number."""
    number = float(number)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return format(Decimal(repr(number)), "f")


def _gift_spec(n: NumericAnswer) -> str:
    """``value[:tolerance]`` or ``low..high`` as GIFT writes it, or '' when the answer has no number."""
    if n.low is not None and n.high is not None:
        return f"{_gift_number(n.low)}..{_gift_number(n.high)}"
    if n.value is None:
        return ""
    tolerance = _gift_number(abs(n.tolerance))
    return _gift_number(n.value) + ("" if tolerance == "0" else f":{tolerance}")


def _gift_number(number: float) -> str:
    """The shortest text that reads back as the same number in GIFT ('2016', '0.5', '1e-07')."""
    number = float(number)
    if math.isfinite(number) and number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)
