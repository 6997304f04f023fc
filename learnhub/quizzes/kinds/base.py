"""What every question kind does, and the helpers the kinds share: one class per kind owns its
whole life (tokens on the page, reading the form, grading, describing answers, writing quiz.md
and GIFT)."""
from __future__ import annotations

import random
import re
import unicodedata
from enum import StrEnum
from typing import Any, ClassVar

from werkzeug.datastructures import MultiDict

from learnhub.quizzes.bank import InvalidResponse, Question

MAX_TEXT = 500


def N_(message: str) -> str:  # noqa: N802 (gettext's marker: extracted, translated where shown)
    return message


# The editor's answer rows (see QuestionKind.form_rows): what each part of a question form holds.
FORM_PARTS = ("choices", "truth", "answers", "numbers", "pairs", "items")


class KindName(StrEnum):
    """The kinds LearnHub can grade, as stored in a question's ``kind``."""

    single = "single"
    multiple = "multiple"
    truefalse = "truefalse"
    short = "short"
    numerical = "numerical"
    matching = "matching"
    ordering = "ordering"


def normalise_text(text: str) -> str:
    """NFC, case-folded, trimmed, inner whitespace collapsed; diacritics stay significant."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def parse_number(text: str) -> float | None:
    """A number written with a comma or a dot as the decimal mark ("98,5", "98.5", "1 000")."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"[-+]?\d+([.,]\d+)?", cleaned):
        return float(cleaned.replace(",", "."))
    return None


def one_line(texts: list[str], what: str) -> list[str]:
    """quiz.md answer texts stand on one line each, trimmed, and cannot be empty."""
    if all(text and text == text.strip() and "\n" not in text for text in texts):
        return []
    return [f"{what} is empty, spans several lines or starts or ends with blank space"]


def field_name(entry: dict[str, Any], suffix: str | None = None) -> str:
    """The form field of a question (``q-<qid>``), or of one of its parts (``q-<qid>-<suffix>``)."""
    return f"q-{entry['qid']}" + ("" if suffix is None else f"-{suffix}")


def single_value(form: MultiDict, name: str) -> str | None:
    """A field an honest page sends at most once; InvalidResponse when it comes twice."""
    values = form.getlist(name)
    if len(values) > 1:
        raise InvalidResponse("a field sent twice")
    return values[0] if values else None


def token(entry: dict[str, Any], table: str, raw: Any) -> str:
    """The id behind one of this attempt's tokens in ``entry[table]``; anything else is refused."""
    if not isinstance(raw, str) or raw not in entry.get(table, {}):
        raise InvalidResponse("not a token of this attempt")
    return str(entry[table][raw])


def back(entry: dict[str, Any], table: str) -> dict[str, str]:
    """The token of each id in ``entry[table]`` (to show a saved answer again)."""
    return {str(value): key for key, value in entry.get(table, {}).items()}


