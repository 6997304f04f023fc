"""Markdown to sanitised HTML: the one place user-written text becomes markup.

Nothing an author writes may vanish on the way: an element whose content the browser reads as raw
text (``<textarea>``, ``<title>``, ``<script>``, an unclosed ``<!--`` ...) would swallow the rest of
the lesson, and a tag the browser does not know (``<tên bài>``) would be dropped with its words. Both
are shown as text instead (``learnhub courses check`` reports them at their line). Ids the author
writes are prefixed, so they never collide with the page's own, and in-text anchors follow them.
"""
from __future__ import annotations

import re

import markdown as markdown_lib
import nh3
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


def render_markdown(text: str) -> str:
    """Render Markdown (with tables, footnotes and abbreviations) and sanitise the result; markup
    that would hide text is shown as text, and author ids and the anchors to them are prefixed."""
    html = markdown_lib.markdown(text, extensions=[*EXTENSIONS, _KeepText()], output_format="html")
    clean = sanitize_html(_escape_vanishing(html))
    return _HREF_ANCHOR_RE.sub(lambda m: m.group(1) + "#" + ID_PREFIX, clean)
