"""XSS test helpers: the payload corpus and an HTML checker that refuses anything executable.

The checker parses with the standard library's ``html.parser``, so text that merely *reads* like
markup (``&lt;script&gt;``) is text and passes, while real elements and attributes are judged.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

PAYLOADS_FILE = Path(__file__).with_name("xss_payloads.txt")

# Elements that run code, load active content, change the document's base, navigate or submit,
# or whose raw-text parsing is the basis of mutation-XSS tricks. None of them is ever acceptable.
FORBIDDEN_TAGS = frozenset({
    "script", "iframe", "object", "embed", "applet", "param", "frame", "frameset", "portal",
    "base", "meta", "link", "style", "form", "input", "button", "select", "textarea", "keygen",
    "isindex", "svg", "math", "template", "noscript", "noembed", "noframes", "xmp", "plaintext",
    "title", "xml", "import", "bgsound", "layer", "ilayer", "animate", "set", "use", "image",
    "foreignobject", "handler", "listener",
})
# Attributes whose value is a URL (or markup, for srcdoc) a browser may load, follow or run.
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "style", "background",
    "poster", "lowsrc", "dynsrc", "codebase", "code", "classid", "archive", "cite", "longdesc",
    "usemap", "ping", "manifest", "icon", "profile", "values", "to", "from", "by",
})
# Present at all is refused: inline CSS (expression(), behavior:, overlays) and iframe documents.
REFUSED_ATTRIBUTES = frozenset({"style", "srcdoc"})
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "livescript:", "mocha:", "data:")
# Inside a URL a browser drops ASCII tab and newlines anywhere (old ones any C0 control too), and
# C0 controls and spaces at both ends; a space *inside* the scheme makes the URL relative.
CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
INCOMPLETE_MARKUP = re.compile(r"<[a-zA-Z/!?]")


def load_payloads() -> list[str]:
    """The corpus: every non-blank line of xss_payloads.txt that is not a '#' comment."""
    # split("\n") and not splitlines(): a payload's \x0b, \x0c or \x1c must not split it.
    lines = PAYLOADS_FILE.read_text(encoding="utf-8").split("\n")
    return [line.rstrip("\r") for line in lines if line.strip() and not line.startswith("#")]


def normalise_url(value: str) -> str:
    """A *decoded* attribute value as a browser reads its scheme: control characters gone, ends
    trimmed, lower case. html.parser has already decoded the entities once, as a browser does;
    decoding twice would wrongly refuse ``&amp;#106;avascript:``, a relative URL for a browser."""
    return CONTROLS.sub("", value).strip().lower()


def dangerous_url(value: str) -> bool:
    """Whether one URL (or any candidate of a srcset/values list) uses a script or data scheme."""
    candidates = [value, *re.split(r"[,;]", value)]
    return any(normalise_url(c).startswith(DANGEROUS_SCHEMES) for c in candidates)


class _Checker(HTMLParser):
    """Collects every executable fragment of a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fragment = self.get_starttag_text() or f"<{tag}>"
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"forbidden element <{tag}>: {fragment}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name!r}: {fragment}")
            elif name in REFUSED_ATTRIBUTES:
                self.problems.append(f"refused attribute {name!r}: {fragment}")
            elif name in URL_ATTRIBUTES and value is not None and dangerous_url(value):
                self.problems.append(f"dangerous URL in {name!r}: {fragment}")
            elif name == "srcset" and value is not None and dangerous_url(value):
                self.problems.append(f"dangerous URL in 'srcset': {fragment}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    # Parsers disagree on where a comment or a bogus declaration ends (``--!>``, IE conditional
    # comments, CDATA in foreign content), so markup hidden inside one is judged as markup.
    def handle_comment(self, data: str) -> None:
        self.problems.extend(f"inside <!--{data}-->: {p}" for p in executable_fragments(data))

    def unknown_decl(self, data: str) -> None:
        self.problems.extend(f"inside <![{data}]>: {p}" for p in executable_fragments(data))

    def handle_pi(self, data: str) -> None:
        self.problems.extend(f"inside <?{data}>: {p}" for p in executable_fragments(data))


def executable_fragments(markup: str) -> list[str]:
    """Every problem found in ``markup``; empty when it is harmless."""
    checker = _Checker()
    checker.feed(markup)
    # A tag left open at the end is dropped by a browser only while nothing follows it: markup
    # that is pasted into a page could complete it, so an unfinished tag is refused too.
    if INCOMPLETE_MARKUP.search(checker.rawdata):
        checker.problems.append(f"unfinished markup at the end: {checker.rawdata[:80]!r}")
    checker.close()
    return checker.problems


def assert_no_executable_html(markup: str, context: str = "") -> None:
    """Fail with the context and the offending fragments if ``markup`` could run script."""
    problems = executable_fragments(markup)
    if problems:
        where = f"[{context}] " if context else ""
        raise AssertionError(f"{where}executable HTML: {'; '.join(problems)}\n  in: {markup!r}")
