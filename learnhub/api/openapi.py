"""The OpenAPI 3.1 document, made from the operations the views register and their JSON Schemas,
and the page that shows it (a small script of our own, no CDN)."""
from __future__ import annotations

import re
from typing import Any

from flask import current_app, render_template

from learnhub.api.core import OPERATIONS, bp
from learnhub.api.schemas import COMPONENTS, ref

PROBLEM = {"application/problem+json": {"schema": ref("Problem")}}
ERRORS = {
    "401": "No token, a revoked or unknown one, or a session cookie",
    "403": "The token may only read",
    "404": "Not found, or outside the token owner's units",
    "422": "Invalid data; `errors` lists the fields at fault",
    "429": "Too many calls with this token; see Retry-After",
}
PAGING = ({"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 200,
                                                                         "default": 50}},
          {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"},
           "description": "the `next` address of the previous page carries it"})


def openapi_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: ``/plans/<int:plan_id>`` → ``/plans/{plan_id}``."""
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def document() -> dict[str, Any]:
    """The whole document, the same for everyone (it names no data)."""
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        responses: dict[str, Any] = {str(op.status): {"description": "OK", "content": {
            "application/json": {"schema": op.response or {}}}}}
        if op.method == "GET":
            responses["304"] = {"description": "Not modified (If-None-Match matched the ETag)"}
        responses.update({code: {"description": text, "content": PROBLEM} for code, text in ERRORS.items()})
        entry: dict[str, Any] = {
            "operationId": op.endpoint.removeprefix("api."), "summary": op.summary, "tags": list(op.tags),
            "parameters": [*op.parameters, *(PAGING if op.paged else ())], "responses": responses,
        }
        if op.body is not None:
            entry["requestBody"] = {"required": True, "content": {"application/json": {"schema": op.body}}}
        paths.setdefault((bp.url_prefix or "") + openapi_path(op.rule), {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "LearnHub API", "version": "1",
                 "description": "Units, members, plans and their figures, conferences and the yearly report, "
                                "for the systems around LearnHub. See docs/api.md."},
        "paths": paths,
        "components": {"schemas": COMPONENTS,
                       "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                                     "description": "A personal access token (lh_…)"}}},
        "security": [{"token": []}],
    }


@bp.get("/openapi.json")
def openapi():
    return current_app.json.response(document())


@bp.get("/docs")
def docs():
    return render_template("api/docs.html")
