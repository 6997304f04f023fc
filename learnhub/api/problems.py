"""Errors of the API as RFC 9457 problem details, titled in the caller's language (Accept-Language)."""
from __future__ import annotations

import math
import time
from typing import Any

from flask import Response, current_app, json
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from learnhub.extensions import db, limiter

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: _l("Bad request"),
    401: _l("A valid API token is needed"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("Request too large"),
    415: _l("Send JSON"),
    422: _l("The data sent is not valid"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
}


class Problem(Exception):
    """A refusal with its status, an optional detail and the fields at fault."""

    def __init__(self, status: int, detail: str | None = None, *, errors: dict[str, list[str]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors, headers or {}


def problem_response(status: int, detail: str | None = None, *, errors: dict[str, list[str]] | None = None,
                     headers: dict[str, str] | None = None) -> Response:
    """The problem document: type, title, status, detail and, for invalid data, errors by field."""
    body: dict[str, Any] = {"type": "about:blank", "title": str(TITLES.get(status, TITLES[400 if status < 500 else 500])),
                            "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)
    response.headers["Content-Language"] = _content_language()
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _content_language() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "vi")


def from_http_exception(error: HTTPException) -> Response:
    """Werkzeug's errors (404 of a loader, 405, 413, 429...) as problem details."""
    db.session.rollback()
    status = error.code or 500
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="LearnHub API"'
    if status == 429:
        headers["Retry-After"] = _retry_after()
    if status == 405 and error.get_response().headers.get("Allow"):
        headers["Allow"] = error.get_response().headers["Allow"]
    return problem_response(status, headers=headers)


def _retry_after() -> str:
    """Seconds until the token's window lets a call through again."""
    limit = limiter.current_limit
    if limit is None:
        return "60"
    return str(max(1, math.ceil(limit.reset_at - time.time())))


def from_problem(error: Problem) -> Response:
    """A refusal raised by the API's own checks."""
    db.session.rollback()
    headers = dict(error.headers)
    if error.status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="LearnHub API"')
    return problem_response(error.status, error.detail, errors=error.errors, headers=headers)
