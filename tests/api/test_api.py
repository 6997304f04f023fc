"""What a caller of the API notices: problem details in their language, pages, ETags, the same
figures as the dashboard's command, field errors, the throttle, and a document that validates."""
from __future__ import annotations

import json

import pytest
from flask import Flask
from openapi_spec_validator import validate

from learnhub.api.core import PUBLIC
from learnhub.api.models import TokenScope
from learnhub.api.openapi import document, openapi_path
from learnhub.auth.models import Role
from learnhub.extensions import limiter


def test_the_openapi_document_validates_and_is_served(app: Flask, client) -> None:
    with app.test_request_context():
        doc = document()
    validate(doc)
    described = {(method.upper(), path) for path, operations in doc["paths"].items() for method in operations}
    routes = {(method, "/api/v1" + openapi_path(rule.rule.removeprefix("/api/v1")))
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.") and rule.endpoint not in PUBLIC
              for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    assert routes == described  # every route is in the document, and nothing else
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200 and served.get_json()["openapi"] == "3.1.0"
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "js/api-docs.js" in page and "//cdn" not in page


def test_problems_speak_the_callers_language(api, town: dict, make_token) -> None:
    secret = make_token(town["bithu2"])
    url = f"/api/v1/members/{town['member_a'].id}"  # cell A's member, outside cell B's committee
    english = api.get(url, secret, headers={"Accept-Language": "en"})
    vietnamese = api.get(url, secret, headers={"Accept-Language": "vi-VN,vi;q=0.9"})
    assert english.status_code == vietnamese.status_code == 404
    assert english.mimetype == "application/problem+json"
    assert english.get_json()["title"] == "Not found"
    assert vietnamese.get_json()["title"] == "Không tìm thấy"
    assert vietnamese.headers["Content-Language"] == "vi"


def test_invalid_data_lists_each_field(api, town: dict, make_token) -> None:
    secret = make_token(town["bithu1"], TokenScope.read_write)
    response = api.post(f"/api/v1/members/{town['member_a'].id}/status", secret,
                        json={"status": "gone", "effective_on": "not a date"}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"status", "effective_on", "reason"}
    assert errors["reason"] == ["This field is required."]
    assert api.get("/api/v1/members?limit=0", secret).get_json()["errors"].keys() == {"limit"}
    assert api.get("/api/v1/members?cursor=nonsense", secret).status_code == 422


def test_lists_come_in_pages_by_cursor(api, town: dict, make_token, make_user) -> None:
    for i in range(5):
        make_user(unit=town["a"], username=f"dangvien{i}", full_name=f"Đảng viên {i}")
    secret = make_token(town["bithu1"])
    seen, url = [], f"/api/v1/members?unit_id={town['a'].id}&limit=2"
    pages = 0
    while url:
        body = api.get(url, secret).get_json()
        assert len(body["items"]) <= 2
        seen += [m["id"] for m in body["items"]]
        url, pages = body["next"], pages + 1
    assert pages == 4  # cell A's secretary, An, its propagandist and the five: 2 + 2 + 2 + 2
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 8


def test_reads_carry_an_etag_and_answer_304(api, town: dict, make_token) -> None:
    secret = make_token(town["bithu1"])
    first = api.get("/api/v1/units", secret)
    assert first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert "Authorization" in first.headers["Vary"]
    again = api.get("/api/v1/units", secret, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_completion_figures_are_the_commands(app: Flask, api, town: dict, make_token, plan_and_conference) -> None:
    secret = make_token(town["capuy"])
    plan = plan_and_conference["plan"]
    answer = api.get(f"/api/v1/plans/{plan}/completion?unit_id={town['root'].id}", secret).get_json()
    printed = app.test_cli_runner().invoke(args=["report", "completion", "--plan", str(plan), "--format", "json"])
    assert printed.exit_code == 0, printed.output
    assert answer == json.loads(printed.stdout)


def test_remaining_steps_are_the_members(api, town: dict, make_token, plan_and_conference) -> None:
    secret = make_token(town["bithu1"])
    body = api.get(f"/api/v1/plans/{plan_and_conference['plan']}/members/{town['member_a'].id}/steps", secret,
                   headers={"Accept-Language": "en"}).get_json()
    assert body["completed"] is False
    assert body["steps"][0]["kind"] == "lessons" and body["steps"][0]["count"] == 3


def test_units_are_the_holders_scope(api, town: dict, make_token) -> None:
    ids = {u["id"] for u in api.get("/api/v1/units", make_token(town["bithu1"])).get_json()["items"]}
    assert ids == {town["a"].id}
    everything = {u["id"] for u in api.get("/api/v1/units", make_token(town["capuy"])).get_json()["items"]}
    assert everything == {town["root"].id, town["a"].id, town["b"].id}
    assert town["capuy"].role == Role.committee


@pytest.fixture
def throttled(app: Flask):
    app.config.update(SIGN_IN_THROTTLING=True, API_RATE_LIMIT="3 per minute")
    limiter.reset()
    yield
    app.config.update(SIGN_IN_THROTTLING=False, API_RATE_LIMIT="120 per minute")
    limiter.reset()


def test_each_token_is_throttled_on_its_own(api, town: dict, make_token, throttled) -> None:
    first, second = make_token(town["bithu1"]), make_token(town["bithu2"])
    assert [api.get("/api/v1/units", first).status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/api/v1/units", first)
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 61  # the one-minute window, rounded up
    assert api.get("/api/v1/units", second).status_code == 200


def test_attendance_lists_the_roster_with_each_mark(app: Flask, api, town: dict, make_token,
                                                    plan_and_conference) -> None:
    from learnhub.auth.models import User
    from learnhub.conferences import attendance
    from learnhub.conferences.models import AttendanceStatus, Conference
    from learnhub.extensions import db

    with app.test_request_context():
        conference = db.session.get(Conference, plan_and_conference["conference"])
        attendance.mark(conference, db.session.get(User, town["member_a"].id), AttendanceStatus.present,
                        by=db.session.get(User, town["bithu1"].id))
        db.session.commit()
    body = api.get(f"/api/v1/conferences/{plan_and_conference['conference']}/attendance",
                   make_token(town["bithu1"])).get_json()
    marks = {row["username"]: row["status"] for row in body["members"]}
    assert marks["an"] == "present" and marks["tuyentruyen"] is None
    counts = api.get(f"/api/v1/conferences/{plan_and_conference['conference']}", make_token(town["bithu1"]))
    assert counts.get_json()["attendance"]["present"] == 1


def test_yearly_figures_are_the_commands(app: Flask, api, town: dict, make_token, plan_and_conference) -> None:
    import datetime as dt

    year = dt.date.today().year
    answer = api.get(f"/api/v1/reports/yearly?unit_id={town['a'].id}&year={year}", make_token(town["bithu1"]))
    printed = app.test_cli_runner().invoke(args=["report", "year", "--unit", "Chi bộ Khu phố 1", "--year", str(year),
                                                 "--format", "json"])
    assert printed.exit_code == 0, printed.output
    assert answer.get_json() == json.loads(printed.stdout)
