"""Error pages in Vietnamese and English that never show a stack trace; commands refuse bad arguments."""
from __future__ import annotations

import io

import click
import pytest
from flask import Flask

from tests.conftest import csrf_token, login


def page(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "words"), [("vi", "Không tìm thấy trang"), ("en", "Page not found")])
def test_not_found_in_the_visitors_language(app: Flask, town, lang, words) -> None:
    client = app.test_client()
    client.set_cookie("lh_lang", lang)
    response = client.get("/no-such-page")
    assert response.status_code == 404 and words in page(response)


def test_each_error_has_its_page(app: Flask, town) -> None:
    client = app.test_client()
    client.set_cookie("lh_lang", "en")
    assert client.post("/login", data={"username": "x"}).status_code == 400  # no CSRF token
    login(client, "an")
    forbidden = client.get("/plans/")
    assert forbidden.status_code == 403 and "Not allowed" in page(forbidden)
    assert client.get("/logout").status_code == 405
    big = io.BytesIO(b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    too_large = client.post("/members/import/", data={"csrf_token": csrf_token(client, "/"), "file": (big, "a.csv")},
                            content_type="multipart/form-data")
    assert too_large.status_code == 413 and "File too large" in page(too_large)


def test_a_crash_shows_a_calm_page_without_a_trace(app: Flask, town, monkeypatch) -> None:
    def broken():
        raise RuntimeError("secret internals")

    monkeypatch.setitem(app.view_functions, "auth.forgot_password", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    client = app.test_client()
    client.set_cookie("lh_lang", "en")
    response = client.get("/password/forgot")
    assert response.status_code == 500
    assert "Something went wrong" in page(response)
    assert "secret internals" not in page(response) and "Traceback" not in page(response)


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name)


def test_every_command_refuses_an_unknown_option_with_a_short_reason(app: Flask) -> None:
    runner = app.test_cli_runner()
    ours = [path for path in _commands(app.cli) if path[0] not in ("shell", "run", "routes")]
    assert ("report", "year") in ours and ("courses", "export") in ours
    for path in ours:
        result = runner.invoke(args=[*path, "--no-such-option"])
        assert result.exit_code == 2, path
        assert "No such option" in result.output.splitlines()[-1], path  # the reason on one line
