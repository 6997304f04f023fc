"""GIFT problems in the reader's words: English ``path:line`` for the CLI, the user's language in the browser.

A message is an ``str`` (its English text, so the CLI and every existing caller see plain text) that
also remembers its template and values, so a page can show it translated with :func:`localise`.
Templates are marked with ``N_`` so ``learnhub translate update`` puts them in the catalogue.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from learnhub.quizzes.bank import QuizProblem


def N_(template: str) -> str:  # noqa: N802 -- the name gettext's tools look for
    """Mark a template for the catalogue; it is translated where it is shown."""
    return template


class Message(str):
    """An English problem message that keeps its template and values for translation."""

    template: str
    params: dict[str, Any]
    number: int | None = None  # set by GiftProblem: see where()
    question_title: str = ""  # not ``title``, which would hide str.title()

    def __new__(cls, template: str, **params: Any) -> Message:
        self = super().__new__(cls, template % params if params else template)
        self.template, self.params = template, params
        return self


def localise(message: str) -> str:
    """The message in the current user's language (any other text is returned as it is)."""
    if not isinstance(message, Message):
        return str(message)
    return gettext(message.template, **message.params) if message.params else gettext(message.template)


@dataclass(frozen=True)
class GiftProblem(QuizProblem):
    """A GIFT problem that also knows which question it is about, for the browser."""

    number: int | None = None  # the question's place in the file; 0: the front matter; None: the file
    title: str = ""  # the question's ::title::, else the start of its text
    unsupported: bool = False  # an item LearnHub cannot grade (essay, description)

    def __post_init__(self) -> None:
        # The message carries the place too, so a page can name the question even from a problem
        # that kept only the message (courses.format.Problem, the module page, the editor).
        if isinstance(self.message, Message):
            self.message.number, self.message.question_title = self.number, self.title


def where(problem: Any) -> str:
    """Which part of the file a problem is about, in the user's language ('' for the whole file).

    Works for a GiftProblem and for any problem whose message is a GIFT :class:`Message`.
    """
    source = problem if isinstance(problem, GiftProblem) else problem.message
    number = getattr(source, "number", None)
    if number is None:
        return ""
    if number == 0:
        return gettext("Settings at the top of the file")
    title = source.title if isinstance(source, GiftProblem) else getattr(source, "question_title", "")
    if title:
        return gettext("Question %(n)d (“%(title)s”)", n=number, title=title)
    return gettext("Question %(n)d", n=number)


# Every message the reader writes (English; the catalogue holds the Vietnamese).
NO_QUESTION = N_("the file has no gradable question")
FRONT_MATTER_OPEN = N_("the front matter is not closed by a '---' line")
BAD_YAML = N_("invalid YAML: %(error)s")
ESSAY = N_("essay questions cannot be graded: %(name)s")
ESSAY_SKIPPED = N_("essay questions cannot be graded: %(name)s (skipped)")
DESCRIPTION = N_("descriptions without an answer block cannot be graded: %(name)s")
DESCRIPTION_SKIPPED = N_("descriptions without an answer block cannot be graded: %(name)s (skipped)")
TITLE_OPEN = N_("the title is not closed by '::'")
BLOCK_OPEN = N_("the answer block '{' is not closed by '}'")
ONE_BLOCK = N_("a question needs exactly one answer block '{...}'")
NO_TEXT = N_("the question has no text")
PREFIX = N_("unknown answer prefix: '%(text)s' (answers start with '=' or '~')")
NO_MARKS = N_("no answer earns marks")
WEIGHT = N_("the weight in '%(text)s' must be a percentage from -100 to 100")
EMPTY = N_("an answer is empty")
TWO_CHOICES = N_("a choice question needs at least two answers")
NO_RIGHT = N_("no answer is right: mark one with '=' or a positive weight")
PAIR = N_("a matching answer needs 'left -> right': '%(text)s'")
PAIR_RIGHT = N_("a matching answer has nothing after '->'")
TWO_PAIRS = N_("a matching question needs at least two pairs")
NUMERIC_WRONG = N_("the '~' feedback of a numerical question is ignored")
NUMERIC_EMPTY = N_("a numerical question needs a number after '#'")
RANGE = N_("the range '%(text)s' goes from high to low")
TOLERANCE = N_("the tolerance in '%(text)s' is negative")
NOT_NUMBER = N_("'%(text)s' is not a number")
ID_TAKEN = N_("the id '%(id)s' is also given to an earlier question: this one gets '%(new)s'")
UNKNOWN_KEY = N_("unknown key '%(key)s' is ignored")
POINTS_MAP = N_("points must map question ids to whole numbers")
POINTS_ID = N_("points: no question has the id '%(id)s'")
POINTS_VALUE = N_("points of '%(id)s' must be a positive whole number")
SETTING = {
    "pass_score": N_("pass_score must be a whole number from 1 to 100"),
    "draw": N_("draw must be a whole number from 1 to the number of questions (%(n)d)"),
    "time_limit": N_("time_limit must be a positive whole number of minutes"),
    "max_attempts": N_("max_attempts must be a positive whole number"),
    "shuffle": N_("shuffle must be true or false"),
    "review": N_("review must be always, after_pass or never"),
}
