"""quiz.md, the LearnHub Markdown quiz syntax: a Bank, or every problem at its file line."""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from learnhub.courses.frontmatter import FrontMatterError, split_front_matter
from learnhub.quizzes.bank import (
    Bank,
    Choice,
    NumericAnswer,
    Pair,
    Question,
    QuizProblem,
    QuizSettings,
    TextAnswer,
    choice_id,
    derive_question_id,
)
from learnhub.quizzes.kinds import REGISTRY, KindName, QuestionKind, normalise_text, parse_number
from learnhub.quizzes.kinds.choice import TRUE_FALSE
from learnhub.quizzes.review import WANTED, valid_review

HEADING_RE = re.compile(r"##(?:[ \t]+(.*))?")
CHOICE_RE = re.compile(r" {0,3}[-*][ \t]+\[([ xX])\](?:[ \t]+(.*))?")
PAIR_RE = re.compile(r" {0,3}[-*][ \t]+(.*?)->(.*)")
EQUALS_RE = re.compile(r"=(?:[ \t]+(.*))?")
QUOTE_RE = re.compile(r" {0,3}> ?(.*)")
ID_RE = re.compile(r"\{#([^{}]*)\}$")
POINTS_RE = re.compile(r"\[([0-9]+)[ \t]+(?:điểm|diem|points?)\]$", re.IGNORECASE)
VALID_ID_RE = re.compile(r"[a-z0-9-]+")
# An optional category: `[chủ đề: Lịch sử Đảng]` (or `[category: ...]`), for draws by category.
CATEGORY_RE = re.compile(r"\[(?:chủ đề|chu de|category):[ \t]*([^\[\]\n]*?)[ \t]*\]$", re.IGNORECASE)
MAX_CATEGORY = 80
TOLERANCE_RE = re.compile(r"±|\+-")
# Kinds with answer lines of their own (an ordering question's `- [n] item`), tried first.
OWN_SYNTAX: dict[str, QuestionKind] = {name: kind for name, kind in REGISTRY.items() if kind.md_line is not None}
ANSWER_KINDS = ("choice", "equals", "pair", *OWN_SYNTAX)
MAX_SLUG = 60


@dataclass
class _Block:
    """The lines of one question: its `## ` heading and everything up to the next heading."""

    line: int
    heading: str
    lines: list[str] = field(default_factory=list)


def parse_quiz_md(text: str) -> tuple[Bank | None, list[QuizProblem]]:
    """The bank of a quiz.md text (None when it has an error) and all its problems, by line."""
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff").replace("\r\n", "\n"))
    problems: list[QuizProblem] = []
    data, key_lines, body, body_line = _front_matter(text, problems)
    blocks, stray_line = _split_blocks(body, body_line)
    if stray_line is not None:
        problems.append(QuizProblem(stray_line, "text before the first question"))
    if not blocks:
        problems.append(QuizProblem(1, "the file has no questions (each starts with '## ')"))
    questions: list[Question] = []
    first_line_of: dict[str, int] = {}
    for block in blocks:
        question, qid, messages = _parse_question(block)
        problems.extend(QuizProblem(block.line, message) for message in messages)
        if qid in first_line_of:
            used = f"the id '{qid}' is already used by the question at line {first_line_of[qid]}"
            problems.append(QuizProblem(block.line, used))
        else:
            first_line_of[qid] = block.line
        if question is not None:
            questions.append(question)
    settings = QuizSettings() if data is None else _settings(data, key_lines, len(blocks), problems)
    if data is not None and isinstance(settings.draw, dict):
        problems.extend(QuizProblem(key_lines.get("draw", 1), message)
                        for message in draw_problems(settings.draw, questions))
    problems.sort(key=lambda problem: problem.line)
    if any(problem.severity == "error" for problem in problems):
        return None, problems
    return Bank(settings, questions, format="md"), problems


