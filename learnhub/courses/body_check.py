"""Checking the Markdown body of course.md and lessons: text members would lose or misread, unsafe
HTML, and images that are not in media/. Code (fenced, indented, or between backticks) is skipped."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from learnhub.courses.media_files import PLAYER_TYPES, is_player, transcript_name
from learnhub.courses.problems import Collector
from learnhub.markdown import MARKUP_RE, SWALLOWING_TAGS, text_would_vanish

MEDIA_REF_RE = re.compile(r"""(?:\]\(\s*<?|src\s*=\s*["']?)(media/[^)\s"'>]+)""")
IMAGE_REF_RE = re.compile(r"""!\[[^\]]*\]\(\s*<?(media/[^)\s"'>]+)""")
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})
UNSAFE_HTML_RE = re.compile(r"<\s*(script|iframe|object|embed|style)\b|\bon\w+\s*=|javascript:", re.I)
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)")
# Bidirectional controls reorder what is shown (the "Trojan Source" characters); other control
# characters are invisible or dropped by the browser.
# Allowed elements that open a raw HTML block at the start of a line: left open, the Markdown after
# them is shown unformatted (text kept, headings and emphasis not rendered).
BLOCK_TAGS = frozenset({"div", "details", "table", "dl", "ol", "ul", "blockquote", "figure", "pre", "p",
                        "h1", "h2", "h3", "h4", "h5", "h6", "ins", "del"})
_BLOCK_OPEN_RE = re.compile(r"^ {0,3}<([A-Za-z][A-Za-z0-9]*)[\s>/]", re.M)
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def prose(body: str) -> list[str]:
    """The body's lines with code blanked out (same line count), so checks read prose only."""
    lines = body.split("\n")
    out: list[str] = []
    fence: str | None = None
    previous_blank = True
    for line in lines:
        opener = _FENCE_RE.match(line)
        if fence is not None:
            if opener is not None and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            out.append("")
            continue
        if opener is not None:
            fence = opener.group(1)
            out.append("")
            continue
        if previous_blank and (line.startswith("    ") or line.startswith("\t")) and line.strip():
            out.append("")  # an indented code block (a list's continuation is rare enough to skip)
            continue
        previous_blank = not line.strip()
        out.append(line)
    text = "\n".join(out)
    text = _CODE_SPAN_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    return text.split("\n")


def check_body(path: Path | str, body: str, first_line: int, out: Collector) -> None:
    """Report, at their lines, what members would not see as the author wrote it."""
    lines = prose(body)
    text = "\n".join(lines)
    starts = [0]
    for prose_line in lines:
        starts.append(starts[-1] + len(prose_line) + 1)

    def line_of(offset: int) -> int:
        low, high = 0, len(starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return first_line + low

    flagged: set[int] = set()
    for match in MARKUP_RE.finditer(text):
        if not text_would_vanish(match):
            continue
        number = line_of(match.start())
        closing, name = match.group(1), match.group(2)
        if name is None:
            if match.group(0) == "<!--":
                out.error(path, number, "unclosed_comment")
                flagged.add(number)
            continue
        name = name.lower()
        if closing or name not in SWALLOWING_TAGS:
            continue
        closed = re.search(rf"</{re.escape(name)}\s*>", text[match.end():], re.I)
        if closed is None:
            out.error(path, number, "unclosed_element", tag=name)
        else:
            out.warning(path, number, "shown_as_text", tag=name)
        flagged.add(number)
    for match in _BLOCK_OPEN_RE.finditer(text):
        name = match.group(1).lower()
        rest = text[match.end():]
        if name in BLOCK_TAGS and len(re.findall(rf"</{name}\s*>", rest, re.I)) <= len(
                re.findall(rf"<{name}[\s>/]", rest, re.I)):
            out.warning(path, line_of(match.start()), "unclosed_block", tag=name)
    for offset, line_text in enumerate(body.split("\n")):
        number = first_line + offset
        if number not in flagged and UNSAFE_HTML_RE.search(lines[offset] if offset < len(lines) else ""):
            out.warning(path, number, "unsafe_html")
        _check_characters(path, number, line_text, out)


def check_media_refs(path: Path | str, body: str, first_line: int, media: set[str], out: Collector) -> None:
    """Every ``media/...`` image or link of the body names a file of the module's media/."""
    for offset, line in enumerate(body.splitlines()):
        for ref in MEDIA_REF_RE.findall(line):
            name = ref.removeprefix("media/").split("#")[0].split("?")[0]
            if ".." in name.split("/") or name not in media:
                out.error(path, first_line + offset, "media_missing", ref=ref)
        for ref in IMAGE_REF_RE.findall(line):
            name = ref.removeprefix("media/").split("#")[0].split("?")[0]
            suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if suffix not in IMAGE_SUFFIXES and suffix not in PLAYER_TYPES:
                out.error(path, first_line + offset, "media_extension", ref=ref)
            elif is_player(name) and name in media and transcript_name(name) not in media:
                out.error(path, first_line + offset, "transcript_missing", ref=ref, transcript=transcript_name(name))


def _check_characters(path: Path | str, number: int, line: str, out: Collector) -> None:
    for char in line:
        if char in BIDI_CONTROLS:
            out.warning(path, number, "bidi_character", char=_name(char))
            return
        if unicodedata.category(char) == "Cc" and char != "\t":
            out.warning(path, number, "control_character", char=_name(char))
            return


def _name(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'CONTROL')})"
