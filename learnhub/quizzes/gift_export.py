"""Writing a Bank as Moodle GIFT: ``export_gift`` gives text that ``parse_gift`` reads back unchanged.

Export is canonical, so GIFT -> import -> export -> import -> export is stable. Authors' ``::title::``
are kept; an id the title would not give back is written as Moodle's ``// [id:...]`` comment.
"""
from __future__ import annotations

import math

from learnhub.quizzes.bank import Bank, Choice, NumericAnswer, Question, derive_question_id
from learnhub.quizzes.gift_text import (
    FORMATS,
    clean,
    escape,
    html_to_text,
    reads_as_multiple,
    slug,
    split_format,
)
from learnhub.text import fold

OPTIONAL = ("draw", "time_limit", "max_attempts")


def export_gift(bank: Bank) -> str:
    """The bank as GIFT with its settings as front matter; the same bank gives the same text."""
    chunks, category = [_export_settings(bank)], ""
    for question in bank.questions:
        if (current := " ".join(clean(question.category).split())) != category:
            chunks.append(f"$CATEGORY: {current}".rstrip())
            category = current
        chunks.append(_export_question(question))
    return "\n\n".join(chunks) + "\n"


def _export_id(question: Question) -> str:
    """The question's id as the reader gives it back (a slug)."""
    return slug(question.id) or derive_question_id(clean(question.stem))


def _export_settings(bank: Bank) -> str:
    """The front matter: the six settings in a fixed order, then points other than 1."""
    s = bank.settings
    lines = ["---", f"pass_score: {s.pass_score}"]
    lines += [f"{key}: {getattr(s, key)}" for key in OPTIONAL if getattr(s, key) is not None]
    lines += [f"shuffle: {'true' if s.shuffle else 'false'}", f"review: {s.review}"]
    points = [f'  "{_export_id(q)}": {q.points}' for q in bank.questions if q.points != 1]
    return "\n".join([*lines, *(["points:", *points] if points else []), "---"])


def _export_question(q: Question) -> str:
    """Title (the id when there is none), format and stem, the answer block in place of a blank."""
    fmt = q.text_format if q.text_format in FORMATS else "markdown"
    ident = _export_id(q)
    title = " ".join(clean(q.title).split()) or ident
    comment = f"// [id:{ident}]\n" if slug(title) != ident else ""
    head = f"{comment}::{escape(title)}::[{fmt}]"
    stem, block = clean(q.stem), _block(q, fmt)
    blank = stem.find("___")
    if blank >= 0 and stem[blank + 3:].strip():
        before, after = escape(stem[:blank], strip=False), escape(stem[blank + 3:], strip=False)
        return head + before + block + after
    return f"{head}{escape(stem)} {block}"


def _piece(text: str, fmt: str) -> str:
    """A text in the question's format, escaped; its own marker when it starts like one."""
    return (f"[{fmt}]" if split_format(clean(text))[0] else "") + escape(text)


def _block(q: Question, fmt: str) -> str:
    """The answer block: true/false and a single number inline, other answers one a line."""
    general = f"####{_piece(q.explanation, fmt)}" if clean(q.explanation) else ""
    if q.kind == "truefalse":
        return "{" + _truefalse_item(q, fmt) + general + "}"
    lead, items = "", []
    if q.kind == "numerical":
        numbers = [(n, spec) for n in q.numeric if (spec := _numeric_spec(n))]
        if len(numbers) == 1 and _percent(numbers[0][0].weight) == "100":
            return "{#" + numbers[0][1] + _feedback(numbers[0][0].feedback, fmt) + general + "}"
        lead = "#"
        items = [_item("=", n.weight, 1.0, spec, n.feedback, fmt, raw=True) for n, spec in numbers]
    elif q.kind == "matching":
        items = [f"={_left(left, fmt)} -> {escape(right)}" for left, right in _pairs(q)]
    elif q.kind == "short":
        items = [_item("=", a.weight, 1.0, a.text, a.feedback, fmt) for a in q.answers]
    else:
        items = _choice_items(q, fmt)
    return "{" + lead + "\n" + "".join(f"\t{item}\n" for item in [*items, general] if item) + "}"


def _pairs(q: Question) -> list[tuple[str, str]]:
    """Left and right of each pair, split at the first '->' as the reader splits them."""
    parts = (f"{clean(p.left)} -> {clean(p.right)}".partition("->") for p in q.pairs)
    return [(left.strip(), right.strip()) for left, _, right in parts]


def _left(left: str, fmt: str) -> str:
    """A matching item; ``[plain]`` where an HTML question would read it differently."""
    if left and fmt == "html" and html_to_text(left) != left:
        return "[plain]" + escape(left)
    return _piece(left, fmt) if left else ""


def _percent(weight: float) -> str:
    """A weight as Moodle writes it: percent with at most 5 decimals, trailing zeros stripped."""
    text = f"{weight * 100:.5f}".rstrip("0").rstrip(".") if math.isfinite(weight) else "0"
    return "0" if text == "-0" else text


def _feedback(text: str, fmt: str) -> str:
    """``#feedback`` when there is any."""
    return f"#{_piece(text, fmt)}" if clean(text) else ""


def _item(mark: str, weight: float, default: float, text: str, feedback: str, fmt: str,
          always: bool = False, raw: bool = False) -> str:
    """An '=' or '~' answer: ``%n%`` unless the weight is the default, text and feedback."""
    shown = always or _percent(weight) != _percent(default) or clean(text).startswith("%")
    weight_text = f"%{_percent(weight)}%" if shown else ""
    return mark + weight_text + (text if raw else _piece(text, fmt)) + _feedback(feedback, fmt)


def _choice_items(q: Question, fmt: str) -> list[str]:
    """Single choice: '=' on the first best answer; multiple: a '~%n%' weight on every answer."""
    weights = [float(_percent(c.weight)) / 100 for c in q.choices]
    right = sum(1 for w in weights if w > 0)
    if q.kind == "multiple" and q.all_or_nothing and right:
        # GIFT has no all-or-nothing: the right answers share 100%, a wrong one cancels them all
        weights = [float(_percent(1 / right if w > 0 else -1.0)) / 100 for w in weights]
    pairs = list(zip(q.choices, weights, strict=True))
    if q.kind == "multiple" and reads_as_multiple(weights):
        return [_item("~", w, 0.0, c.text, c.feedback, fmt, True) for c, w in pairs]
    best = weights.index(max(weights)) if weights else -1
    return [_item("=", w, 1.0, c.text, c.feedback, fmt) if i == best
            else _item("~", w, 0.0, c.text, c.feedback, fmt) for i, (c, w) in enumerate(pairs)]


def _truefalse_item(q: Question, fmt: str) -> str:
    """``TRUE`` or ``FALSE`` with Moodle's ``#feedback if wrong#feedback if right``."""
    true = next((c for c in q.choices if fold(c.text) in ("dung", "true", "d", "t")), None)
    true = true or (q.choices[0] if q.choices else Choice("a", "Đúng", 1.0))
    right = max(q.choices, key=lambda c: c.weight, default=true)
    wrong = next((c for c in q.choices if c is not right), Choice("b", "Sai"))
    right_fb = _piece(right.feedback, fmt) if clean(right.feedback) else ""
    wrong_fb = _piece(wrong.feedback, fmt) if clean(wrong.feedback) else ""
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
