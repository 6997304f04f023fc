"""What every API call goes through: the token, the scope, the throttle, the audit row, ETags,
cursor pages, request bodies checked against their schema, and the list of operations the
OpenAPI document is made from."""
from __future__ import annotations

import base64
import binascii
import json as jsonlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, current_app, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jsonschema import Draft202012Validator
from werkzeug.exceptions import HTTPException

from learnhub import audit
from learnhub.api.models import ApiToken, TokenScope
from learnhub.api.problems import Problem, from_http_exception, from_problem, problem_response
from learnhub.api.tokens import find_token
from learnhub.auth.models import User
from learnhub.db import utcnow
from learnhub.extensions import csrf, db, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC = {"api.openapi", "api.docs"}  # the document and its page: no token, no data
READS = {"GET", "HEAD", "OPTIONS"}
MAX_LIMIT = 200


@dataclass(frozen=True)
class Operation:
    """One route as the OpenAPI document describes it."""

    endpoint: str
    rule: str
    method: str
    summary: str
    response: dict[str, Any] | None
    status: int = 200
    body: dict[str, Any] | None = None
    parameters: tuple[dict[str, Any], ...] = ()
    paged: bool = False
    tags: tuple[str, ...] = field(default_factory=tuple)


OPERATIONS: list[Operation] = []


def operation(rule: str, *, summary: str, response: dict[str, Any] | None, method: str = "GET",
              body: dict[str, Any] | None = None, parameters: tuple[dict[str, Any], ...] = (),
              paged: bool = False, tag: str = "") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a view under ``rule`` and describe it for the OpenAPI document at once."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        bp.add_url_rule(rule, view_func=view, methods=[method])
        OPERATIONS.append(Operation(f"api.{view.__name__}", rule, method, summary, response, body=body,
                                    parameters=parameters, paged=paged, tags=(tag,) if tag else ()))
        return view

    return decorator


def owner() -> User:
    """The person the token acts for: every rule of the web pages applies to them."""
    return g.api_owner


