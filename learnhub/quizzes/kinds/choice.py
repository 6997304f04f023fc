"""Choice kinds: single choice, true/false and multiple choice, named on the page by tokens
``c0``, ``c1``... in display order, never by their ids (ids follow the file, where the right
answer is often first)."""
from __future__ import annotations

import random
from typing import Any

from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from learnhub.quizzes.bank import Choice, InvalidResponse, Question, choice_id
from learnhub.quizzes.gift_text import (
    answer,
    answer_block,
    clean,
    general_feedback,
    percent,
    piece,
    reads_as_multiple,
    text_format_of,
)
from learnhub.quizzes.kinds.base import (
    N_,
    KindName,
    QuestionKind,
    back,
    field_name,
    normalise_text,
    one_line,
    register,
    token,
)
from learnhub.text import fold

TRUE_FALSE = ({"đúng", "sai"}, {"true", "false"})


def _choice_html(entry: dict[str, Any], cid: str) -> Markup:
    return Markup(entry["question"]["html"]["choices"].get(cid, ""))  # sanitised at import


@register
class SingleChoice(QuestionKind):
    name = KindName.single
    template = "quizzes/kinds/_single.html"
    form_parts = ("choices",)
    label = N_("One right answer")

    def form_rows(self, question: Question) -> dict[str, Any]:
        return {"choices": [(c.text, c.weight > 0) for c in question.choices]}

    def from_rows(self, question: Question, rows: dict[str, Any]) -> list[str]:
        choices = rows.get("choices", [])
        question.kind, question.all_or_nothing = self.name, True
        question.choices = [Choice(choice_id(i), text, 1.0 if right else 0.0)
                            for i, (text, right) in enumerate(choices)]
        right = sum(1 for _, r in choices if r)
        problems = [] if len(choices) >= 2 else [N_("Write at least two answers to choose from.")]
        if self.name == KindName.single and right != 1:
            problems.append(N_("Tick exactly one right answer (for several, choose “Several right answers”)."))
        if self.name == KindName.multiple and right < 2:
            problems.append(N_("Tick at least two right answers (for one, choose “One right answer”)."))
        if len({normalise_text(t) for t, _ in choices}) != len(choices):
            problems.append(N_("Two answers have the same text: make each answer different."))
        elif len(choices) == 2 and {normalise_text(t) for t, _ in choices} in TRUE_FALSE:
            problems.append(N_("Answers “Đúng” and “Sai” make a true-or-false question: choose “True or false”."))
        return problems

    def tokens(self, data: dict[str, Any], shuffle: bool, rng: random.Random) -> dict[str, dict[str, str]]:
        ids = [c["id"] for c in data.get("choices", [])]
        if shuffle and self.name != KindName.truefalse:
            rng.shuffle(ids)
        return {"choices": {f"c{n}": cid for n, cid in enumerate(ids)}}

    def to_ids(self, entry: dict[str, Any], raw: Any) -> Any:
        return None if raw in (None, "") else token(entry, "choices", raw)

    def to_tokens(self, entry: dict[str, Any], response: Any) -> Any:
        return back(entry, "choices").get(response) if isinstance(response, str) else None

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

    def describe(self, entry: dict[str, Any], response: Any) -> list[Any]:
        if response in (None, "", []):
            return []
        chosen = response if isinstance(response, list) else [response]
        return [_choice_html(entry, cid) for cid in chosen]

    def describe_correct(self, entry: dict[str, Any], question: Question) -> list[Any]:
        return [_choice_html(entry, cid) for cid in self.correct_answer(question)]

    def key_text(self, data: dict[str, Any], key: str) -> str:
        texts = {c["id"]: c["text"] for c in data.get("choices", [])}
        return "; ".join(texts.get(part, part) for part in key.split(","))

    def md_problems(self, question: Question) -> list[str]:
        """Choices are right (weight 1) or wrong (0); multiple answers are scored all-or-nothing."""
        q = question
        if not q.choices:
            return ["the question has no choices"]
        problems = one_line([c.text for c in q.choices], "a choice")
        if [c.id for c in q.choices] != [choice_id(i) for i in range(len(q.choices))]:
            problems.append("choice ids other than a, b, c, ... in order cannot be kept in quiz.md")
        weights = [c.weight for c in q.choices]
        if any(weight < 0 for weight in weights):
            problems.append("negative weights cannot be written in quiz.md")
        if (q.kind == KindName.multiple and not q.all_or_nothing) or any(0 < w != 1 for w in weights):
            problems.append("partial-credit weights cannot be written in quiz.md "
                            "(a choice is right or wrong, multiple answers score all-or-nothing)")
        if not any(weight > 0 for weight in weights):
            problems.append("no choice is right")
        if q.kind == KindName.truefalse and not (
            len(q.choices) == 2 and {normalise_text(c.text) for c in q.choices} in TRUE_FALSE
        ):
            problems.append("a true/false question needs the two choices Đúng/Sai (or True/False)")
        return problems

    def md_lines(self, question: Question) -> list[str]:
        return [f"- [{'x' if c.weight > 0 else ' '}] {c.text}" for c in question.choices]

    def gift_block(self, question: Question) -> str:
        fmt = text_format_of(question)
        answers = self._gift_answers(question, self._gift_weights(question), fmt)
        return answer_block(answers, general_feedback(question, fmt))

    def _gift_weights(self, question: Question) -> list[float]:
        """The choices' weights as GIFT keeps them (Moodle's rounded percentages)."""
        return [float(percent(c.weight)) / 100 for c in question.choices]

    def _gift_answers(self, question: Question, weights: list[float], fmt: str) -> list[str]:
        """'=' on the first best answer, '~' with its weight (when not 0) on every other."""
        pairs = list(zip(question.choices, weights, strict=True))
        best = weights.index(max(weights)) if weights else -1
        return [answer("=", w, 1.0, c.text, c.feedback, fmt) if i == best
                else answer("~", w, 0.0, c.text, c.feedback, fmt) for i, (c, w) in enumerate(pairs)]

    def demo_right(self, data: dict[str, Any]) -> Any:
        return max(data["choices"], key=lambda c: c["weight"])["id"]

    def demo_wrong(self, data: dict[str, Any], rng: random.Random) -> Any:
        wrong = [c["id"] for c in data["choices"] if c["weight"] <= 0]
        return wrong[0] if rng.random() < 0.7 else rng.choice(wrong)


