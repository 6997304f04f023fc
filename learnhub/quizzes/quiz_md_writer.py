"""Writing a Bank as quiz.md: ``export_quiz_md`` is the inverse of ``parse_quiz_md``.

Used to turn a GIFT bank into the LearnHub Markdown quiz syntax (docs/course-format.md, "quiz.md")
and to write quiz.md banks back canonically. The text read back by ``parse_quiz_md`` gives the same
settings and, for every question, the same id, kind, stem, choices and their correctness, answers,
numbers with their tolerance or range, pairs, points and explanation; writing it again gives the
same text. Texts are written in Unicode NFC, as both parsers read them.

quiz.md has no place for everything a GIFT bank may hold. What it cannot express exactly is refused
with ``NotRepresentable``, listing every such question, rather than written so that it reads back
differently: partial-credit or negative weights (quiz.md choices are right or wrong, multiple answers
are scored all-or-nothing, '=' answers earn full marks), per-answer feedback, matching distractors,
HTML text, plain/Moodle-format text that Markdown would render differently, and text that quiz.md
would misread (a stem line that looks like an answer line or a heading, a '->' on a matching left
side, a line break inside a choice, spaces that quiz.md trims...). Every written text is checked by
reading the question back with ``parse_quiz_md``, so nothing silently changes.

A question's category (GIFT ``$CATEGORY``) is written as ``[chủ đề: ...]`` at the end of its heading,
for draws by category, when quiz.md can keep it (one line, no brackets, 80 characters at most);
otherwise it is dropped. Its ``::title::`` is dropped on purpose (only its id, always written as
``{#id}``, matters; GIFT export writes the id as the title too). The source line is not kept either.
"""
from __future__ import annotations

import html
import json
import re
import unicodedata
from typing import Any

from learnhub.markdown import render_markdown
from learnhub.quizzes.bank import Bank, Question, QuizSettings
from learnhub.quizzes.kinds import REGISTRY, KindName
from learnhub.quizzes.quiz_md import (
    CATEGORY_RE,
    CHOICE_RE,
    EQUALS_RE,
    HEADING_RE,
    MAX_CATEGORY,
    NULLABLE,
    OWN_SYNTAX,
    PAIR_RE,
    POINTS_RE,
    SETTINGS,
    VALID_ID_RE,
    draw_problems,
    parse_quiz_md,
)
from learnhub.quizzes.review import review_yaml

MAX_POINTS = 999_999_999  # the most digits a `[N điểm]` marker may have
# Characters that str.splitlines() breaks on besides "\n": the parser would split a line at them.
BREAKS_RE = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
CHECK_FRONT = "---\npass_score: 80\n---\n\n"  # to read one question back on its own
Reason = tuple[int, str]
OWN_LINES = [kind.md_line for kind in OWN_SYNTAX.values() if kind.md_line is not None]


class NotRepresentable(ValueError):
    """A bank that quiz.md cannot express exactly.

    ``reasons`` lists every problem as ``(where, message)``: ``where`` is the question's line in its
    source file, or its 1-based position in the bank when the line is unknown (0), and 0 for the
    bank's settings; the message names the question, e.g. "question 'x' (line 12): partial-credit
    weights cannot be written in quiz.md".
    """

    def __init__(self, reasons: list[Reason]) -> None:
        self.reasons = list(reasons)
        super().__init__("\n".join(message for _, message in self.reasons))


def export_quiz_md(bank: Bank) -> str:
    """The bank as quiz.md text; the same bank always gives the same text.

    Raises NotRepresentable when any question (or setting) cannot be written so that
    ``parse_quiz_md`` reads it back the same; the exception lists all of them.
    """
    reasons = [(0, message) for message in _settings_problems(bank.settings, len(bank.questions)) + _draw_problems(bank)]
    chunks = [_front_matter(bank.settings)]
    first_seen: dict[str, str] = {}  # id -> its first question, for a message
    for index, original in enumerate(bank.questions, start=1):
        question = _nfc(original)
        where = question.line or index
        place = f"line {question.line}" if question.line else f"no. {index}"
        label = f"question '{_short(question.id, 80)}' ({place})"
        problems = _problems(question)
        if question.id in first_seen:
            problems.append(f"the id is already used by {first_seen[question.id]}")
        first_seen.setdefault(question.id, f"the question at line {question.line}" if question.line
                              else f"question no. {index}")
        chunk = _question_text(question) if not problems else ""
        problems = problems or _read_back_problems(question, chunk)
        reasons.extend((where, f"{label}: {problem}") for problem in problems)
        chunks.append(chunk)
    if reasons:
        raise NotRepresentable(reasons)
    return "\n\n".join(chunks) + "\n"


