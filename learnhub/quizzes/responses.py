"""Reading answers from the quiz page's form, and describing answers for the review: each kind
reads its own fields; a field the page never had, or one sent twice, is refused."""
from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from learnhub.quizzes.attempts import kind_of_entry, paper_question
from learnhub.quizzes.bank import InvalidResponse

FIELD_PREFIX = "q-"


def form_answers(paper: list[dict[str, Any]], form: MultiDict) -> dict[str, Any]:
    """Every question's response as the form holds it (absent fields are unanswered);
    InvalidResponse for an answer field that is not on this paper or comes twice."""
    known = {name for entry in paper for name in kind_of_entry(entry).fields(entry)}
    if any(key.startswith(FIELD_PREFIX) and key not in known for key in form.keys()):
        raise InvalidResponse("an answer to a question that is not on this paper")
    return {entry["qid"]: kind_of_entry(entry).read_form(entry, form) for entry in paper}


def describe(entry: dict[str, Any], response: Any) -> list[Any]:
    """The member's answer for the review: Markup for sanitised HTML, plain strings (escaped) otherwise."""
    return kind_of_entry(entry).describe(entry, response)


def describe_correct(entry: dict[str, Any]) -> list[Any]:
    """The right answer for the review, in the terms of ``describe``."""
    return kind_of_entry(entry).describe_correct(entry, paper_question(entry))
