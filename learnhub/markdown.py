"""Markdown to sanitised HTML: the one place user-written text becomes markup.

Nothing an author writes may vanish on the way: an element whose content the browser reads as raw
text (``<textarea>``, ``<title>``, ``<script>``, an unclosed ``<!--`` ...) would swallow the rest of
the lesson, and a tag the browser does not know (``<tên bài>``) would be dropped with its words. Both
are shown as text instead (``learnhub courses check`` reports them at their line). Ids the author
writes are prefixed, so they never collide with the page's own, and in-text anchors follow them.

Python-Markdown takes time quadratic in some runs (thousands of unclosed ``[``, ``](`` or ``<tag``)
and recurses once per level of nested lists or quotes: text a member can post (a reflection, a
question, the live preview) could tie up a worker or end in a 500. :func:`defuse` shows such runs as
the characters they are before rendering, and a text longer than :data:`MAX_MARKDOWN` is shown as
plain text with a note; no text is lost either way.
"""
from __future__ import annotations

import html as html_lib
import re
from collections.abc import Mapping

import markdown as markdown_lib
import nh3
from flask_babel import gettext as _
from markdown.preprocessors import Preprocessor

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "*": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
EXTENSIONS = ["extra", "sane_lists"]
ID_PREFIX = "user-content-"  # as GitHub: an author's id never names one of the page's own elements

# Elements whose content the HTML parser reads as raw text, or that change how what follows is
# parsed: left as tags, they take the rest of the lesson with them.
SWALLOWING_TAGS = frozenset({
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
    "plaintext", "template", "math",
})
# Every other HTML element: when not allowed, the sanitiser removes the tag and keeps its text.
KNOWN_TAGS = ALLOWED_TAGS | SWALLOWING_TAGS | {
    "address", "area", "article", "aside", "audio", "base", "bdi", "bdo", "body", "button", "canvas",
    "center", "cite", "data", "datalist", "dfn", "dialog", "embed", "fieldset", "font", "footer", "form",
    "frame", "frameset", "head", "header", "hgroup", "html", "input", "label", "legend", "link", "main",
    "map", "marquee", "menu", "meta", "meter", "nav", "object", "optgroup", "option", "output", "param",
    "picture", "portal", "progress", "rp", "rt", "ruby", "samp", "search", "section", "select", "slot",
    "source", "strike", "svg", "time", "track", "tt", "var", "video", "wbr", "image", "isindex",
    "listing", "nobr", "noindex", "applet", "basefont", "big", "blink", "keygen", "menuitem", "spacer",
}
# A "<" that the browser would read as markup: a tag, a comment, a declaration or an instruction.
MARKUP_RE = re.compile(r"<(?:(/?)([A-Za-z][^\s/>]*)|!--(?:>|->|[\s\S]*?--!?>)|!--|[!?])")
# The same at the start of a Markdown line, where it would open a raw HTML block.
_BLOCK_OPENER_RE = re.compile(r"^( {0,3})<(?=/?(?:[A-Za-z][^\s/>]*)|!|\?)")
_HREF_ANCHOR_RE = re.compile(r'(<a\b[^>]*?\shref=")#')
# Audio and video a lesson may show as a player (checked by content in courses/media_files.py),
# each with its transcript: the text file of the same name beside it.
PLAYER_TYPES: dict[str, str] = {
    ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".mp4": "video/mp4", ".webm": "video/webm",
}
TRANSCRIPT_SUFFIX = ".txt"


def transcript_name(name: str) -> str:
    """The transcript beside an audio or video file: ``bai-noi.mp3`` → ``bai-noi.txt``."""
    stem, dot, _suffix = name.rpartition(".")
    return (stem if dot and "/" not in _suffix else name) + TRANSCRIPT_SUFFIX


# An image (alone in its paragraph or not) whose source is a file of media/: audio and video among
# them become players. Matched on the sanitised HTML, so only LearnHub writes <audio> and <video>.
_MEDIA_IMG_RE = re.compile(r'(<p>\s*)?<img\b([^>]*?\ssrc="media/[^"]+"[^>]*)>(\s*</p>)?')
_ATTR_RE = re.compile(r'\s([a-z]+)="([^"]*)"')