class QuestionKind:
    """A question kind. Responses exist in two forms: the page's (this attempt's tokens) and the
    canonical one kept and graded (choice ids, pair or item indexes, texts)."""

    name: ClassVar[KindName]
    template: ClassVar[str]  # the partial that renders the question's inputs on the attempt page
    shape: ClassVar[str] = "one"  # how the page's script reads an answer: one, many, text, map, list
    gift: ClassVar[bool] = True  # whether GIFT can express the kind (export refuses it otherwise)
    # A kind with its own quiz.md answer lines: the pattern of one line (the reader tries it before
    # its own syntaxes) and ``md_read`` to fill the question from the lines' match groups.
    md_line: ClassVar[re.Pattern[str] | None] = None

    # --- the paper and the page ----------------------------------------------------------------

    def tokens(self, data: dict[str, Any], shuffle: bool, rng: random.Random) -> dict[str, dict[str, str]]:
        """The tokens this attempt's page uses, by table ("choices", "rights", "items")."""
        return {}

    def fields(self, entry: dict[str, Any]) -> list[str]:
        """The form fields the page has for the question."""
        return [field_name(entry)]

    def read_form(self, entry: dict[str, Any], form: MultiDict) -> Any:
        """The page's response from the submitted form (InvalidResponse for duplicated fields)."""
        return single_value(form, field_name(entry)) or None

    def to_ids(self, entry: dict[str, Any], raw: Any) -> Any:
        """The page's response in canonical form; InvalidResponse unless it names only this
        attempt's tokens (and keys)."""
        raise NotImplementedError

    def to_tokens(self, entry: dict[str, Any], response: Any) -> Any:
        """A canonical response as the page names things (to show it again after a reload)."""
        return response

    # --- grading (pure) -------------------------------------------------------------------------

    def check(self, question: Question, response: Any) -> Any:
        """The canonical response, or InvalidResponse when no honest page sends it."""
        raise NotImplementedError

    def grade(self, question: Question, response: Any) -> float:
        """The fraction of the question's points that a checked response earns (0..1)."""
        raise NotImplementedError

    def correct_answer(self, question: Question) -> Any:
        """The right answer in canonical terms."""
        raise NotImplementedError

    # --- review and statistics ------------------------------------------------------------------

    def describe(self, entry: dict[str, Any], response: Any) -> list[Any]:
        """The member's answer for the review: Markup for sanitised HTML, plain strings otherwise."""
        return [] if response in (None, "", [], {}) else [str(response)]

    def describe_correct(self, entry: dict[str, Any], question: Question) -> list[Any]:
        """The right answer for the review, in the same terms as ``describe``."""
        return [str(text) for text in self.correct_answer(question)]

    def key_text(self, data: dict[str, Any], key: str) -> str:
        """A stored response key (see attempts.response_key) as people read it."""
        return key

    # --- quiz.md --------------------------------------------------------------------------------

    def md_problems(self, question: Question) -> list[str]:
        """What quiz.md cannot express of the question's answers (empty when it can be written)."""
        return []

    def md_lines(self, question: Question) -> list[str]:
        """The question's answer lines in quiz.md."""
        raise NotImplementedError

    def md_read(self, question: Question, values: list[tuple[str, ...]]) -> list[str]:
        """Fill the question from its ``md_line`` matches; the problems found (for ``md_line`` kinds)."""
        raise NotImplementedError

    # --- the question form (authoring) ------------------------------------------------------

    # The answer parts of the kind's form (of FORM_PARTS) and its name in the editor (a msgid).
    form_parts: ClassVar[tuple[str, ...]] = ()
    label: ClassVar[str] = ""

    def form_rows(self, question: Question) -> dict[str, Any]:
        """The question's answers as the editor's rows: ``choices`` [(text, right)], ``truth``
        ("true"/"false"), ``answers`` [text], ``numbers`` [(number, tolerance)], ``pairs``
        [(left, right)], ``items`` [text in the right order]."""
        raise NotImplementedError

    def from_rows(self, question: Question, rows: dict[str, Any]) -> list[str]:
        """Fill the question's answers from the editor's rows (blank rows already left out); the
        problems found, as msgids naming the field to fix."""
        raise NotImplementedError

    # --- GIFT ---------------------------------------------------------------------------------

    def gift_block(self, question: Question) -> str:
        """The question's GIFT answer block ``{...}`` (only for kinds whose ``gift`` is True)."""
        raise NotImplementedError

    # --- the demo -------------------------------------------------------------------------------

    def demo_right(self, data: dict[str, Any]) -> Any:
        """A canonical right answer, as a member who knows would give it."""
        raise NotImplementedError

    def demo_wrong(self, data: dict[str, Any], rng: random.Random) -> Any:
        """A canonical wrong answer; most fall on one tempting distractor, as in real classes."""
        raise NotImplementedError


REGISTRY: dict[str, QuestionKind] = {}


def register(cls: type[QuestionKind]) -> type[QuestionKind]:
    """Class decorator: put one instance of the kind in the registry under its name."""
    REGISTRY[cls.name] = cls()
    return cls