@register
class TrueFalse(SingleChoice):
    """Two choices in their written order (Đúng, Sai), never shuffled."""

    name = KindName.truefalse
    template = "quizzes/kinds/_single.html"
    form_parts = ("truth",)
    label = N_("True or false")

    def form_rows(self, question: Question) -> dict[str, Any]:
        right = max(question.choices, key=lambda c: c.weight, default=None)
        true = right is not None and normalise_text(right.text) in ("đúng", "true")
        return {"truth": "true" if true else "false"}

    def from_rows(self, question: Question, rows: dict[str, Any]) -> list[str]:
        truth = rows.get("truth")
        question.kind = self.name
        question.choices = [Choice("a", "Đúng", 1.0 if truth == "true" else 0.0),
                            Choice("b", "Sai", 1.0 if truth == "false" else 0.0)]
        return [] if truth in ("true", "false") else [N_("Choose whether the statement is true or false.")]

    def gift_block(self, question: Question) -> str:
        """``{TRUE}`` or ``{FALSE}`` with Moodle's ``#feedback if wrong#feedback if right``."""
        q, fmt = question, text_format_of(question)
        true = next((c for c in q.choices if fold(c.text) in ("dung", "true", "d", "t")), None)
        true = true or (q.choices[0] if q.choices else Choice("a", "Đúng", 1.0))
        right = max(q.choices, key=lambda c: c.weight, default=true)
        wrong = next((c for c in q.choices if c is not right), Choice("b", "Sai"))
        right_fb = piece(right.feedback, fmt) if clean(right.feedback) else ""
        wrong_fb = piece(wrong.feedback, fmt) if clean(wrong.feedback) else ""
        comment = f"#{wrong_fb}#{right_fb}" if right_fb else (f"#{wrong_fb}" if wrong_fb else "")
        return "{" + ("TRUE" if true.weight > 0 else "FALSE") + comment + general_feedback(q, fmt) + "}"


@register
class MultipleChoice(SingleChoice):
    name = KindName.multiple
    template = "quizzes/kinds/_multiple.html"
    shape = "many"
    label = N_("Several right answers")

    def read_form(self, entry: dict[str, Any], form: MultiDict) -> Any:
        return form.getlist(field_name(entry))

    def to_ids(self, entry: dict[str, Any], raw: Any) -> Any:
        if raw in (None, "", []):
            return []
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or len(raw) > len(entry.get("choices", {})) or len(set(map(repr, raw))) != len(raw):
            raise InvalidResponse("not a list of this attempt's tokens, each once")
        return [token(entry, "choices", part) for part in raw]

    def to_tokens(self, entry: dict[str, Any], response: Any) -> Any:
        tokens = back(entry, "choices")
        return [tokens[r] for r in response if r in tokens] if isinstance(response, list) else []

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

    def _gift_weights(self, question: Question) -> list[float]:
        weights = super()._gift_weights(question)
        right = sum(1 for w in weights if w > 0)
        if question.all_or_nothing and right:
            # GIFT has no all-or-nothing: the right answers share 100%, a wrong one cancels them all
            weights = [float(percent(1 / right if w > 0 else -1.0)) / 100 for w in weights]
        return weights

    def _gift_answers(self, question: Question, weights: list[float], fmt: str) -> list[str]:
        """A '~%n%' weight on every answer, unless the weights read as a single choice."""
        if not reads_as_multiple(weights):
            return super()._gift_answers(question, weights, fmt)
        pairs = zip(question.choices, weights, strict=True)
        return [answer("~", w, 0.0, c.text, c.feedback, fmt, True) for c, w in pairs]

    def demo_right(self, data: dict[str, Any]) -> Any:
        return [c["id"] for c in data["choices"] if c["weight"] > 0]

    def demo_wrong(self, data: dict[str, Any], rng: random.Random) -> Any:
        right = [c["id"] for c in data["choices"] if c["weight"] > 0]
        wrong = [c["id"] for c in data["choices"] if c["weight"] <= 0]
        return right[:1] + wrong[:1]
