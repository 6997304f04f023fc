"""Text a member can post never ties up a worker: pathological Markdown renders fast and keeps its
text, nesting never recurses without end, and bodies that are not file uploads are bounded."""
from __future__ import annotations

import re

import pytest
from flask import Flask

from learnhub.forms import MAX_FORM_BYTES
from learnhub.markdown import MAX_MARKDOWN, render_markdown
from tests.conftest import csrf_token, login

TAG = re.compile(r"<[^>]+>")


def text_of(html: str) -> str:
    return TAG.sub("", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@pytest.mark.parametrize("text", [
    "[" * 20_000,
    "[a" * 10_000,
    "![x](" * 5_000,
    "[^" * 10_000,
    "[" * 10_000 + "]" * 10_000,
    "x <a " * 4_000,
    "<b\n" * 5_000,
], ids=["brackets", "bracket-words", "images", "footnotes", "nested", "unclosed-tags", "tag-lines"])
def test_runs_that_were_quadratic_render_and_keep_every_character(text: str) -> None:
    html = render_markdown(text)
    assert text_of(html).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


@pytest.mark.parametrize("text", ["- " * 2_000 + "a", "1. " * 2_000 + "a", "> " * 2_000 + "a",
                                  "".join(" " * (4 * depth) + "- a\n" for depth in range(400))],
                         ids=["bullets", "numbers", "quotes", "indented"])
def test_deep_nesting_renders_instead_of_recursing_without_end(text: str) -> None:
    assert render_markdown(text).count("<li>") <= 400


def test_ordinary_markdown_is_untouched() -> None:
    html = render_markdown("See [the plan](https://example.org/a_(b)) and `a[0` [^1].\n\n[^1]: A note.\n\n- a\n    - b")
    assert 'href="https://example.org/a_(b)"' in html and "<code>a[0</code>" in html
    assert html.count("<ul>") == 2 and "<sup" in html and "A note." in html


def test_a_text_over_the_limit_is_shown_whole_as_plain_text(app: Flask) -> None:
    text = "**đậm** " * (MAX_MARKDOWN // 8 + 1)
    with app.test_request_context():
        html = render_markdown(text)
    assert "<strong>" not in html and html.count("**đậm**") == MAX_MARKDOWN // 8 + 1
    assert str(MAX_MARKDOWN)[:3] in html.replace(".", "").replace(",", "")


def test_a_form_body_over_the_bound_is_refused_before_it_is_read(app: Flask, client, town) -> None:
    login(client, "an")
    token = csrf_token(client, "/")
    response = client.post("/login", data={"csrf_token": token, "username": "x" * (MAX_FORM_BYTES + 1)})
    assert response.status_code == 413
    json_response = client.post("/attempts/1/answer", data="[" * (MAX_FORM_BYTES + 1),
                                content_type="application/json")
    assert json_response.status_code == 413


def test_json_nested_too_deeply_is_bad_input_not_a_crash(app: Flask) -> None:
    with app.test_request_context("/attempts/1/answer", method="POST", data="[" * 100_000,
                                  content_type="application/json"):
        from flask import request

        assert request.get_json(silent=True) is None
