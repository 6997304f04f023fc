"""Reading answers from the quiz page's form, and describing answers for the review."""
from __future__ import annotations

from typing import Any

from markupsafe import Markup
from werkzeug.datastructures import MultiDict

MAX_FIELD = 500


def form_answers(paper: list[dict[str, Any]], form: MultiDict) -> dict[str, Any]:
    """Every question's response as the form holds it (absent fields are unanswered)."""
    answers: dict[str, Any] = {}
    for entry in paper:
        qid, kind = entry["qid"], entry["question"]["kind"]
        name = f"q-{qid}"
        if kind == "multiple":
            answers[qid] = form.getlist(name)
        elif kind == "matching":
            answers[qid] = {
                str(i): form.get(f"{name}-{i}", "")
                for i, pair in enumerate(entry["question"]["pairs"]) if pair["left"]
            }
        else:
            answers[qid] = form.get(name) or None
    return answers


def describe(entry: dict[str, Any], response: Any) -> list[str]:
    """The member's answer for the review: Markup for sanitised HTML, plain strings (escaped) otherwise."""
    question = entry["question"]
    kind = question["kind"]
    if response in (None, "", [], {}):
        return []
    if kind in ("single", "truefalse", "multiple"):
        chosen = response if isinstance(response, list) else [response]
        return [Markup(question["html"]["choices"].get(cid, "")) for cid in chosen]  # sanitised at import
    if kind == "matching":
        pairs = question["pairs"]
        return [f"{pairs[int(left)]['left']} → {pairs[int(right)]['right']}" for left, right in sorted(response.items())
                if right.isdigit() and int(right) < len(pairs)]
    return [str(response)]
