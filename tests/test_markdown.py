"""The sanitiser: whatever a propagandist writes, members get harmless HTML."""
from __future__ import annotations

import pytest

from learnhub.markdown import render_markdown

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[bấm vào đây](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://example.org"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<object data=x></object>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<form action="/logout"><button>x</button></form>',
    '<p onclick="alert(1)">đoạn</p>',
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_attacks_leave_no_executable_markup(attack: str) -> None:
    html = render_markdown(f"Đoạn văn.\n\n{attack}\n").lower()
    for marker in ("<script", "javascript:", "onerror", "onload", "onclick", "<iframe", "<svg",
                   "style=", "<object", "data:text", "<form"):
        assert marker not in html


def test_ordinary_markdown_survives() -> None:
    html = render_markdown(
        "## Mục tiêu\n\n- **Một**\n- *Hai*\n\n> Trích dẫn\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        "![Sơ đồ](media/so-do.png)\n\n[Cổng thông tin](https://dangcongsan.vn)\n"
    )
    assert "<h2>Mục tiêu</h2>" in html
    assert "<strong>Một</strong>" in html and "<em>Hai</em>" in html
    assert "<blockquote>" in html and "<table>" in html and "<td>1</td>" in html
    assert '<img alt="Sơ đồ" src="media/so-do.png">' in html
    assert 'href="https://dangcongsan.vn"' in html and 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize("opener", ["<textarea>", "<title>", "<math>", "<style>", "<script>", "<xmp>", "<noscript>",
                                    "<iframe>", "<plaintext>", "<noembed>", "<noframes>", "<template>", "<!--",
                                    "Câu có <textarea> ở giữa", "<div><textarea>", "<?php", "<![CDATA["])
def test_markup_left_open_never_swallows_the_rest_of_the_lesson(opener: str) -> None:
    html = render_markdown(f"Đoạn đầu.\n\n{opener}\n\n## Phần sau\n\nĐoạn *sau* cùng.\n")
    assert "Đoạn đầu." in html
    assert "Phần sau" in html and "cùng." in html
    assert "&lt;" in html  # the stray markup itself is shown as text


def test_opening_a_raw_text_element_keeps_the_markdown_after_it() -> None:
    html = render_markdown("<textarea>\n\n## Phần sau\n\nĐoạn *sau*.\n")
    assert "<h2" in html and "<em>sau</em>" in html


def test_words_between_angle_brackets_are_text_not_unknown_tags() -> None:
    html = render_markdown("Điền <họ và tên> vào <ten-don-vi>.\n")
    assert "&lt;họ và tên&gt;" in html and "&lt;ten-don-vi&gt;" in html


def test_a_closed_comment_stays_a_hidden_note() -> None:
    assert render_markdown("Đoạn <!-- ghi chú --> văn.\n") == "<p>Đoạn  văn.</p>"


def test_code_shows_markup_exactly_once_escaped() -> None:
    html = render_markdown("`<textarea>`\n\n```\n<title>\n```\n")
    assert "<code>&lt;textarea&gt;</code>" in html and "&lt;title&gt;" in html and "&amp;lt;" not in html


def test_author_ids_cannot_name_the_pages_own_elements_and_anchors_follow_them() -> None:
    html = render_markdown('<div id="main">x</div>\n\n## Mục {#muc}\n\n[Về mục](#muc) và chú thích[^1].\n\n[^1]: Ghi chú.\n')
    assert 'id="main"' not in html and 'id="user-content-main"' in html
    assert 'id="user-content-muc"' in html and 'href="#user-content-muc"' in html
    assert 'href="#user-content-fn:1"' in html and 'id="user-content-fn:1"' in html
    assert 'href="#user-content-fnref:1"' in html and 'id="user-content-fnref:1"' in html