# --- checks ------------------------------------------------------------------------------------

def _settings_problems(settings: QuizSettings, count: int) -> list[str]:
    """What keeps the settings from reading back (as the quiz.md parser checks them)."""
    problems = [] if count else ["the bank has no questions"]
    for key, (valid, wanted) in SETTINGS.items():
        value = getattr(settings, key)
        if not (value is None and key in NULLABLE) and not valid(value):
            problems.append(f"settings: '{key}' must be {wanted}")
    draw = settings.draw
    if type(draw) is int and 0 < count < draw:
        problems.append(f"settings: 'draw' ({draw}) is larger than the number of questions ({count})")
    return problems


def settings_only(settings: QuizSettings) -> str:
    """The front matter of a bank that has no questions yet."""
    return _front_matter(settings) + "\n"


def _draw_problems(bank: Bank) -> list[str]:
    draw = bank.settings.draw
    return [f"settings: {p}" for p in draw_problems(draw, bank.questions)] if isinstance(draw, dict) else []


def writable_category(category: str) -> bool:
    """Whether quiz.md can keep a category (GIFT's `$CATEGORY` paths are dropped otherwise)."""
    return bool(category) and len(category) <= MAX_CATEGORY and category == category.strip() \
        and CATEGORY_RE.search(f"[chủ đề: {category}]") is not None


def _problems(q: Question) -> list[str]:
    """Everything about the question that quiz.md cannot express (empty when it can be written)."""
    problems = []
    if not VALID_ID_RE.fullmatch(q.id):
        problems.append("the id may only use a-z, 0-9 and '-' in quiz.md")
    if q.kind not in REGISTRY:
        return [*problems, f"unknown question kind '{_short(q.kind)}'"]
    if type(q.points) is not int or not 1 <= q.points <= MAX_POINTS:
        problems.append(f"points must be a whole number from 1 to {MAX_POINTS}")
    if any(BREAKS_RE.search(text) for text in _texts(q)):
        problems.append("a text holds a line break character other than a newline, "
                        "which quiz.md cannot keep")
    problems += _format_problems(q)
    if any(c.feedback for c in q.choices) or any(a.feedback for a in q.answers) or any(n.feedback for n in q.numeric):
        problems.append("per-answer feedback cannot be written in quiz.md")
    problems += _stem_problems(q.stem) + _explanation_problems(q.explanation)
    return problems + REGISTRY[q.kind].md_problems(q)


def _texts(q: Question) -> list[str]:
    return [q.stem, q.explanation, *(c.text for c in q.choices), *(a.text for a in q.answers),
            *(side for p in q.pairs for side in (p.left, p.right)), *q.items]


def _format_problems(q: Question) -> list[str]:
    """HTML is refused; plain or Moodle text only when Markdown renders it the same."""
    if q.text_format == "html":
        return ["HTML text cannot be written in quiz.md"]
    if q.text_format in ("plain", "moodle"):
        texts = [q.stem, q.explanation, *(c.text for c in q.choices)]
        if not all(_renders_alike(text) for text in texts if text):
            return [f"{q.text_format} text that Markdown would render differently "
                    "cannot be written in quiz.md"]
    return []


def _renders_alike(text: str) -> bool:
    """Whether plain text (shown escaped, newlines as <br>) shows the same rendered as Markdown."""
    return "\n" not in text and render_markdown(text) == f"<p>{html.escape(text, quote=False)}</p>"


def _stem_problems(stem: str) -> list[str]:
    """The stem's first line goes in the heading, the rest after a blank line, line for line."""
    if not stem.strip():
        return ["the question has no text"]
    problems = []
    if stem != stem.strip():
        problems.append("its text starts or ends with blank space, which quiz.md drops")
    lines = stem.split("\n")
    if any(line != line.rstrip() for line in lines):
        problems.append("a line of its text ends with spaces, which quiz.md drops")
    if len(lines) > 1 and lines[1].strip():
        problems.append("a single line break after its first line cannot be written in quiz.md "
                        "(the heading holds the first line, a blank line follows)")
    elif len(lines) > 2 and not lines[2] and stem == stem.strip():
        problems.append("more than one blank line after its first line cannot be written in quiz.md")
    for line in lines[1:]:
        if HEADING_RE.fullmatch(line):
            problems.append(f"a line of its text would start a new question: '{_short(line)}'")
        elif any(regex.fullmatch(line) for regex in (CHOICE_RE, PAIR_RE, EQUALS_RE, *OWN_LINES)):
            problems.append(f"a line of its text would be read as an answer: '{_short(line)}'")
    return problems


