"""Moodle GIFT banks: ``parse_gift`` reads quiz.gift into a Bank (the writer is in gift_export).

The subset is docs/course-format.md's "quiz.gift: Moodle GIFT", read as Moodle reads it: titles may
repeat, each answer and feedback may carry its own ``[format]``, ``// [id:...]`` comments give ids.
Problems are :class:`GiftProblem` with :class:`Message` texts (English, translatable in the browser).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from learnhub.quizzes import gift_messages as M
from learnhub.quizzes.bank import (
    Bank,
    Choice,
    NumericAnswer,
    Pair,
    Question,
    QuizProblem,
    TextAnswer,
    derive_question_id,
)
from learnhub.quizzes.gift_export import export_gift  # noqa: F401 -- imported from here by callers
from learnhub.quizzes.gift_formats import settle_formats
from learnhub.quizzes.gift_messages import GiftProblem, Message
from learnhub.quizzes.gift_settings import front_matter, read_settings
from learnhub.quizzes.gift_text import (
    FORMAT_RE,
    ID_RE,
    cut,
    reads_as_multiple,
    scan,
    short,
    slug,
    split,
    split_format,
)
from learnhub.quizzes.gift_text import unescape as _text

WEIGHT_RE = re.compile(r"\s*%([-+]?\d+(?:\.\d+)?)%")
NUMBER_RE = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
class _Bad(ValueError):
    """A malformed question: an error at the question's line."""

    def __init__(self, template: str, **params: Any) -> None:
        super().__init__(template)
        self.message = Message(template, **params)


class _Unsupported(_Bad):
    """An item LearnHub cannot grade: an error, or a warning when skipped."""

    def __init__(self, template: str, skipped: str, name: str) -> None:
        super().__init__(template, name=name)
        self.skipped = Message(skipped, name=name)


@dataclass
class _Block:
    """One question's lines: where they are, the text, its category and its comments."""

    first: int
    last: int
    source: str
    category: str
    comments: list[str] = field(default_factory=list)


def parse_gift(
    text: str, *, skip_unsupported: bool = False
) -> tuple[Bank | None, list[QuizProblem]]:
    """Read quiz.gift: the bank when there is no error, and every problem sorted by line."""
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    problems: list[QuizProblem] = []
    fm, start = front_matter(lines, problems)
    questions = _questions(lines[start:], start + 1, skip_unsupported, problems)
    if not questions and all(p.severity != "error" for p in problems):
        problems.append(GiftProblem(1, Message(M.NO_QUESTION)))
    settings = read_settings(fm, questions, problems)
    limit = len(text.splitlines()) + 1
    problems = sorted((replace(p, line=min(max(p.line, 1), limit)) for p in problems),
                      key=lambda p: p.line)
    failed = any(p.severity == "error" for p in problems)
    return (None if failed else Bank(settings, questions, format="gift")), problems


def without_unsupported(text: str) -> str:
    """The text with every item LearnHub cannot grade turned into comments, so nothing is lost."""
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = front_matter(lines, [])[1]
    for block in _blocks(lines[start:], start + 1):
        try:
            _question(block.source, [])
        except _Unsupported:
            for index in range(block.first - 1, block.last):
                lines[index] = "// " + lines[index]
        except _Bad:
            continue
    return "\n".join(lines)


def _blocks(lines: list[str], first: int) -> Iterator[_Block]:
    """Each question's lines; blank lines part them, a block's comments are kept apart."""
    block: list[tuple[int, str]] = []
    comments: list[str] = []
    category = ""
    for number, line in enumerate([*lines, ""], start=first):
        stripped = line.strip()
        if stripped.startswith("$CATEGORY:"):
            category, comments = " ".join(stripped[len("$CATEGORY:"):].split()), []
        elif stripped.startswith("//"):
            comments.append(stripped[2:])
        elif stripped:
            block.append((number, line))
        elif block:
            source = "\n".join(text for _, text in block).strip()
            yield _Block(block[0][0], block[-1][0], source, category, comments)
            block, comments = [], []
        else:
            comments = []


def _explicit_id(comments: list[str]) -> str:
    """The id a ``// [id:...]`` comment gives (Moodle's idnumber), as a slug; '' when none."""
    match = ID_RE.search("\n".join(comments))
    return slug(re.sub(r"\\(.)", r"\1", match[1])) if match else ""


def _name(source: str) -> str:
    """The question's title, else the start of its text: how a message names it."""
    raw, rest = cut(source[2:], "::") if source.startswith("::") else ("", source)
    if rest is not None and _text(raw):
        return short(_text(raw))
    rest = source.removeprefix("::") if rest is None else rest
    match = FORMAT_RE.match(rest)
    return short(_text(cut(rest[match.end():] if match else rest, "{")[0]))