def _authenticate() -> Response | None:
    """Before anything else on /api/: refuse cookies, find the token, check its scope."""
    if not request.path.startswith(bp.url_prefix or "") or request.endpoint in PUBLIC:
        return None
    if isinstance(request.routing_exception, HTTPException):  # no such route or method: 404/405 as a problem
        return from_http_exception(request.routing_exception)
    cookies = {current_app.config.get("SESSION_COOKIE_NAME", "session"),
               current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")}
    if cookies & set(request.cookies):
        return problem_response(401, _("The API does not accept cookies: send a token in the Authorization header."),
                                headers={"WWW-Authenticate": 'Bearer realm="LearnHub API"'})
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    found = find_token(secret.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        return problem_response(401, _("Send a valid, unrevoked token: Authorization: Bearer <token>."),
                                headers={"WWW-Authenticate": 'Bearer realm="LearnHub API"'})
    token, person = found
    g.api_token, g.api_owner = token, person
    g._login_user = person  # Flask-Login's current_user for the services that read it; no session is read
    person.scope_root = token.unit_id  # security.narrowed_to reads it: this request, this token only
    if request.method not in READS and token.scope != TokenScope.read_write:
        return problem_response(403, _("This token may only read."))
    return None


def _finish(response: Response) -> Response:
    """After a token call: ETag and 304 on reads, last use, and one audit row per call."""
    token: ApiToken | None = g.get("api_token")
    if token is None:
        return response
    # The answer depends on the token and the language; a shared cache must not keep it.
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(("Authorization", "Accept-Language"))
    if request.method == "GET" and response.status_code == 200 and response.is_json:
        response.add_etag()
        response.make_conditional(request)
    token = db.session.merge(token)
    token.last_used_at = utcnow()
    audit.record("api.call", object_type="api_token", object_id=token.id, actor=g.api_owner,
                 summary=audit.N_("%(method)s %(path)s answered %(status)s (token %(name)s)"),
                 params={"method": request.method, "path": request.full_path.rstrip("?")[:300],
                         "status": response.status_code, "name": token.name})
    db.session.commit()
    return response


def _limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def _token_key() -> str:
    token = g.get("api_token")
    return f"api-token:{token.id}" if token is not None else f"api-address:{request.remote_addr}"


csrf.exempt(bp)  # tokens, never cookies: nothing for a forged cross-site request to ride on
limiter.limit(_limit, key_func=_token_key, scope="api")(bp)
bp.register_error_handler(HTTPException, from_http_exception)
bp.register_error_handler(Problem, from_problem)


def init_api(app: Flask) -> None:
    """Token checks run before the other hooks (so no session is loaded and the throttle knows the
    token); the audit row is written after each token call."""
    app.config.setdefault("API_RATE_LIMIT", "120 per minute")
    hooks = app.before_request_funcs.setdefault(None, [])
    hooks.insert(1 if hooks else 0, _authenticate)  # after the body-size bound (first), before the throttle
    app.after_request(_finish)


# --- reading requests ----------------------------------------------------------------------------

FIELD_MESSAGES = {
    "required": _l("This field is required."),
    "type": _l("This value has the wrong type."),
    "enum": _l("Not one of the allowed values."),
    "format": _l("Not a valid value."),
    "maxLength": _l("Too long."),
    "minLength": _l("Too short."),
    "additionalProperties": _l("Unknown field."),
}


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    """The request's JSON object, checked against ``schema``; 422 listing each field at fault."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Problem(422, _("Send a JSON object (Content-Type: application/json)."))
    errors: dict[str, list[str]] = {}
    validator = Draft202012Validator(resolve(schema), format_checker=Draft202012Validator.FORMAT_CHECKER)
    for error in validator.iter_errors(data):
        where = "/".join(str(p) for p in error.absolute_path)
        if error.validator == "required":
            where = "/".join(filter(None, [where, str(error.message).split("'")[1]]))
        known = FIELD_MESSAGES.get(str(error.validator))
        message = str(known) if known is not None else error.message
        errors.setdefault(where or "/", []).append(message)
    if errors:
        raise Problem(422, errors=errors)
    return data


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema that may refer to the document's components, with those components beside it."""
    from learnhub.api.schemas import COMPONENTS

    return {**schema, "components": {"schemas": COMPONENTS}}


def query_int(name: str, *, default: int | None = None, low: int = 1, high: int = 2**31 - 1) -> int | None:
    """A whole number in the query string between ``low`` and ``high``; 422 naming it otherwise."""
    value = request.args.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise Problem(422, errors={name: [_("Give a whole number from %(low)d to %(high)d.", low=low, high=high)]})
    return int(value)


def _cursor_after() -> int:
    cursor = request.args.get("cursor")
    if not cursor:
        return 0
    try:
        after = jsonlib.loads(base64.urlsafe_b64decode(cursor.encode() + b"=" * (-len(cursor) % 4)))["after"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        after = None
    if not isinstance(after, int) or after < 0:
        raise Problem(422, errors={"cursor": [_("This cursor was not given by LearnHub.")]})
    return after


def _cursor(after: int) -> str:
    return base64.urlsafe_b64encode(jsonlib.dumps({"after": after}).encode()).decode().rstrip("=")


def page(statement: sa.Select[Any], id_column: Any, show: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """One page of a list in id order after the cursor: the items and the address of the next page."""
    limit = query_int("limit", default=50, high=MAX_LIMIT)
    assert limit is not None
    after = _cursor_after()
    rows = db.session.scalars(statement.where(id_column > after).order_by(None).order_by(id_column)
                              .limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    following = None
    if more:
        args = {**request.args.to_dict(), "cursor": _cursor(rows[-1].id)}
        following = url_for(request.endpoint or "", **{**(request.view_args or {}), **args})
    return {"items": [show(row) for row in rows], "next": following}
