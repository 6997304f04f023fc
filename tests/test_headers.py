"""Browser protections on every response, and templates that keep within the policy."""
from __future__ import annotations

import re
from pathlib import Path

from flask import Flask

from learnhub.resources import resource_dir
from tests.conftest import login

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def test_every_page_carries_the_policy_without_inline_scripts(app: Flask, town) -> None:
    client = app.test_client()
    for response in (client.get("/login"), client.get("/does-not-exist")):
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP on a LAN: no HSTS


def test_hsts_is_sent_over_https(app: Flask, town) -> None:
    response = app.test_client().get("/login", base_url="https://hoctap.example.vn")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_signed_in_pages_carry_the_policy(app: Flask, town) -> None:
    client = app.test_client()
    login(client, "capuy")
    assert "script-src 'self'" in client.get("/plans/").headers["Content-Security-Policy"]


def test_templates_have_no_inline_script_style_or_event_handler() -> None:
    offenders = []
    for path in sorted(Path(resource_dir("templates")).rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER):
            offenders += [f"{path.name}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []
