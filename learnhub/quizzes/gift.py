"""Moodle GIFT banks: ``parse_gift`` reads quiz.gift into a Bank, ``export_gift`` writes one back.

The subset is docs/course-format.md's "quiz.gift: Moodle GIFT". Export is canonical (it writes
what the parser reads back unchanged), so GIFT -> import -> export -> import -> export is stable.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from learnhub.courses.frontmatter import FrontMatter, FrontMatterError, split_front_matter
from learnhub.quizzes.bank import (
    REVIEW_MODES,
    Bank,
    Choice,
    NumericAnswer,
    Pair,
    Question,
    QuizProblem,
    QuizSettings,
    TextAnswer,
    derive_question_id,
)
from learnhub.text import fold

ESCAPED = "~=#{}:\\n"  # what may follow a backslash; "\n" is Moodle's newline escape
FORMATS = ("markdown", "html", "plain", "moodle")
FORMAT_RE = re.compile(r"\s*\[(markdown|html|plain|moodle)\]")
WEIGHT_RE = re.compile(r"\s*%([-+]?\d+(?:\.\d+)?)%")
NUMBER_RE = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
OPTIONAL = ("draw", "time_limit", "max_attempts")
# setting: (whether a value is valid, given the number of questions; what it must be)
CHECKS: dict[str, tuple[Callable[[Any, int], bool], str]] = {
    "pass_score": (lambda v, n: _whole(v, 1, 100), "a whole number from 1 to 100"),
    "draw": (lambda v, n: v is None or _whole(v, 1, n),
             "a whole number from 1 to the number of questions ({n})"),
    "time_limit": (lambda v, n: v is None or _whole(v, 1), "a positive whole number of minutes"),
    "max_attempts": (lambda v, n: v is None or _whole(v, 1), "a positive whole number"),
    "shuffle": (lambda v, n: isinstance(v, bool), "true or false"),
    "review": (lambda v, n: v in REVIEW_MODES, "always, after_pass or never"),
}


class _Bad(ValueError):
    """A malformed question: an error at the question's line."""


class _Unsupported(ValueError):
    """An item LearnHub cannot grade: an error, or a warning when skipped."""


def _scan(text: str, token: str) -> list[int]:
    """Positions of ``token`` in ``text`` outside backslash escapes."""
    found, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in ESCAPED:
            i += 2
        elif text.startswith(token, i):
            found.append(i)
            i += len(token)
        else:
            i += 1
    return found


def _split(text: str, marks: str) -> list[str]:
    """``text`` cut before every unescaped character of ``marks``."""
    bounds = [0, *sorted(i for mark in marks for i in _scan(text, mark)), len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _cut(text: str, token: str, last: bool = False) -> tuple[str, str | None]:
    """``text`` split at its first (or last) unescaped ``token``; None when there is none."""
    found = _scan(text, token)
    if not found:
        return text, None
    at = found[-1] if last else found[0]
    return text[:at], text[at + len(token):]


def _text(source: str | None, strip: bool = True) -> str:
    """GIFT source to data: ``\\~`` -> ``~``, ``\\n`` -> newline, ``\\\\`` -> backslash."""
    text = re.sub(r"\\([~=#{}:\\n])", lambda m: "\n" if m[1] == "n" else m[1], source or "")
    return text.strip() if strip else text


def _clean(text: str) -> str:
    """NFC text with Unix newlines, trimmed: what the parser keeps of any text."""
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").strip()


def _escape(text: str, strip: bool = True) -> str:
    """Data to GIFT source on one line (cleaned first unless it is a piece of a cleaned text)."""
    text = _clean(text) if strip else text
    return re.sub(r"[~=#{}:\\\n]", lambda m: "\\n" if m[0] == "\n" else "\\" + m[0], text)


def _short(text: str) -> str:
    """The start of a text, for a message."""
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def _slug(text: str) -> str:
    """The a-z0-9 words of the folded text joined by '-'."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))


def parse_gift(
    text: str, *, skip_unsupported: bool = False
) -> tuple[Bank | None, list[QuizProblem]]:
    """Read quiz.gift: the bank when there is no error, and every problem sorted by line."""
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    problems: list[QuizProblem] = []
    fm, start = _front_matter(lines, problems)
    questions = _questions(lines[start:], start + 1, skip_unsupported, problems)
    if not questions and all(p.severity != "error" for p in problems):
        problems.append(QuizProblem(1, "the file has no gradable question"))
    _check_ids(questions, problems)
    settings = _settings(fm, questions, problems)
    limit = len(text.splitlines()) + 1
    problems = sorted((QuizProblem(min(max(p.line, 1), limit), p.message, p.severity)
                       for p in problems), key=lambda p: p.line)
    failed = any(p.severity == "error" for p in problems)
    return (None if failed else Bank(settings, questions, format="gift")), problems


def _front_matter(lines: list[str], problems: list[QuizProblem]) -> tuple[FrontMatter | None, int]:
    """The front matter when the file starts with '---', and the index of the first GIFT line."""
    if lines[0].strip() != "---":
        return None, 0
    close = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if close is None:
        problems.append(QuizProblem(1, "the front matter is not closed by a '---' line"))
        return None, len(lines)
    try:
        return split_front_matter("\n".join(lines[: close + 1]) + "\n"), close + 1
    except FrontMatterError as exc:
        problems.append(QuizProblem(exc.line, exc.message))
    except Exception as exc:  # PyYAML's constructors raise plain ValueError (bad dates, huge ints)
        problems.append(QuizProblem(1, f"invalid YAML: {_short(str(exc))}"))
    return None, close + 1


def _blocks(lines: list[str], first: int) -> Iterator[tuple[int, str, str]]:
    """(line, source, category) of each question; blank lines part them, comments are dropped."""
    block: list[tuple[int, str]] = []
    category = ""
    for number, line in enumerate([*lines, ""], start=first):
        stripped = line.strip()
        if stripped.startswith("$CATEGORY:"):
            category = " ".join(stripped[len("$CATEGORY:"):].split())
        elif stripped and not stripped.startswith("//"):
            block.append((number, line))
        elif not stripped and block:
            yield block[0][0], "\n".join(text for _, text in block).strip(), category
            block = []


def _questions(
    lines: list[str], first: int, skip: bool, problems: list[QuizProblem]
) -> list[Question]:
    """Every gradable question; problems at each question's first line."""
    questions = []
    for line, source, category in _blocks(lines, first):
        notes: list[str] = []
        try:
            question = _question(source, notes)
        except _Unsupported as exc:
            severity, message = ("warning", f"{exc} (skipped)") if skip else ("error", str(exc))
            problems.append(QuizProblem(line, message, severity))
            continue
        except _Bad as exc:
            problems.append(QuizProblem(line, str(exc)))
            continue
        problems.extend(QuizProblem(line, note, "warning") for note in notes)
        question.line, question.category = line, category
        questions.append(question)
    return questions


def _question(source: str, notes: list[str]) -> Question:
    """One question: optional ``::title::`` and ``[format]``, the stem and one answer block."""
    title = ""
    if source.startswith("::"):
        raw, rest = _cut(source[2:], "::")
        if rest is None:
            raise _Bad("the title is not closed by '::'")
        title, source = _text(raw), rest
    match = FORMAT_RE.match(source)
    source = source[match.end():] if match else source
    opens, closes = _scan(source, "{"), _scan(source, "}")
    name = title or _short(_text(source[: opens[0]] if opens else source))
    if not opens and not closes:
        raise _Unsupported(f"descriptions without an answer block cannot be graded: {name}")
    if len(opens) == 1 and not closes:
        raise _Bad("the answer block '{' is not closed by '}'")
    if len(opens) != 1 or len(closes) != 1 or closes[0] < opens[0]:
        raise _Bad("a question needs exactly one answer block '{...}'")
    block, general = _cut(source[opens[0] + 1 : closes[0]], "####", last=True)
    if not block.strip():
        raise _Unsupported(f"essay questions cannot be graded: {name}")
    question = _answers(block.strip(), notes)
    after = source[closes[0] + 1 :]  # text after the block: the missing-word form, a blank
    stem = _text(source[: opens[0]], False) + ("___" + _text(after, False) if after.strip() else "")
    if not stem.strip():
        raise _Bad("the question has no text")
    question.stem, question.id = stem.strip(), _slug(title) or derive_question_id(stem.strip())
    question.title, question.explanation = title, _text(general)
    question.text_format = match[1] if match else "markdown"
    return question


def _answers(body: str, notes: list[str]) -> Question:
    """The kind and answers of an answer block (its general feedback cut off)."""
    if body.startswith("#"):
        return _numerical(body[1:], notes)
    head, comment = _cut(body, "#")
    if head.strip().upper() in ("T", "TRUE", "F", "FALSE"):
        return _truefalse(head.strip().upper() in ("T", "TRUE"), comment or "")
    lead, *pieces = _split(body, "=~")
    if lead.strip():
        raise _Bad(f"unknown answer prefix: '{_short(lead)}' (answers start with '=' or '~')")
    if any(piece[0] == "~" for piece in pieces):
        return _choices(pieces)
    if any("->" in piece for piece in pieces):
        return _matching(pieces)
    answers = [TextAnswer(text, weight, fb) for weight, text, fb in map(_answer, pieces)]
    if max(a.weight for a in answers) <= 0:
        raise _Bad("no answer earns marks")
    return Question("", "short", "", answers=answers)


def _weight(text: str, default: float) -> tuple[float, str]:
    """An optional leading ``%n%`` weight as a fraction, and the rest of the answer."""
    if not text.lstrip().startswith("%"):
        return default, text
    match = WEIGHT_RE.match(text)
    if not match or abs(float(match[1])) > 100:
        raise _Bad(f"the weight in '{_short(text)}' must be a percentage from -100 to 100")
    return float(match[1]) / 100, text[match.end():]


def _answer(piece: str) -> tuple[float, str, str]:
    """Weight, text and feedback of an '=...' (100% by default) or '~...' (0%) answer."""
    weight, rest = _weight(piece[1:], 1.0 if piece[0] == "=" else 0.0)
    text, feedback = _cut(rest, "#")
    if not _text(text):
        raise _Bad("an answer is empty")
    return weight, _text(text), _text(feedback)


def _reads_as_multiple(weights: list[float]) -> bool:
    """Without '=': several positive weights, or a positive one short of 100%, mean multiple."""
    positive = [w for w in weights if w > 0]
    return len(positive) > 1 or (len(positive) == 1 and positive[0] < 1)


def _choices(pieces: list[str]) -> Question:
    """A single choice question, or a weighted multiple answer one graded as Moodle grades it."""
    choices = [Choice(chr(97 + i) if i < 26 else f"z{i}", text, w, fb)  # ids a, b, ... in order
               for i, (w, text, fb) in enumerate(map(_answer, pieces))]
    if len(choices) < 2:
        raise _Bad("a choice question needs at least two answers")
    if max(c.weight for c in choices) <= 0:
        raise _Bad("no answer is right: mark one with '=' or a positive weight")
    multiple = all(p[0] == "~" for p in pieces) and _reads_as_multiple([c.weight for c in choices])
    return Question("", "multiple" if multiple else "single", "", choices=choices,
                    all_or_nothing=not multiple)


def _truefalse(truth: bool, comment: str) -> Question:
    """A true/false question; Moodle writes ``{T#feedback if wrong#feedback if right}``."""
    wrong, right = map(_text, _cut(comment, "#"))
    return Question("", "truefalse", "", choices=[
        Choice("a", "Đúng", 1.0 if truth else 0.0, right if truth else wrong),
        Choice("b", "Sai", 0.0 if truth else 1.0, wrong if truth else right)])


def _matching(pieces: list[str]) -> Question:
    """A matching question; ``= -> extra`` adds a distractor on the right."""
    pairs = []
    for piece in pieces:
        left, right = _cut(piece[1:], "->")
        if right is None:
            raise _Bad(f"a matching answer needs 'left -> right': '{_short(_text(piece))}'")
        right = _text(_cut(right, "#")[0])  # feedback on a pair is dropped, as Moodle does
        if not right:
            raise _Bad("a matching answer has nothing after '->'")
        pairs.append(Pair(_text(left), right))
    if sum(1 for pair in pairs if pair.left) < 2:
        raise _Bad("a matching question needs at least two pairs")
    return Question("", "matching", "", pairs=pairs)


def _numerical(body: str, notes: list[str]) -> Question:
    """A numerical question: ``{#3.14:0.01}``, ``{#1..5}`` or ``{#=3 =%50%3.1}``."""
    body, wrong = _cut(body, "~")
    if wrong is not None:
        notes.append("the '~' feedback of a numerical question is ignored")
    lead, *pieces = _split(body, "=")
    items = ([lead] if lead.strip() else []) + [piece[1:] for piece in pieces]
    if not items:
        raise _Bad("a numerical question needs a number after '#'")
    numeric = [_numeric_answer(item) for item in items]
    if max(n.weight for n in numeric) <= 0:
        raise _Bad("no answer earns marks")
    return Question("", "numerical", "", numeric=numeric)


def _numeric_answer(item: str) -> NumericAnswer:
    """One ``[%w%]value[:tolerance]`` or ``[%w%]low..high`` answer with its ``#feedback``."""
    weight, rest = _weight(item, 1.0)
    spec, feedback = _cut(rest, "#")
    answer = NumericAnswer(weight=weight, feedback=_text(feedback))
    if ".." in spec:
        low, high = spec.split("..", 1)
        answer.low, answer.high = _number(low), _number(high)
        if answer.low > answer.high:
            raise _Bad(f"the range '{_short(spec)}' goes from high to low")
        return answer
    value, _, tolerance = spec.partition(":")
    answer.value = _number(value)
    answer.tolerance = _number(tolerance) if tolerance.strip() else 0.0
    if answer.tolerance < 0:
        raise _Bad(f"the tolerance in '{_short(spec)}' is negative")
    return answer


def _number(source: str) -> float:
    """A finite number written with a dot, or an error."""
    text = _text(source)
    if not NUMBER_RE.fullmatch(text) or not math.isfinite(float(text)):
        raise _Bad(f"'{_short(text)}' is not a number")
    return float(text)


def _check_ids(questions: list[Question], problems: list[QuizProblem]) -> None:
    """Question ids are unique: statistics follow them across re-imports."""
    seen: dict[str, int] = {}
    for q in questions:
        if q.id in seen:
            message = f"duplicate question id '{q.id}' (also at line {seen[q.id]})"
            problems.append(QuizProblem(q.line, message))
        seen.setdefault(q.id, q.line)


def _whole(value: Any, low: int, high: float = math.inf) -> bool:
    """Whether ``value`` is an int (not a bool) from ``low`` to ``high``."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _settings(
    fm: FrontMatter | None, questions: list[Question], problems: list[QuizProblem]
) -> QuizSettings:
    """Settings from the front matter with GIFT's defaults; problems at the key's line."""
    settings = QuizSettings(pass_score=80)
    for key, value in (fm.data if fm else {}).items():
        key, line = str(key), fm.line_of(str(key))
        if key == "points":
            _points(value, fm, questions, problems)
        elif key not in CHECKS:
            problems.append(QuizProblem(line, f"unknown key '{_short(key)}' is ignored", "warning"))
        elif CHECKS[key][0](value, len(questions)):
            setattr(settings, key, value)
        else:
            expected = CHECKS[key][1].format(n=len(questions))
            problems.append(QuizProblem(line, f"{key} must be {expected}"))
    return settings


def _points(
    points: Any, fm: FrontMatter, questions: list[Question], problems: list[QuizProblem]
) -> None:
    """Apply ``points: {question-id: n}``: GIFT itself cannot make a question worth more than 1."""
    if not isinstance(points, dict):
        if points is not None:
            message = "points must map question ids to whole numbers"
            problems.append(QuizProblem(fm.line_of("points"), message))
        return
    by_id, lines = {q.id: q for q in questions}, fm.nested_lines.get("points", {})
    for key, value in points.items():
        key, line = str(key), lines.get(str(key), fm.line_of("points"))
        if key not in by_id:
            problems.append(QuizProblem(line, f"points: no question has the id '{_short(key)}'"))
        elif not _whole(value, 1):
            message = f"points of '{_short(key)}' must be a positive whole number"
            problems.append(QuizProblem(line, message))
        else:
            by_id[key].points = value


def export_gift(bank: Bank) -> str:
    """The bank as GIFT with its settings as front matter; the same bank gives the same text."""
    chunks, category = [_export_settings(bank)], ""
    for question in bank.questions:
        if (current := " ".join(_clean(question.category).split())) != category:
            chunks.append(f"$CATEGORY: {current}".rstrip())
            category = current
        chunks.append(_export_question(question))
    return "\n\n".join(chunks) + "\n"


def _export_id(question: Question) -> str:
    """The id written as the title, from which re-import derives the same id."""
    return _slug(question.id) or derive_question_id(_clean(question.stem))


def _export_settings(bank: Bank) -> str:
    """The front matter: the six settings in a fixed order, then points other than 1."""
    s = bank.settings
    lines = ["---", f"pass_score: {s.pass_score}"]
    lines += [f"{key}: {getattr(s, key)}" for key in OPTIONAL if getattr(s, key) is not None]
    lines += [f"shuffle: {'true' if s.shuffle else 'false'}", f"review: {s.review}"]
    points = [f'  "{_export_id(q)}": {q.points}' for q in bank.questions if q.points != 1]
    return "\n".join([*lines, *(["points:", *points] if points else []), "---"])


def _export_question(q: Question) -> str:
    """Title, format and stem, with the answer block in place of the stem's first '___' blank."""
    head = f"::{_export_id(q)}::[{q.text_format if q.text_format in FORMATS else 'markdown'}]"
    stem, block = _clean(q.stem), _block(q)
    blank = stem.find("___")
    if blank >= 0 and stem[blank + 3:].strip():
        before, after = _escape(stem[:blank], strip=False), _escape(stem[blank + 3:], strip=False)
        return head + before + block + after
    return f"{head}{_escape(stem)} {block}"


def _block(q: Question) -> str:
    """The answer block: true/false and a single number inline, other answers one a line."""
    general = f"####{_escape(q.explanation)}" if _clean(q.explanation) else ""
    if q.kind == "truefalse":
        return "{" + _truefalse_item(q) + general + "}"
    lead, items = "", []
    if q.kind == "numerical":
        numbers = [(n, spec) for n in q.numeric if (spec := _numeric_spec(n))]
        if len(numbers) == 1 and _percent(numbers[0][0].weight) == "100":
            return "{#" + numbers[0][1] + _feedback(numbers[0][0].feedback) + general + "}"
        lead = "#"
        items = [_item("=", n.weight, 1.0, spec, n.feedback, raw=True) for n, spec in numbers]
    elif q.kind == "matching":
        # split at the first '->' as the parser does; a distractor is '= -> right'
        pairs = (f"{_clean(p.left)} -> {_clean(p.right)}".partition("->") for p in q.pairs)
        items = [f"={_escape(left)} -> {_escape(right)}" for left, _, right in pairs]
    elif q.kind == "short":
        items = [_item("=", a.weight, 1.0, a.text, a.feedback) for a in q.answers]
    else:
        items = _choice_items(q)
    return "{" + lead + "\n" + "".join(f"\t{item}\n" for item in [*items, general] if item) + "}"


def _percent(weight: float) -> str:
    """A weight as Moodle writes it: percent with at most 5 decimals, trailing zeros stripped."""
    text = f"{weight * 100:.5f}".rstrip("0").rstrip(".") if math.isfinite(weight) else "0"
    return "0" if text == "-0" else text


def _feedback(text: str) -> str:
    """``#feedback`` when there is any."""
    return f"#{_escape(text)}" if _clean(text) else ""


def _item(mark: str, weight: float, default: float, text: str, feedback: str, always: bool = False,
          raw: bool = False) -> str:
    """An '=' or '~' answer: ``%n%`` unless the weight is the default, text and feedback."""
    shown = always or _percent(weight) != _percent(default) or _clean(text).startswith("%")
    weight_text = f"%{_percent(weight)}%" if shown else ""
    return mark + weight_text + (text if raw else _escape(text)) + _feedback(feedback)


def _choice_items(q: Question) -> list[str]:
    """Single choice: '=' on the first best answer; multiple: a '~%n%' weight on every answer."""
    weights = [float(_percent(c.weight)) / 100 for c in q.choices]
    right = sum(1 for w in weights if w > 0)
    if q.kind == "multiple" and q.all_or_nothing and right:
        # GIFT has no all-or-nothing: the right answers share 100%, a wrong one cancels them all
        weights = [float(_percent(1 / right if w > 0 else -1.0)) / 100 for w in weights]
    if q.kind == "multiple" and _reads_as_multiple(weights):
        return [_item("~", w, 0.0, c.text, c.feedback, True) for c, w in zip(q.choices, weights, strict=True)]
    best = weights.index(max(weights)) if weights else -1
    return [_item("=", w, 1.0, c.text, c.feedback) if i == best
            else _item("~", w, 0.0, c.text, c.feedback)
            for i, (c, w) in enumerate(zip(q.choices, weights, strict=True))]


def _truefalse_item(q: Question) -> str:
    """``TRUE`` or ``FALSE`` with Moodle's ``#feedback if wrong#feedback if right``."""
    true = next((c for c in q.choices if fold(c.text) in ("dung", "true", "d", "t")), None)
    true = true or (q.choices[0] if q.choices else Choice("a", "Đúng", 1.0))
    right = max(q.choices, key=lambda c: c.weight, default=true)
    wrong = next((c for c in q.choices if c is not right), Choice("b", "Sai"))
    right_fb, wrong_fb = _escape(right.feedback), _escape(wrong.feedback)
    comment = f"#{wrong_fb}#{right_fb}" if right_fb else (f"#{wrong_fb}" if wrong_fb else "")
    return ("TRUE" if true.weight > 0 else "FALSE") + comment


def _numeric_spec(n: NumericAnswer) -> str:
    """``value[:tolerance]`` or ``low..high``, or '' when the answer has no number."""
    if n.low is not None and n.high is not None:
        return f"{_number_text(n.low)}..{_number_text(n.high)}"
    if n.value is None:
        return ""
    tolerance = _number_text(abs(n.tolerance))
    return _number_text(n.value) + ("" if tolerance == "0" else f":{tolerance}")


def _number_text(number: float) -> str:
    """The shortest text that reads back as the same number ('2016', '0.5', '1e-07')."""
    number = float(number)
    if math.isfinite(number) and number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)