def _explanation_problems(explanation: str) -> list[str]:
    """The explanation is written as '> ' lines, which quiz.md reads without trailing spaces."""
    if not explanation:
        return []
    problems = []
    if explanation != explanation.strip("\n"):
        problems.append("its explanation starts or ends with a blank line, which quiz.md drops")
    if any(line != line.rstrip() for line in explanation.split("\n")):
        problems.append("a line of its explanation ends with spaces, which quiz.md drops")
    return problems


# --- writing -----------------------------------------------------------------------------------

def _front_matter(s: QuizSettings) -> str:
    """The settings in a fixed order; draw, time_limit and max_attempts only when set."""
    lines = ["---", f"pass_score: {s.pass_score}"]
    for key in NULLABLE:
        value = getattr(s, key)
        if isinstance(value, dict):  # a draw by category; names quoted (JSON strings are YAML)
            lines += [f"{key}:", *(f"  {json.dumps(name, ensure_ascii=False)}: {n}" for name, n in value.items())]
        elif value is not None:
            lines.append(f"{key}: {value}")
    lines += [f"shuffle: {'true' if s.shuffle else 'false'}", *review_yaml(s.review), "---"]
    return "\n".join(lines)


def _question_text(q: Question) -> str:
    """`## first line {#id} [N điểm]`, the stem's other paragraphs, answer lines, explanation."""
    head, _, rest = q.stem.partition("\n")
    # A first line that itself ends like a points marker gets an explicit one, even [1 điểm].
    points = f" [{q.points} điểm]" if q.points != 1 or POINTS_RE.search(head) else ""
    category = f" [chủ đề: {q.category}]" if writable_category(q.category) else ""
    lines = [f"## {head} {{#{q.id}}}{points}{category}", ""]
    if rest:
        lines += [rest.removeprefix("\n"), ""]
    lines += REGISTRY[q.kind].md_lines(q)
    if q.explanation:
        lines += ["", *(f"> {line}" if line else ">" for line in q.explanation.split("\n"))]
    return "\n".join(lines)


# --- reading back ------------------------------------------------------------------------------

def _read_back_problems(q: Question, chunk: str) -> list[str]:
    """Read the written question back on its own; any difference is a reason to refuse."""
    bank, problems = parse_quiz_md(CHECK_FRONT + chunk + "\n")
    errors = [p.message for p in problems if p.severity == "error"]
    if bank is None or len(bank.questions) != 1:
        return [f"quiz.md would not read it back: {errors[0] if errors else 'it splits apart'}"]
    back = bank.questions[0]
    if back.kind != q.kind:
        return [f"quiz.md would read it back as a {back.kind} question"]
    if _significant(back) != _significant(q):
        return ["its text would not read back the same from quiz.md"]
    return []


def _significant(q: Question) -> tuple[Any, ...]:
    """What quiz.md must keep of a question (not its line, title, category or text format)."""
    numeric = [(("range", n.low, n.high) if n.low is not None and n.high is not None
                else ("value", n.value, n.tolerance)) + (n.weight, n.feedback) for n in q.numeric]
    return (q.id, q.kind, q.stem, q.points, q.explanation,
            [(c.id, c.text, c.weight, c.feedback) for c in q.choices],
            q.all_or_nothing if q.kind == KindName.multiple else None,
            [(a.text, a.weight, a.feedback) for a in q.answers], numeric,
            [(p.left, p.right) for p in q.pairs], q.items)


def _nfc(q: Question) -> Question:
    """A copy of the question with every text in NFC, as the parser normalises the file."""
    return Question.from_dict(_nfc_data(q.to_dict()))


def _nfc_data(data: Any) -> Any:
    if isinstance(data, str):
        return unicodedata.normalize("NFC", data)
    if isinstance(data, dict):
        return {key: _nfc_data(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_nfc_data(value) for value in data]
    return data


def _short(text: str, limit: int = 40) -> str:
    """The start of a text, for a message."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