MAX_MARKDOWN = 600_000  # characters: more than any editor takes (a lesson body: 500,000, plus its fields)
MAX_NESTING = 16  # brackets inside brackets, lists inside lists, quotes inside quotes
SUSPECT_RUN = 16  # fewer unclosed tags than this cost nothing worth changing the text for
SCAN_BUDGET = 50_000  # characters Markdown may read looking for the ends of brackets
LONG_SPAN = 500  # a bracket closed further away than this is no link's text
_PAIRS = {"[": "]", "(": ")"}
_CLOSERS = {"]": "[", ")": "("}
_HIDDEN = "[]()<>-*+.)"
_HIDE = {ord(char): 0xFDD0 + number for number, char in enumerate(_HIDDEN)}  # non-characters
_SHOW = {0xFDD0 + number: html_lib.escape(char) for number, char in enumerate(_HIDDEN)}
_NONCHARACTERS_RE = re.compile("[\ufdd0-\ufdef]")
_UNCLOSED_TAG_RE = re.compile(r"<(?=[A-Za-z!/?])[^<>]*(?=<|\Z)")
_NESTED_MARKERS_RE = re.compile(r"^((?:[ \t]*(?:[-*+>]|\d{1,9}[.)])(?:[ \t]+|$)){" + str(MAX_NESTING) + r"})(.*)$")
_MARKER_RE = re.compile(r"([-*+>]|\d{1,9}[.)])(?=[ \t]|$)")
_DEEP_INDENT_RE = re.compile(r"^[ \t]{" + str(4 * MAX_NESTING + 1) + ",}")


def _suspect_brackets(text: str) -> list[int]:
    """Offsets of the ``[`` and ``(`` that would make rendering slow, with their closers: when the
    scans they cost together (each opener reads on to its closer, or to the end) exceed
    SCAN_BUDGET, those that never close, sit too deep or close more than LONG_SPAN later."""
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    suspects: list[int] = []
    cost = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char in _PAIRS:
            stacks[char].append(index)
        elif char in _CLOSERS and stacks[_CLOSERS[char]]:
            stack = stacks[_CLOSERS[char]]
            opener = stack.pop()
            cost += index - opener
            if len(stack) >= MAX_NESTING or index - opener > LONG_SPAN:
                suspects += [opener, index]
        index += 1
    unclosed = stacks["["] + stacks["("]
    cost += sum(len(text) - opener for opener in unclosed)
    return suspects + unclosed if cost > SCAN_BUDGET else []


def _flatten_line(line: str) -> str:
    """A line opening more than MAX_NESTING lists or quotes keeps its first ones; the rest are text."""
    match = _NESTED_MARKERS_RE.match(line)
    if match is not None and _MARKER_RE.match(match.group(2).lstrip()) is not None:
        line = match.group(1) + _MARKER_RE.sub(lambda m: m.group(1).translate(_HIDE), match.group(2))
    if _DEEP_INDENT_RE.match(line):
        line = " " * (4 * MAX_NESTING) + line.lstrip(" \t")
    return line


def defuse(text: str) -> str:
    """``text`` with the runs that would make rendering slow or recurse too deep hidden from Markdown
    (as non-characters that :func:`_unhide` turns back); ordinary text comes back unchanged."""
    text = _NONCHARACTERS_RE.sub("", text)
    suspects = _suspect_brackets(text)
    if suspects:
        chars = list(text)
        for offset in suspects:
            chars[offset] = chars[offset].translate(_HIDE)
        text = "".join(chars)
    if len(_UNCLOSED_TAG_RE.findall(text)) >= SUSPECT_RUN:
        text = _UNCLOSED_TAG_RE.sub(lambda m: m.group(0).translate(_HIDE), text)
    if "\n" in text or len(text) > 4 * MAX_NESTING:
        text = "\n".join(_flatten_line(line) for line in text.split("\n"))
    return text


def _unhide(html: str) -> str:
    """The characters :func:`defuse` hid, back as text in the rendered HTML."""
    return html.translate(_SHOW)


def text_would_vanish(match: re.Match[str]) -> bool:
    """Whether the markup ``MARKUP_RE`` matched would hide text: a swallowing or unknown element,
    an unclosed comment, a declaration or processing instruction (a closed comment is a note)."""
    whole, name = match.group(0), match.group(2)
    if name is not None:
        name = name.lower()
        return name in SWALLOWING_TAGS or name not in KNOWN_TAGS
    return not (whole.startswith("<!--") and whole.endswith(">") and len(whole) > 4)