def _front_matter(
    text: str, problems: list[QuizProblem]
) -> tuple[dict[str, Any] | None, dict[str, int], str, int]:
    """The front matter's data and key lines, and the body with the file line it starts on."""
    try:
        front = split_front_matter(text)
    except FrontMatterError as exc:
        problems.append(QuizProblem(exc.line, exc.message))
        return None, {}, *_body_without_front_matter(text)
    # PyYAML also lets plain ValueError, AttributeError, RecursionError... out on odd values.
    except Exception as exc:  # noqa: BLE001
        detail = (str(exc).splitlines() or [type(exc).__name__])[0][:80]
        problems.append(QuizProblem(1, f"invalid YAML: {detail}"))
        return None, {}, *_body_without_front_matter(text)
    return front.data, front.key_lines, front.body, front.body_line


def _body_without_front_matter(text: str) -> tuple[str, int]:
    """The body after a front matter that could not be read, so its questions are still checked."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "".join(lines[index + 1:]), index + 2
    return "", len(lines) + 1


def _split_blocks(body: str, first_line: int) -> tuple[list[_Block], int | None]:
    """The question blocks of the body, and the line of any text before the first heading."""
    blocks: list[_Block] = []
    stray_line = None
    for number, line in enumerate(body.splitlines(), start=first_line):
        heading = HEADING_RE.fullmatch(line.rstrip())
        if heading is not None:
            blocks.append(_Block(number, (heading.group(1) or "").strip()))
        elif blocks:
            blocks[-1].lines.append(line)
        elif line.strip() and stray_line is None:
            stray_line = number
    return blocks, stray_line


def _parse_question(block: _Block) -> tuple[Question | None, str, list[str]]:
    """A question from its block (None when broken), its id and the problems found in it."""
    heading, category = _category(block.heading)
    head, qid, points, errors = _parse_heading(heading)
    paragraphs, answers, explanation, structure_errors = _read_lines(block.lines)
    errors += structure_errors
    if not head:
        errors.append("the heading has no question text")
    stem = "\n\n".join(part for part in (head, paragraphs) if part)
    qid = qid if qid is not None else derive_question_id(stem)
    if errors:
        return None, qid, errors
    question = Question(id=qid, kind="", stem=stem, points=points, line=block.line,
                        explanation=explanation, category=category)
    errors = _fill_answers(question, answers)
    return (None if errors else question), qid, errors


def _category(text: str) -> tuple[str, str]:
    """The heading without its `[chủ đề: ...]` marker (written last), and the category."""
    match = CATEGORY_RE.search(text)
    if match is None or not match.group(1):
        return text, ""
    return text[: match.start()].rstrip(), match.group(1)[:MAX_CATEGORY]


def _parse_heading(text: str) -> tuple[str, str | None, int, list[str]]:
    """The heading's stem text, its {#id}, its points and problems with the two markers."""
    qid, points, errors, found_points = None, 1, [], False
    for _ in range(2):  # the id and the points marker may come in either order
        id_match = ID_RE.search(text) if qid is None else None
        points_match = POINTS_RE.search(text) if not found_points else None
        if id_match is not None:
            qid, text = id_match.group(1), text[: id_match.start()].rstrip()
            if not VALID_ID_RE.fullmatch(qid):
                errors.append(f"the id {{#{qid}}} may only use a-z, 0-9 and '-'")
        elif points_match is not None:
            found_points, text = True, text[: points_match.start()].rstrip()
            digits = points_match.group(1).lstrip("0")
            points = int(digits) if 0 < len(digits) <= 9 else 1
            if not 0 < len(digits) <= 9:
                errors.append("points must be a whole number from 1 to 999999999")
    return text, qid, points, errors


