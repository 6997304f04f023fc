"""A question bank as plain data: what the quiz.md and GIFT parsers produce and the database stores.

Everything here is JSON-friendly (``to_dict``/``from_dict``) so a bank version and each attempt's
paper can be stored as written, and pure, so parsers and grading are tested without a database.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from learnhub.text import fold

MAX_SLUG = 60


def derive_question_id(stem: str) -> str:
    """A stable id for a question without one: the stem's folded words (60 characters at most)
    and 6 hex digits of its SHA-1, so similar stems differ. Both parsers use it."""
    stem = unicodedata.normalize("NFC", stem)
    digest = hashlib.sha1(stem.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    slug = "-".join(re.findall(r"[a-z0-9]+", fold(stem)))[:MAX_SLUG].strip("-")
    return f"{slug}-{digest}" if slug else digest


REVIEW_MODES = ("always", "after_pass", "never")  # the single words; quizzes/review.py reads both forms


def choice_id(index: int) -> str:
    """Choice ids in file order: a, b, ..., z, aa, ab, ..."""
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


@dataclass
class Choice:
    """A choice of a single, multiple or true/false question."""

    id: str  # stable within the question ("a", "b", ... in file order)
    text: str  # Markdown source
    weight: float = 0.0  # fraction of the question's points, -1.0 .. 1.0 (GIFT %n%; quiz.md: 1 or 0)
    feedback: str = ""

    @property
    def correct(self) -> bool:
        return self.weight > 0


@dataclass
class TextAnswer:
    """An accepted reply of a short-answer question."""

    text: str
    weight: float = 1.0
    feedback: str = ""


@dataclass
class NumericAnswer:
    """A number with a tolerance, or a range low..high, with its weight."""

    value: float | None = None
    tolerance: float = 0.0
    low: float | None = None
    high: float | None = None
    weight: float = 1.0
    feedback: str = ""

    def accepts(self, number: float) -> bool:
        if self.low is not None and self.high is not None:
            return self.low <= number <= self.high
        assert self.value is not None
        return abs(number - self.value) <= self.tolerance + 1e-9


@dataclass
class Pair:
    """A matching pair; an empty ``left`` is a distractor on the right (GIFT `= -> extra`)."""

    left: str
    right: str


@dataclass
class Question:
    id: str  # stable id: {#id} in quiz.md, ::title:: slug in GIFT, else derived from the stem
    kind: str  # a kinds.KindName
    stem: str  # Markdown source; a blank "___" may stand in it
    points: int = 1
    line: int = 0  # where the question starts in its file
    choices: list[Choice] = field(default_factory=list)
    answers: list[TextAnswer] = field(default_factory=list)
    numeric: list[NumericAnswer] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # ordering: the items in their right order
    explanation: str = ""  # shown at review (quiz.md blockquote, GIFT general feedback ####)
    title: str = ""  # GIFT ::title::
    category: str = ""  # GIFT $CATEGORY, kept as a tag
    all_or_nothing: bool = True  # multiple choice: quiz.md all-or-nothing; GIFT weighted
    text_format: str = "markdown"  # GIFT [markdown] [html] [plain] [moodle]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        values = dict(data)
        values["choices"] = [Choice(**c) for c in data.get("choices", [])]
        values["answers"] = [TextAnswer(**a) for a in data.get("answers", [])]
        values["numeric"] = [NumericAnswer(**n) for n in data.get("numeric", [])]
        values["pairs"] = [Pair(**p) for p in data.get("pairs", [])]
        return cls(**values)


def paper_question(entry: dict[str, Any]) -> Question:
    """The question of an attempt's paper entry (its data without the rendered HTML)."""
    return Question.from_dict({k: v for k, v in entry["question"].items() if k != "html"})


@dataclass
class QuizSettings:
    pass_score: int = 80  # percent of the maximum score
    # questions drawn per attempt; None = all; {category: n} draws n of each category
    draw: int | dict[str, int] | None = None
    time_limit: int | None = None  # minutes
    max_attempts: int | None = None
    shuffle: bool = True
    review: str | dict[str, list[str]] = "always"  # a word, or a mapping (quizzes/review.py)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Bank:
    settings: QuizSettings
    questions: list[Question]
    format: str = "md"  # "md" or "gift"

    def to_dict(self) -> dict[str, Any]:
        return {"settings": self.settings.to_dict(), "format": self.format,
                "questions": [q.to_dict() for q in self.questions]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Bank:
        return cls(QuizSettings(**data["settings"]), [Question.from_dict(q) for q in data["questions"]],
                   data.get("format", "md"))


@dataclass(frozen=True)
class QuizProblem:
    """A problem in a quiz file at a 1-based line; warnings do not stop an import."""

    line: int
    message: str
    severity: str = "error"


class InvalidResponse(ValueError):
    """A submitted answer that no honest page could send (tampering): refused with 400."""
