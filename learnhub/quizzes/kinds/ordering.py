"""Ordering: put items in their order. Each position of the page (``q-<qid>-0``, ``-1``...) names
an item by the tokens ``o0``, ``o1``... of an order shuffled per attempt; as in Moodle's ordering
question (absolute position), each item in its right position earns its share of the points.

quiz.md: one line per item, ``- [n] text``, where n (1, 2, ...) is the item's right position."""
from __future__ import annotations

import random
import re
from typing import Any

from werkzeug.datastructures import MultiDict

from learnhub.quizzes.bank import InvalidResponse, Question
from learnhub.quizzes.kinds.base import (
    N_,
    KindName,
    QuestionKind,
    back,
    field_name,
    normalise_text,
    one_line,
    register,
    single_value,
    token,
)

MAX_ITEMS = 50


@register
class Ordering(QuestionKind):
    name = KindName.ordering
    template = "quizzes/kinds/_ordering.html"
    shape = "list"
    gift = False  # GIFT has no ordering question
    md_line = re.compile(r" {0,3}[-*][ \t]+\[([0-9]{1,3})\](?:[ \t]+(.*))?")
    form_parts = ("items",)
    label = N_("Put in order")

    def form_rows(self, question: Question) -> dict[str, Any]:
        return {"items": list(question.items)}

    def from_rows(self, question: Question, rows: dict[str, Any]) -> list[str]:
        items = rows.get("items", [])
        question.kind, question.items = self.name, list(items)
        problems = [] if 2 <= len(items) <= MAX_ITEMS else [N_("Write from 2 to 50 items, in their right order.")]
        if len({normalise_text(text) for text in items}) != len(items):
            problems.append(N_("Two items have the same text: make each item different."))
        return problems

    def tokens(self, data: dict[str, Any], shuffle: bool, rng: random.Random) -> dict[str, dict[str, str]]:
        order = [str(i) for i in range(len(data.get("items", [])))]
        for _ in range(10):  # shown in the right order, the question would answer itself
            rng.shuffle(order)
            if len(order) < 2 or order != sorted(order, key=int):
                break
        return {"items": {f"o{n}": index for n, index in enumerate(order)}}

    def fields(self, entry: dict[str, Any]) -> list[str]:
        return [field_name(entry, str(p)) for p in range(len(entry["question"]["items"]))]

    def read_form(self, entry: dict[str, Any], form: MultiDict) -> Any:
        return [single_value(form, name) or "" for name in self.fields(entry)]

    def to_ids(self, entry: dict[str, Any], raw: Any) -> Any:
        if raw in (None, "", []):
            return []
        if not isinstance(raw, list) or len(raw) != len(entry["question"]["items"]):
            raise InvalidResponse("not one item per position")
        return ["" if value == "" else token(entry, "items", value) for value in raw]

    def to_tokens(self, entry: dict[str, Any], response: Any) -> Any:
        tokens = back(entry, "items")
        return [tokens.get(v, "") for v in response] if isinstance(response, list) and any(response) else []

    def check(self, question: Question, response: Any) -> Any:
        if response in (None, "", []):
            return []
        ids = {str(i) for i in range(len(question.items))}
        if (not isinstance(response, list) or len(response) != len(question.items)
                or not all(v == "" or (isinstance(v, str) and v in ids) for v in response)):
            raise InvalidResponse("unknown item")
        return response

    def grade(self, question: Question, response: Any) -> float:
        if not question.items:
            return 0.0
        return sum(1 for position, item in enumerate(response or []) if item == str(position)) / len(question.items)

    def correct_answer(self, question: Question) -> Any:
        return list(question.items)

    def describe(self, entry: dict[str, Any], response: Any) -> list[Any]:
        items = entry["question"]["items"]
        if not isinstance(response, list) or not any(response):
            return []
        return [f"{p}. {items[int(v)] if v.isdigit() and int(v) < len(items) else '–'}"
                for p, v in enumerate(response, start=1) if isinstance(v, str)]

    def describe_correct(self, entry: dict[str, Any], question: Question) -> list[Any]:
        return [f"{p}. {text}" for p, text in enumerate(question.items, start=1)]

    def key_text(self, data: dict[str, Any], key: str) -> str:
        return "; ".join(self.describe({"question": data}, key.split(",")))

    def md_read(self, question: Question, values: list[tuple[str, ...]]) -> list[str]:
        if any(not text for _, text in values):
            return ["an item needs text after its [n]"]
        if len(values) < 2 or len(values) > MAX_ITEMS:
            return [f"an ordering question needs from 2 to {MAX_ITEMS} items"]
        positions = sorted(int(number) for number, _ in values)
        if positions != list(range(1, len(values) + 1)):
            return [f"the items' positions must be 1 to {len(values)}, each once"]
        if len({normalise_text(text) for _, text in values}) != len(values):
            return ["two items have the same text"]
        question.kind = self.name
        question.items = [text for _, text in sorted(values, key=lambda value: int(value[0]))]
        return []

    def md_problems(self, question: Question) -> list[str]:
        items = question.items
        problems = one_line(items, "an item")
        if not 2 <= len(items) <= MAX_ITEMS:
            problems.append(f"an ordering question needs from 2 to {MAX_ITEMS} items")
        if len({normalise_text(text) for text in items}) != len(items):
            problems.append("two items have the same text")
        return problems

    def md_lines(self, question: Question) -> list[str]:
        return [f"- [{p}] {text}" for p, text in enumerate(question.items, start=1)]

    def demo_right(self, data: dict[str, Any]) -> Any:
        return [str(i) for i in range(len(data["items"]))]

    def demo_wrong(self, data: dict[str, Any], rng: random.Random) -> Any:
        order = self.demo_right(data)
        order[0], order[1] = order[1], order[0]
        return order
