"""Every XSS payload of tests/xss_payloads.txt, through every way user text becomes HTML.

One test per channel loops the whole corpus and reports all failures together, so the run stays
small and fast while a hole names its payload and the exact markup that got through.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

import markdown as markdown_lib

from learnhub.markdown import EXTENSIONS, render_markdown, sanitize_html
from learnhub.quizzes.bank import Bank, Question, QuizProblem
from learnhub.quizzes.gift import parse_gift
from learnhub.quizzes.quiz_md import parse_quiz_md
from learnhub.quizzes.sync import render_question, render_text
from tests.xss import assert_no_executable_html, executable_fragments, load_payloads

PAYLOADS = load_payloads()
MIN_EXERCISED = 0.8  # share of the corpus a quiz channel must accept as a valid quiz
# Uses of the reference-style payloads ([r]: ..., [^1]: ..., *[HTML]: ...) in one document.
REFERENCE_USES = "See [x][r], [r], ![i][r], a note[^1], some HTML and x."
GIFT_ESCAPE = re.compile(r"[~=#{}:\\\n]")  # as learnhub.quizzes.gift._escape


def markdown_contexts(payload: str) -> dict[str, str]:
    """The Markdown documents a payload is tried in: alone, inline, in a list, as a link target,
    and next to uses of the reference links, footnotes and abbreviations it may define."""
    return {
        "alone": payload,
        "inline": f"text {payload} text",
        "list item": f"- item {payload}",
        "link target": f"[x]({payload})",
        "references": f"{REFERENCE_USES}\n\n{payload}\n",
    }


def check_all(channel: str, cases: Iterable[tuple[str, str, str]]) -> list[str]:
    """Failures of (payload, where, html) cases, each with the payload and the offending markup."""
    failures = []
    for payload, where, output in cases:
        try:
            assert_no_executable_html(output, f"{channel} / {where}")
        except AssertionError as exc:
            failures.append(f"payload {payload!r}\n    {exc}")
    return failures


def report(failures: list[str]) -> str:
    shown = "\n".join(failures[:40])
    more = f"\n... and {len(failures) - 40} more" if len(failures) > 40 else ""
    return f"{len(failures)} executable outputs:\n{shown}{more}"


def rendered_html(question: Question) -> Iterable[tuple[str, str]]:
    """(field, html) of every rendered text of a question: stem, choices, feedback, explanation."""
    data = render_question(question)["html"]
    yield "stem", data["stem"]
    yield "explanation", data["explanation"]
    for kind in ("choices", "feedback"):
        for choice_id, text in data[kind].items():
            yield f"{kind}[{choice_id}]", text


def quiz_channel(
    build: Callable[[str], str],
    parse: Callable[[str], tuple[Bank | None, list[QuizProblem]]],
    name: str,
) -> tuple[list[str], int]:
    """Failures of every payload parsed as a quiz and rendered, and how many made a valid quiz."""
    cases, exercised = [], 0
    for payload in PAYLOADS:
        bank, _problems = parse(build(payload))
        if bank is None:
            continue  # the payload broke the quiz syntax: nothing of it is ever rendered
        exercised += 1
        for question in bank.questions:
            cases += [(payload, f"{name} {field}", out) for field, out in rendered_html(question)]
    return check_all(name, cases), exercised


# -- the corpus and the checker --------------------------------------------------------------


def test_corpus_is_large_distinct_and_single_line() -> None:
    assert len(PAYLOADS) >= 150
    assert len(set(PAYLOADS)) == len(PAYLOADS), "duplicate payloads"
    assert not [p for p in PAYLOADS if "\n" in p or "\r" in p or p != p.strip()]


def test_checker_flags_unsanitised_payloads() -> None:
    """The checker can fail: payloads written straight into a page, or through Markdown without
    the sanitiser, or into an attribute, are caught. Most payloads are caught raw already; the
    rest (Markdown links, bare URLs, attribute breakouts) only turn into markup in a context."""
    raw = [p for p in PAYLOADS if executable_fragments(p)]

    def unsanitised(payload: str) -> Iterable[str]:
        yield payload
        for text in markdown_contexts(payload).values():
            yield markdown_lib.markdown(text, extensions=EXTENSIONS, output_format="html")
        yield f'<a href="{payload}">x</a>'
        yield f'<img src="x" alt="{payload}">'
        yield f"<img src='x' alt='{payload}'>"
        yield f"<img src=x alt={payload}>"

    missed = [p for p in PAYLOADS if not any(executable_fragments(out) for out in unsanitised(p))]
    assert len(raw) >= 0.75 * len(PAYLOADS), f"only {len(raw)}/{len(PAYLOADS)} flagged raw"
    assert len(missed) <= 0.05 * len(PAYLOADS), f"not flagged unsanitised: {missed}"


def test_checker_rules() -> None:
    """Each rule of the checker, on the smallest markup that breaks it."""
    refused = {
        "<script>x</script>": "forbidden element", "<svg></svg>": "forbidden element",
        "<TEMPLATE></TEMPLATE>": "forbidden element", '<p OnClick="x">a</p>': "event handler",
        '<p style="color:red">a</p>': "refused attribute", '<a href="jAvA&#x09;script:x">a</a>':
        "dangerous URL", '<img src=" &#14; javascript:x">': "dangerous URL",
        '<a href="vbscript:x">a</a>': "dangerous URL",
        '<img src="data:image/png;base64,AAAA">': "dangerous URL",
        '<svg><a xlink:href="javascript:x">a</a></svg>': "dangerous URL",
        "<!-- --!><img src=x onerror=alert(1)> -->": "event handler",
        "<p>a</p><img src=x onerror=alert(1)": "unfinished markup",
    }
    for markup, reason in refused.items():
        problems = executable_fragments(markup)
        assert any(reason in p for p in problems), (markup, problems)
    try:
        assert_no_executable_html("<iframe src=x>", "ctx")
    except AssertionError as exc:
        assert "[ctx]" in str(exc) and "<iframe src=x>" in str(exc)
    else:
        raise AssertionError("the checker let an iframe through")


def test_checker_accepts_escaped_text_and_ordinary_markup() -> None:
    """No false alarm: a payload shown as text, and the markup the sanitiser is meant to keep."""
    failures = check_all("escaped", ((p, "escaped", f"<p>{html.escape(p)}</p>") for p in PAYLOADS))
    assert not failures, report(failures)
    assert_no_executable_html(
        '<p>a &lt;script&gt;alert(1)&lt;/script&gt; <a href="https://example.org/javascript:x" '
        'rel="noopener">l</a> <img src="media/a.png" alt="javascript:x"> '
        '<a href="&amp;#106;avascript:x">relative</a></p>'
    )


# -- the channels ------------------------------------------------------------------------------


def test_render_markdown_corpus() -> None:
    failures = check_all("render_markdown", (
        (payload, where, render_markdown(text))
        for payload in PAYLOADS for where, text in markdown_contexts(payload).items()
    ))
    assert not failures, report(failures)


def test_sanitize_html_corpus() -> None:
    failures = check_all("sanitize_html", ((p, "html", sanitize_html(p)) for p in PAYLOADS))
    assert not failures, report(failures)


def test_quiz_render_text_corpus() -> None:
    failures = check_all("render_text", (
        (payload, fmt, render_text(payload, fmt))
        for payload in PAYLOADS for fmt in ("markdown", "html", "plain", "moodle")
    ))
    assert not failures, report(failures)


def quiz_md(payload: str) -> str:
    """A quiz.md question with the payload in its heading, stem, a choice and the explanation."""
    return (f"---\npass_score: 80\n---\n\n## Question {payload}\n\n{payload}\n\n"
            f"- [x] {payload}\n- [ ] other\n\n> {payload}\n")


def test_quiz_md_corpus() -> None:
    failures, exercised = quiz_channel(quiz_md, parse_quiz_md, "quiz.md")
    assert not failures, report(failures)
    assert exercised >= MIN_EXERCISED * len(PAYLOADS), f"only {exercised} valid quizzes"


def gift(payload: str, fmt: str) -> str:
    """A GIFT question with the escaped payload as stem, right answer, its feedback, a wrong
    answer's feedback and the general feedback."""
    p = GIFT_ESCAPE.sub(lambda m: "\\n" if m[0] == "\n" else "\\" + m[0], payload)
    return f"::q::[{fmt}]{p} {{={p}#{p} ~b#{p} ####{p}}}\n"


def test_gift_corpus() -> None:
    # [html] is the format whose text goes to the sanitiser as written; GIFT's [markdown] text
    # takes render_text's Markdown path, which the quiz.md and render_text channels cover.
    failures, exercised = quiz_channel(lambda p: gift(p, "html"), parse_gift, "GIFT [html]")
    assert not failures, report(failures)
    assert exercised >= MIN_EXERCISED * len(PAYLOADS), f"only {exercised} valid quizzes"


def test_gift_escaping_keeps_the_payload() -> None:
    """The GIFT channel really renders the payload, not a mangled version of it."""
    payload = '<a href="javascript:alert(1)">~=#{}:\\</a>'
    bank, problems = parse_gift(gift(payload, "html"))
    assert bank is not None, problems
    (question,) = bank.questions
    assert question.text_format == "html"
    assert question.stem == payload and question.choices[0].text == payload
    assert question.choices[0].feedback == payload and question.explanation == payload
