"""GIFT's per-piece ``[format]`` markers, honoured as Moodle honours them and never shown to members.

Moodle lets every answer, feedback and matching item carry its own ``[html]``, ``[markdown]``,
``[plain]`` or ``[moodle]`` marker (the question's format otherwise). LearnHub renders a question's
texts in one format, so the reader brings each piece into the question's format (a plain-text
question with an HTML or Markdown piece becomes an HTML question); HTML is sanitised when it is
rendered (learnhub.markdown). Matching items and short answers are shown as plain text.
"""
from __future__ import annotations

from typing import Any

from learnhub.quizzes.bank import Question
from learnhub.quizzes.gift_text import family, html_to_text, markdown_literal, split_format
from learnhub.quizzes.kinds.base import KindName


def _render_text(text: str, text_format: str) -> str:
    """The one rule for rendering question text (quizzes.sync), imported late: sync needs the models."""
    from learnhub.quizzes.sync import render_text

    return render_text(text, text_format)


def convert(text: str, source: str, target: str) -> str:
    """``text`` written in the ``source`` format, rewritten in the ``target`` (markdown or html)."""
    if not text or family(source) == family(target):
        return text
    if target == "html":
        return _render_text(text, source)  # Markdown rendered, plain text escaped; both sanitised
    return text if source == "html" else markdown_literal(text)  # Markdown accepts inline HTML


def _rendered_pieces(question: Question) -> list[tuple[Any, str]]:
    """(object, attribute) of every text rendered in the question's format."""
    pieces: list[tuple[Any, str]] = [(question, "explanation")]
    if question.kind != KindName.truefalse:  # Đúng / Sai are LearnHub's own words
        pieces += [(choice, "text") for choice in question.choices]
    pieces += [(choice, "feedback") for choice in question.choices]
    pieces += [(answer, "feedback") for answer in [*question.answers, *question.numeric]]
    return pieces


def settle_formats(question: Question) -> None:
    """Strip every piece's marker and bring its text into the question's format, in place."""
    own = question.text_format
    pieces = [(obj, attr, *split_format(getattr(obj, attr))) for obj, attr in _rendered_pieces(question)]
    if family(own) == "plain" and any(family(fmt) != "plain" for _, _, fmt, _ in pieces if fmt):
        question.stem, question.text_format = _render_text(question.stem, own), "html"
    for obj, attr, fmt, text in pieces:
        setattr(obj, attr, convert(text, fmt or own, question.text_format))
    for answer in question.answers:  # compared with what members type: the marker goes, as in Moodle
        answer.text = split_format(answer.text)[1]
    for pair in question.pairs:
        fmt, text = split_format(pair.left)
        pair.left = html_to_text(text) if (fmt or own) == "html" else text
