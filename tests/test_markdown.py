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