def _read_lines(lines: list[str]) -> tuple[str, list[tuple[str, Any]], str, list[str]]:
    """A question's stem paragraphs, answer lines, explanation and structure problems."""
    stem: list[str] = []
    answers: list[tuple[str, Any]] = []
    explanation: list[str] = []
    phase, stray, error = "stem", False, None
    for line in lines:
        kind, value = _classify(line)
        if phase == "stem" and kind not in ANSWER_KINDS:
            stem.append(line.rstrip())
        elif phase != "explanation" and kind in ANSWER_KINDS:
            if stray:
                error = "text between answer lines"
                break
            phase = "answers"
            answers.append((kind, value))
        elif kind == "quote" and not stray:
            phase = "explanation"
            explanation.append(value)
        elif kind == "blank":
            explanation.extend([""] if phase == "explanation" else [])
        elif phase == "explanation":
            error = "text after the explanation"
            break
        else:
            stray = True
    if stray and error is None:
        error = "text after the answer lines (an explanation starts with '> ')"
    # Blank lines were stored as "", so stripping newlines trims the leading and trailing ones.
    stem_text, explanation_text = "\n".join(stem).strip("\n"), "\n".join(explanation).strip("\n")
    return stem_text, answers, explanation_text, [error] if error else []


def _classify(line: str) -> tuple[str, Any]:
    """What a line of a question is: blank, choice, equals, pair, quote or text, with its parts."""
    line = line.rstrip()
    if not line.strip():
        return "blank", None
    for name, kind in OWN_SYNTAX.items():
        if kind.md_line is not None and (match := kind.md_line.fullmatch(line)):
            return name, tuple((group or "").strip() for group in match.groups())
    if match := CHOICE_RE.fullmatch(line):
        return "choice", (match.group(1) in "xX", (match.group(2) or "").strip())
    if match := PAIR_RE.fullmatch(line):
        return "pair", (match.group(1).strip(), match.group(2).strip())
    if match := EQUALS_RE.fullmatch(line):
        return "equals", (match.group(1) or "").strip()
    if match := QUOTE_RE.fullmatch(line):
        return "quote", match.group(1)
    return "text", None


def _fill_answers(question: Question, answers: list[tuple[str, Any]]) -> list[str]:
    """Set the question's kind and answers from its answer lines; the problems found."""
    kinds = {kind for kind, _ in answers}
    if not kinds:
        return ["the question has no answers"]
    if len(kinds) > 1:
        return ["mixed answer kinds: use only choices, only '=' lines or only '->' pairs"]
    values = [value for _, value in answers]
    syntax = kinds.pop()
    if syntax in OWN_SYNTAX:
        return OWN_SYNTAX[syntax].md_read(question, values)
    fills: dict[str, Callable[[Question, Any], list[str]]] = {
        "choice": _fill_choices, "equals": _fill_equals, "pair": _fill_pairs}
    return fills[syntax](question, values)


def _fill_choices(question: Question, values: list[tuple[bool, str]]) -> list[str]:
    """A single, multiple or true/false question from `- [x]` / `- [ ]` lines."""
    if any(not text for _, text in values):
        return ["a choice needs text after [x] or [ ]"]
    question.choices = [Choice(choice_id(index), text, 1.0 if correct else 0.0)
                        for index, (correct, text) in enumerate(values)]
    correct = sum(1 for correct, _ in values if correct)
    if correct == 0:
        return ["a choice list needs at least one [x]"]
    texts = {normalise_text(text) for _, text in values}
    if len(values) == 2 and texts in TRUE_FALSE:
        question.kind = KindName.truefalse
        return [] if correct == 1 else ["a true/false question needs exactly one [x]"]
    question.kind = KindName.single if correct == 1 else KindName.multiple
    question.all_or_nothing = True
    return []


def _fill_equals(question: Question, values: list[str]) -> list[str]:
    """A numerical question when every `=` line is a number or a range, else a short answer."""
    if any(not value for value in values):
        return ["an '=' line needs an answer after it"]
    numbers = [_numeric_answer(value) for value in values]
    if any(number is None for number in numbers):
        question.kind, question.answers = KindName.short, [TextAnswer(value) for value in values]
        return []
    question.kind, question.numeric = KindName.numerical, [n for n in numbers if n is not None]
    errors = [f"the range {n.low:g}..{n.high:g} ends below its start" for n in question.numeric
              if n.low is not None and n.high is not None and n.low > n.high]
    if any(n.tolerance < 0 for n in question.numeric):
        errors.append("a tolerance after '±' cannot be negative")
    return errors