def _escape_vanishing(html: str) -> str:
    return MARKUP_RE.sub(lambda m: "&lt;" + m.group(0)[1:] if text_would_vanish(m) else m.group(0), html)


class _KeepRawTextBlocks(Preprocessor):
    """Lines that open a raw HTML block with markup that would hide text start with ``&lt;`` instead,
    so the rest of the lesson is still read as Markdown (runs after fenced code is set aside)."""

    def run(self, lines: list[str]) -> list[str]:
        out = []
        for line in lines:
            opener = _BLOCK_OPENER_RE.match(line)
            if opener is not None:
                match = MARKUP_RE.match(line, opener.end(1))
                if match is not None and text_would_vanish(match):
                    line = opener.group(1) + "&lt;" + line[opener.end(1) + 1:]
            out.append(line)
        return out


class _KeepText(markdown_lib.Extension):
    def extendMarkdown(self, md: markdown_lib.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.register(_KeepRawTextBlocks(md), "learnhub_keep_text", 22)


def sanitize_html(html: str) -> str:
    """Keep only harmless markup: no scripts, event handlers, styles or javascript: URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        id_prefix=ID_PREFIX,
    )


def _player(match: re.Match[str], transcripts: Mapping[str, str]) -> str:
    """An ``<img src="media/x.mp3">`` as an audio or video player with its transcript below."""
    attributes = dict(_ATTR_RE.findall(match.group(2)))
    src = attributes["src"]
    name = html_lib.unescape(src).removeprefix("media/")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in PLAYER_TYPES:
        return match.group(0)
    content_type = PLAYER_TYPES[suffix]
    tag = content_type.split("/")[0]
    title = attributes.get("alt", "")
    transcript = transcripts.get(transcript_name(name))
    if transcript is None:
        missing = html_lib.escape(_("The transcript of this recording is missing."))
        words = f'<p class="lh-note">{missing}</p>'
    else:
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", transcript) if part.strip()]
        words = "".join(f"<p>{html_lib.escape(part).replace(chr(10), '<br>')}</p>" for part in paragraphs)
    fallback = html_lib.escape(_("Download the recording"))
    summary = html_lib.escape(_("Transcript"))
    label = f' aria-label="{title}"' if title else ""  # title and src come escaped from the sanitiser
    caption = f"<figcaption>{title}</figcaption>" if title else ""
    player = (
        f'<figure class="lh-player lh-player--{tag}">'
        f'<{tag} controls preload="none"{label}>'
        f'<source src="{src}" type="{content_type}"><a href="{src}">{fallback}</a></{tag}>{caption}'
        f'<details class="lh-transcript"><summary>{summary}</summary>'
        f'<div class="lh-transcript__text">{words}</div></details></figure>'
    )
    if match.group(1) and match.group(3):
        return player
    return (match.group(1) or "") + player + (match.group(3) or "")


def with_players(html: str, transcripts: Mapping[str, str]) -> str:
    """Sanitised HTML with its ``media/`` audio and video images turned into players."""
    return _MEDIA_IMG_RE.sub(lambda m: _player(m, transcripts), html)


def render_markdown(text: str, *, transcripts: Mapping[str, str] | None = None) -> str:
    """Render Markdown (with tables, footnotes and abbreviations) and sanitise the result; markup
    that would hide text is shown as text, and author ids and the anchors to them are prefixed.
    An image of an audio or video file of media/ becomes a player with its transcript
    (``transcripts``: the module's ``.txt`` files by name). A text over MAX_MARKDOWN characters is
    shown as plain text under a note saying why."""
    if len(text) > MAX_MARKDOWN:
        note = html_lib.escape(_("This text is longer than %(n)s characters, so it is shown without formatting.",
                                 n=f"{MAX_MARKDOWN:,}"))
        return f'<p class="lh-note"><em>{note}</em></p><pre class="lh-plain">{html_lib.escape(text)}</pre>'
    html = _unhide(markdown_lib.markdown(defuse(text), extensions=[*EXTENSIONS, _KeepText()], output_format="html"))
    clean = sanitize_html(_escape_vanishing(html))
    clean = _HREF_ANCHOR_RE.sub(lambda m: m.group(1) + "#" + ID_PREFIX, clean)
    return with_players(clean, transcripts or {})
