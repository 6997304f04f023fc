"""Small helpers available in every template."""
from __future__ import annotations

import json
from typing import Any

from flask import Flask, request, url_for

from learnhub.figures import number, percent, score
from learnhub.settings import public_url_configured


def url_with(endpoint: str | None = None, **changes: Any) -> str:
    """The current page's address (or ``endpoint``'s) keeping its query, with ``changes`` applied."""
    args = request.args.to_dict(flat=True)
    args.update({key: value for key, value in changes.items() if value is not None})
    for key in [key for key, value in changes.items() if value is None]:
        args.pop(key, None)
    values = {**(request.view_args or {}), **args} if endpoint is None else args
    return url_for(endpoint or request.endpoint or "study.home", **values)


def json_text(value: Any) -> str:
    """JSON as people read it (Vietnamese letters kept); autoescaping still applies."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def init_templating(app: Flask) -> None:
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["public_url_configured"] = public_url_configured
    app.jinja_env.filters["json_text"] = json_text
    # Every figure on a page is printed by Babel in the reader's language (learnhub.figures).
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["score"] = score