def _numeric_answer(text: str) -> NumericAnswer | None:
    """`98`, `98,5 ± 1`, `98 +- 1` or `97..99` as a NumericAnswer; None for other text."""
    if ".." in text:
        low, _, high = text.partition("..")
        low_value, high_value = _number(low), _number(high)
        if low_value is None or high_value is None:
            return None
        return NumericAnswer(low=low_value, high=high_value)
    parts = TOLERANCE_RE.split(text, maxsplit=1)
    numbers = [number for number in map(_number, parts) if number is not None]
    if len(numbers) != len(parts):
        return None
    return NumericAnswer(value=numbers[0], tolerance=numbers[1] if len(numbers) == 2 else 0.0)


def _number(text: str) -> float | None:
    """A finite number written with a comma or dot decimal mark, else None."""
    value = parse_number(text)
    return value if value is not None and math.isfinite(value) else None


def _fill_pairs(question: Question, values: list[tuple[str, str]]) -> list[str]:
    """A matching question from `- left -> right` lines."""
    if any(not left or not right for left, right in values):
        return ["a matching pair needs text on both sides of '->'"]
    if len(values) < 2:
        return ["a matching question needs at least two pairs"]
    question.kind, question.pairs = KindName.matching, [Pair(left, right) for left, right in values]
    return []


def _settings(
    data: dict[str, Any], key_lines: dict[str, int], count: int, problems: list[QuizProblem]
) -> QuizSettings:
    """The quiz settings from the front matter; problems at their key's line (missing: line 1)."""
    settings = QuizSettings()
    problems.extend(QuizProblem(line, f"unknown key '{key}' is ignored", "warning")
                    for key, line in key_lines.items() if key not in SETTINGS)
    if "pass_score" not in data:
        problems.append(QuizProblem(1, "'pass_score' is required"))
    for key, (valid, wanted) in SETTINGS.items():
        if key not in data or (data[key] is None and key in NULLABLE):
            continue
        if valid(data[key]):
            setattr(settings, key, data[key])
        else:
            problems.append(QuizProblem(key_lines.get(key, 1), f"'{key}' must be {wanted}"))
    if isinstance(settings.draw, int) and 0 < count < settings.draw:
        message = f"'draw' ({settings.draw}) is larger than the number of questions ({count})"
        problems.append(QuizProblem(key_lines.get("draw", 1), message))
    return settings


def _whole(low: int, high: int | None = None) -> Callable[[Any], bool]:
    """A check for a whole number (not a bool) from low to high."""
    return lambda value: type(value) is int and low <= value and (high is None or value <= high)


SETTINGS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "pass_score": (_whole(1, 100), "a whole number from 1 to 100"),
    "draw": (lambda value: _whole(1)(value) or _draws(value),
             "a whole number of at least 1, or 'category: number' lines"),
    "time_limit": (_whole(1), "a whole number of minutes, at least 1"),
    "max_attempts": (_whole(1), "a whole number of at least 1"),
    "shuffle": (lambda value: type(value) is bool, "true or false"),
    "review": (valid_review, WANTED),
}
def _draws(value: Any) -> bool:
    """A draw by category: a mapping of category names to whole numbers of at least 1."""
    return (isinstance(value, dict) and bool(value)
            and all(isinstance(k, str) and k.strip() and _whole(1)(v) for k, v in value.items()))


def draw_problems(draw: dict[str, int], questions: list[Question]) -> list[str]:
    """A draw by category asking more questions of a category than it holds."""
    counts: dict[str, int] = {}
    for question in questions:
        counts[question.category] = counts.get(question.category, 0) + 1
    return [f"'draw' asks {n} questions of the category '{name}', which has {counts.get(name, 0)}"
            for name, n in draw.items() if n > counts.get(name, 0)]


NULLABLE = ("draw", "time_limit", "max_attempts")  # an empty value means "no limit"