def _questions(
    lines: list[str], first: int, skip: bool, problems: list[QuizProblem]
) -> list[Question]:
    """Every gradable question with a unique id; problems at each question's first line."""
    questions: list[Question] = []
    explicit: list[tuple[str, int, str]] = []
    for number, block in enumerate(_blocks(lines, first), start=1):
        notes: list[Message] = []
        name = _name(block.source)
        try:
            question = _question(block.source, notes)
        except _Unsupported as exc:
            severity, message = ("warning", exc.skipped) if skip else ("error", exc.message)
            problems.append(GiftProblem(block.first, message, severity, unsupported=True, number=number, title=name))
            continue
        except _Bad as exc:
            problems.append(GiftProblem(block.first, exc.message, number=number, title=name))
            continue
        problems.extend(GiftProblem(block.first, note, "warning", number=number, title=name) for note in notes)
        question.line, question.category = block.first, block.category
        questions.append(question)
        explicit.append((_explicit_id(block.comments), number, name))
    _unique_ids(questions, explicit, problems)
    return questions


def _unique_ids(
    questions: list[Question], explicit: list[tuple[str, int, str]], problems: list[QuizProblem]
) -> None:
    """Ids from ``[id:...]`` comments, else titles or stems; a repeated one gets '-2', '-3', ..."""
    given = {wanted for wanted, _, _ in explicit if wanted}
    natural = given | {q.id for q in questions}
    used: set[str] = set()
    for question, (wanted, number, name) in zip(questions, explicit, strict=True):
        base = wanted or question.id
        taken = base in used or (not wanted and base in given)
        if taken:
            suffix = 2
            while f"{base}-{suffix}" in used or f"{base}-{suffix}" in natural:
                suffix += 1
            question.id = f"{base}-{suffix}"
            if wanted:  # an explicit id given twice is worth a word; repeated titles are ordinary
                message = Message(M.ID_TAKEN, id=base, new=question.id)
                problems.append(GiftProblem(question.line, message, "warning", number=number, title=name))
        else:
            question.id = base
        used.add(question.id)


def _question(source: str, notes: list[Message]) -> Question:
    """One question: optional ``::title::`` and ``[format]``, the stem and one answer block."""
    title = ""
    if source.startswith("::"):
        raw, rest = cut(source[2:], "::")
        if rest is None:
            raise _Bad(M.TITLE_OPEN)
        title, source = _text(raw), rest
    match = FORMAT_RE.match(source)
    source = source[match.end():] if match else source
    opens, closes = scan(source, "{"), scan(source, "}")
    name = title or short(_text(source[: opens[0]] if opens else source))
    if not opens and not closes:
        raise _Unsupported(M.DESCRIPTION, M.DESCRIPTION_SKIPPED, name)
    if len(opens) == 1 and not closes:
        raise _Bad(M.BLOCK_OPEN)
    if len(opens) != 1 or len(closes) != 1 or closes[0] < opens[0]:
        raise _Bad(M.ONE_BLOCK)
    block, general = cut(source[opens[0] + 1 : closes[0]], "####", last=True)
    if not block.strip():
        raise _Unsupported(M.ESSAY, M.ESSAY_SKIPPED, name)
    question = _answers(block.strip(), notes)
    after = source[closes[0] + 1 :]  # text after the block: the missing-word form, a blank
    stem = _text(source[: opens[0]], False) + ("___" + _text(after, False) if after.strip() else "")
    if not stem.strip():
        raise _Bad(M.NO_TEXT)
    question.stem, question.id = stem.strip(), slug(title) or derive_question_id(stem.strip())
    question.title, question.explanation = title, _text(general)
    question.text_format = match[1] if match else "markdown"
    settle_formats(question)
    return question


def _answers(body: str, notes: list[Message]) -> Question:
    """The kind and answers of an answer block (its general feedback cut off)."""
    if body.startswith("#"):
        return _numerical(body[1:], notes)
    head, comment = cut(body, "#")
    if head.strip().upper() in ("T", "TRUE", "F", "FALSE"):
        return _truefalse(head.strip().upper() in ("T", "TRUE"), comment or "")
    lead, *pieces = split(body, "=~")
    if lead.strip():
        raise _Bad(M.PREFIX, text=short(lead))
    if any(piece[0] == "~" for piece in pieces):
        return _choices(pieces)
    if any("->" in piece for piece in pieces):
        return _matching(pieces)
    answers = [TextAnswer(text, weight, fb) for weight, text, fb in map(_answer, pieces)]
    if max(a.weight for a in answers) <= 0:
        raise _Bad(M.NO_MARKS)
    return Question("", "short", "", answers=answers)


def _weight(text: str, default: float) -> tuple[float, str]:
    """An optional leading ``%n%`` weight as a fraction, and the rest of the answer."""
    if not text.lstrip().startswith("%"):
        return default, text
    match = WEIGHT_RE.match(text)
    if not match or abs(float(match[1])) > 100:
        raise _Bad(M.WEIGHT, text=short(text))
    return float(match[1]) / 100, text[match.end():]


def _answer(piece: str) -> tuple[float, str, str]:
    """Weight, text and feedback of an '=...' (100% by default) or '~...' (0%) answer."""
    weight, rest = _weight(piece[1:], 1.0 if piece[0] == "=" else 0.0)
    text, feedback = cut(rest, "#")
    if not split_format(_text(text))[1]:
        raise _Bad(M.EMPTY)
    return weight, _text(text), _text(feedback)


def _choices(pieces: list[str]) -> Question:
    """A single choice question, or a weighted multiple answer one graded as Moodle grades it."""
    choices = [Choice(chr(97 + i) if i < 26 else f"z{i}", text, w, fb)  # ids a, b, ... in order
               for i, (w, text, fb) in enumerate(map(_answer, pieces))]
    if len(choices) < 2:
        raise _Bad(M.TWO_CHOICES)
    if max(c.weight for c in choices) <= 0:
        raise _Bad(M.NO_RIGHT)
    multiple = all(p[0] == "~" for p in pieces) and reads_as_multiple([c.weight for c in choices])
    return Question("", "multiple" if multiple else "single", "", choices=choices,
                    all_or_nothing=not multiple)


def _truefalse(truth: bool, comment: str) -> Question:
    """A true/false question; Moodle writes ``{T#feedback if wrong#feedback if right}``."""
    wrong, right = map(_text, cut(comment, "#"))
    return Question("", "truefalse", "", choices=[
        Choice("a", "Đúng", 1.0 if truth else 0.0, right if truth else wrong),
        Choice("b", "Sai", 0.0 if truth else 1.0, wrong if truth else right)])


def _matching(pieces: list[str]) -> Question:
    """A matching question; ``= -> extra`` adds a distractor on the right."""
    pairs = []
    for piece in pieces:
        left, right = cut(piece[1:], "->")
        if right is None:
            raise _Bad(M.PAIR, text=short(_text(piece)))
        right = _text(cut(right, "#")[0])  # feedback on a pair is dropped, as Moodle does
        if not right:
            raise _Bad(M.PAIR_RIGHT)
        pairs.append(Pair(_text(left), right))
    if sum(1 for pair in pairs if split_format(pair.left)[1]) < 2:
        raise _Bad(M.TWO_PAIRS)
    return Question("", "matching", "", pairs=pairs)


def _numerical(body: str, notes: list[Message]) -> Question:
    """A numerical question: ``{#3.14:0.01}``, ``{#1..5}`` or ``{#=3 =%50%3.1}``."""
    body, wrong = cut(body, "~")
    if wrong is not None:
        notes.append(Message(M.NUMERIC_WRONG))
    lead, *pieces = split(body, "=")
    items = ([lead] if lead.strip() else []) + [piece[1:] for piece in pieces]
    if not items:
        raise _Bad(M.NUMERIC_EMPTY)
    numeric = [_numeric_answer(item) for item in items]
    if max(n.weight for n in numeric) <= 0:
        raise _Bad(M.NO_MARKS)
    return Question("", "numerical", "", numeric=numeric)


def _numeric_answer(item: str) -> NumericAnswer:
    """One ``[%w%]value[:tolerance]`` or ``[%w%]low..high`` answer with its ``#feedback``."""
    weight, rest = _weight(item, 1.0)
    spec, feedback = cut(rest, "#")
    spec = split_format(spec.strip())[1]  # Moodle reads a [format] here too, and drops it
    answer = NumericAnswer(weight=weight, feedback=_text(feedback))
    if ".." in spec:
        low, high = spec.split("..", 1)
        answer.low, answer.high = _number(low), _number(high)
        if answer.low > answer.high:
            raise _Bad(M.RANGE, text=short(spec))
        return answer
    value, _, tolerance = spec.partition(":")
    answer.value = _number(value)
    answer.tolerance = _number(tolerance) if tolerance.strip() else 0.0
    if answer.tolerance < 0:
        raise _Bad(M.TOLERANCE, text=short(spec))
    return answer


def _number(source: str) -> float:
    """A finite number written with a dot, or an error."""
    text = _text(source)
    if not NUMBER_RE.fullmatch(text) or not math.isfinite(float(text)):
        raise _Bad(M.NOT_NUMBER, text=short(text))
    return float(text)
