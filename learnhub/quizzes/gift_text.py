"""GIFT text shared by the reader and the writer: escapes, scanning outside them, format markers,
and the pieces of an answer block that each question kind's ``gift_block`` writes."""
from __future__ import annotations

import html
import math
import re
import unicodedata

import nh3

from learnhub.quizzes.bank import Question
from learnhub.text import fold

ESCAPED = "~=#{}:\\n"  # what may follow a backslash; "\n" is Moodle's newline escape
FORMATS = ("markdown", "html", "plain", "moodle")
FORMAT_RE = re.compile(r"\s*\[(markdown|html|plain|moodle)\]")
ID_RE = re.compile(r"\[id:((?:\\.|[^\]\\])*)\]")  # Moodle's idnumber in a comment: // [id:q-12]
TEXT_FORMATS = ("plain", "moodle")  # shown as typed: LearnHub escapes them, line breaks kept


def scan(text: str, token: str) -> list[int]:
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


def split(text: str, marks: str) -> list[str]:
    """``text`` cut before every unescaped character of ``marks``."""
    bounds = [0, *sorted(i for mark in marks for i in scan(text, mark)), len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def cut(text: str, token: str, last: bool = False) -> tuple[str, str | None]:
    """``text`` split at its first (or last) unescaped ``token``; None when there is none."""
    found = scan(text, token)
    if not found:
        return text, None
    at = found[-1] if last else found[0]
    return text[:at], text[at + len(token):]


def unescape(source: str | None, strip: bool = True) -> str:
    """GIFT source to data: ``\\~`` -> ``~``, ``\\n`` -> newline, ``\\\\`` -> backslash."""
    text = re.sub(r"\\([~=#{}:\\n])", lambda m: "\n" if m[1] == "n" else m[1], source or "")
    return text.strip() if strip else text


def clean(text: str) -> str:
    """NFC text with Unix newlines, trimmed: what the parser keeps of any text."""
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").strip()


def escape(text: str, strip: bool = True) -> str:
    """Data to GIFT source on one line (cleaned first unless it is a piece of a cleaned text)."""
    text = clean(text) if strip else text
    return re.sub(r"[~=#{}:\\\n]", lambda m: "\\n" if m[0] == "\n" else "\\" + m[0], text)


def short(text: str) -> str:
    """The start of a text, for a message."""
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def slug(text: str) -> str:
    """The a-z0-9 words of the folded text joined by '-'."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))


def split_format(text: str) -> tuple[str | None, str]:
    """A piece's own ``[format]`` marker (as Moodle reads it: first thing in the trimmed text) and the rest."""
    match = FORMAT_RE.match(text)
    if not match or text[: match.start(1) - 1].strip():
        return None, text
    return match[1], text[match.end():].strip()


def html_to_text(source: str) -> str:
    """What a reader sees of an HTML fragment, as one line of plain text (for matching items)."""
    return " ".join(html.unescape(nh3.clean(source, tags=set())).split())


def family(text_format: str) -> str:
    """plain and moodle text both read as typed; markdown and html are themselves."""
    return "plain" if text_format in TEXT_FORMATS else text_format


def markdown_literal(text: str) -> str:
    """Plain text that Markdown shows as typed: HTML and Markdown punctuation escaped, breaks kept."""
    text = html.escape(text, quote=False)
    text = re.sub(r"([\\`*_{}\[\]()#+\-.!>|])", r"\\\1", text)
    return text.replace("\n", "  \n")


def reads_as_multiple(weights: list[float]) -> bool:
    """Without '=': several positive weights, or a positive one short of 100%, mean multiple."""
    positive = [w for w in weights if w > 0]
    return len(positive) > 1 or (len(positive) == 1 and positive[0] < 1)


# --- writing answer blocks (the kinds' ``gift_block``) -------------------------------------------

def text_format_of(question: Question) -> str:
    """The format the question is written in: its own when GIFT knows it, else markdown."""
    return question.text_format if question.text_format in FORMATS else "markdown"


def piece(text: str, fmt: str) -> str:
    """A text in the question's format, escaped; its own marker when it starts like one."""
    return (f"[{fmt}]" if split_format(clean(text))[0] else "") + escape(text)


def percent(weight: float) -> str:
    """A weight as Moodle writes it: percent with at most 5 decimals, trailing zeros stripped."""
    text = f"{weight * 100:.5f}".rstrip("0").rstrip(".") if math.isfinite(weight) else "0"
    return "0" if text == "-0" else text


def feedback(text: str, fmt: str) -> str:
    """``#feedback`` when there is any."""
    return f"#{piece(text, fmt)}" if clean(text) else ""


def answer(mark: str, weight: float, default: float, text: str, note: str, fmt: str,
           always: bool = False, raw: bool = False) -> str:
    """An '=' or '~' answer: ``%n%`` unless the weight is the default, text and feedback ``note``."""
    shown = always or percent(weight) != percent(default) or clean(text).startswith("%")
    weight_text = f"%{percent(weight)}%" if shown else ""
    return mark + weight_text + (text if raw else piece(text, fmt)) + feedback(note, fmt)


def general_feedback(question: Question, fmt: str) -> str:
    """The question's ``####explanation``, or '' when it has none."""
    return f"####{piece(question.explanation, fmt)}" if clean(question.explanation) else ""


def answer_block(items: list[str], general: str, lead: str = "") -> str:
    """``{`` (and ``lead``), one answer a line, the general feedback, ``}``."""
    return "{" + lead + "\n" + "".join(f"\t{item}\n" for item in [*items, general] if item) + "}"
