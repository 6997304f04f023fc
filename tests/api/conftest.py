"""Fixtures for the API tests: tokens for people, a client that sends them, and a check at the end
of each test that every answer the API gave matches the OpenAPI document."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from jsonschema import Draft202012Validator
from werkzeug.test import TestResponse

from learnhub.api.core import OPERATIONS
from learnhub.api.models import TokenScope
from learnhub.api.openapi import document, openapi_path
from learnhub.api.tokens import create_token
from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitKind


@pytest.fixture
def make_token(app: Flask):
    """A token's secret for ``user`` (read only unless ``scope`` says otherwise)."""

    def make(user: User, scope: TokenScope = TokenScope.read, name: str = "Hệ thống quản lý đảng viên",
             unit=None) -> str:
        with app.app_context():
            _token, secret = create_token(db.session.get(User, user.id), name=name, scope=scope,
                                          unit=db.session.get(Unit, unit.id) if unit is not None else None)
            db.session.commit()
            return secret

    return make


class Api:
    """Calls /api/v1/ with a token, keeping each answer to check against the document."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.client = app.test_client()
        self.answers: list[tuple[str, str, TestResponse]] = []

    def call(self, method: str, url: str, token: str | None = None, *, json: Any = None,
             headers: dict[str, str] | None = None) -> TestResponse:
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        response = self.client.open(url, method=method, json=json, headers=sent)
        self.answers.append((method, url, response))
        return response

    def get(self, url: str, token: str | None = None, **kwargs: Any) -> TestResponse:
        return self.call("GET", url, token, **kwargs)

    def post(self, url: str, token: str | None = None, **kwargs: Any) -> TestResponse:
        return self.call("POST", url, token, **kwargs)


def check_against_document(app: Flask, answers: list[tuple[str, str, TestResponse]]) -> list[str]:
    """Every answer's body against the schema the document gives for its operation and status."""
    with app.test_request_context():
        doc = document()
    components = doc["components"]
    by_endpoint = {op.endpoint: op for op in OPERATIONS}
    adapter = app.url_map.bind("localhost")
    wrong = []
    for method, url, response in answers:
        endpoint, _args = adapter.match(url.split("?")[0], method=method)
        op = by_endpoint.get(endpoint)
        if op is None:  # the document and its page
            continue
        path = "/api/v1" + openapi_path(op.rule)
        described = doc["paths"][path][method.lower()]["responses"].get(str(response.status_code))
        if described is None:
            wrong.append(f"{method} {url}: {response.status_code} is not in the document")
            continue
        if "content" not in described:
            continue
        (media, content), = described["content"].items()
        if response.mimetype != media:
            wrong.append(f"{method} {url}: {response.mimetype}, the document says {media}")
        schema = {**content["schema"], "components": components}
        for error in Draft202012Validator(schema).iter_errors(response.get_json()):
            wrong.append(f"{method} {url}: {error.message} at {list(error.absolute_path)}")
    return wrong


@pytest.fixture
def api(app: Flask) -> Iterator[Api]:
    calls = Api(app)
    yield calls
    assert check_against_document(app, calls.answers) == []


@pytest.fixture
def plan_and_conference(app: Flask, town: dict, make_course) -> dict[str, int]:
    """Cell A's open plan (this year) and conference; member An is on the plan's roster."""
    from learnhub.conferences import services as conferences
    from learnhub.courses.models import Course
    from learnhub.db import utcnow
    from learnhub.plans.models import PlanStatus
    from learnhub.plans.services import create_plan

    make_course()
    year = dt.date.today().year
    with app.test_request_context():
        cell = db.session.get(Unit, town["a"].id)
        course = db.session.scalars(sa.select(Course)).one()
        plan = create_plan(unit=cell, course=course, title="Kế hoạch học tập", opens_on=dt.date(year, 1, 1),
                           due_on=dt.date(year, 12, 31), target_units=[cell])
        plan.status = PlanStatus.open
        conference = conferences.create_conference(
            unit=cell, title="Hội nghị chi bộ", starts_at=utcnow() - dt.timedelta(minutes=10),
            ends_at=utcnow() + dt.timedelta(hours=2), invited_units=[cell])
        db.session.commit()
        return {"plan": plan.id, "conference": conference.id}


@pytest.fixture
def group(app: Flask, town: dict, make_unit):
    """A group under cell A, to move members into."""
    return make_unit("Tổ 1", UnitKind.cell, parent=town["a"])

