"""Every API route, called with a token of each scope held by each kind of person: the route x role
walk of the API. A route added without an entry here fails `test_every_api_route_is_walked`."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from flask import Flask

from learnhub.api.core import PUBLIC
from learnhub.api.models import TokenScope
from learnhub.auth.models import Role

HOLDERS = {"committee_in_scope": "bithu1", "committee_out_of_scope": "bithu2", "town_committee": "capuy",
           "admin": "admin"}
SCOPES = [TokenScope.read, TokenScope.read_write]


@dataclass
class Case:
    method: str
    url: Callable[[dict], str]
    expect: dict[str, int]  # by holder; a read token's writes are refused with 403 whoever holds it
    body: Callable[[dict], dict] = field(default=lambda o: {})


def seen_by(in_scope: int = 200, out_of_scope: int = 404) -> dict[str, int]:
    return {"committee_in_scope": in_scope, "committee_out_of_scope": out_of_scope, "town_committee": in_scope,
            "admin": in_scope}


EVERYONE = seen_by(200, 200)
A = "/api/v1"
CASES: dict[str, Case] = {
    "api.units": Case("GET", lambda o: f"{A}/units", EVERYONE),
    "api.unit": Case("GET", lambda o: f"{A}/units/{o['a'].id}", seen_by()),
    "api.member_list": Case("GET", lambda o: f"{A}/members?unit_id={o['a'].id}", seen_by()),
    "api.member": Case("GET", lambda o: f"{A}/members/{o['member_a'].id}", seen_by()),
    "api.plan_list": Case("GET", lambda o: f"{A}/plans", EVERYONE),
    "api.plan": Case("GET", lambda o: f"{A}/plans/{o['plan']}", seen_by()),
    "api.plan_completion": Case("GET", lambda o: f"{A}/plans/{o['plan']}/completion?unit_id={o['a'].id}", seen_by()),
    "api.member_steps": Case("GET", lambda o: f"{A}/plans/{o['plan']}/members/{o['member_a'].id}/steps", seen_by()),
    "api.conference_list": Case("GET", lambda o: f"{A}/conferences", EVERYONE),
    "api.conference": Case("GET", lambda o: f"{A}/conferences/{o['conference']}", seen_by()),
    "api.conference_attendance": Case("GET", lambda o: f"{A}/conferences/{o['conference']}/attendance", seen_by()),
    "api.yearly_report": Case("GET", lambda o: f"{A}/reports/yearly?unit_id={o['a'].id}", seen_by()),
    "api.member_status": Case("POST", lambda o: f"{A}/members/{o['member_a'].id}/status", seen_by(),
                              lambda o: {"status": "exempted", "effective_on": "2026-06-01",
                                         "reason": "Miễn sinh hoạt"}),
    "api.member_sync": Case("POST", lambda o: f"{A}/members/sync", seen_by(),
                            lambda o: {"unit_id": o["a"].id, "members": [
                                {"full_name": "Vũ Minh Tâm", "category": "party_member", "username": "tuyentruyen",
                                 "phone": "0912 345 678"},
                                {"full_name": "Trần Thị Mới", "category": "citizen", "username": "tranthimoi"}]}),
    "api.member_put": Case("PUT", lambda o: f"{A}/members/by-username/tuyentruyen", seen_by(),
                           lambda o: {"full_name": "Vũ Minh Tâm", "category": "party_member",
                                      "email": "an@example.vn"}),
    "api.member_move": Case("POST", lambda o: f"{A}/members/{o['member_a'].id}/move", seen_by(),
                            lambda o: {"unit_id": o["group"].id, "effective_on": "2026-06-01"}),
}


def test_every_api_route_is_walked(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")} - PUBLIC
    assert endpoints == set(CASES)


@pytest.fixture
def objects(town: dict, plan_and_conference: dict, group) -> dict:
    return {**town, **plan_and_conference, "group": group}


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("holder", list(HOLDERS))
def test_each_token_gets_what_the_table_says(api, make_token, objects: dict, holder: str, scope: TokenScope) -> None:
    token = make_token(objects[{"committee_in_scope": "bithu1", "committee_out_of_scope": "bithu2",
                                "town_committee": "capuy", "admin": "admin"}[holder]], scope)
    failures = []
    for endpoint, case in CASES.items():
        url = case.url(objects)
        if case.method == "GET":
            response = api.get(url, token)
            expected = case.expect[holder]
        else:
            response = api.call(case.method, url, token, json=case.body(objects))
            expected = case.expect[holder] if scope == TokenScope.read_write else 403
        if response.status_code != expected:
            failures.append(f"{case.method} {url} ({endpoint}): {response.status_code}, expected {expected}")
    assert failures == []


@pytest.mark.parametrize("endpoint", list(CASES))
def test_no_token_no_answer(api, objects: dict, endpoint: str) -> None:
    case = CASES[endpoint]
    response = api.call(case.method, case.url(objects), json=case.body(objects) if case.method != "GET" else None)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_member_or_propagandist_cannot_hold_a_working_token(api, make_token, objects: dict) -> None:
    for person in (objects["member_a"], objects["propagandist"]):
        assert person.role in (Role.member, Role.propagandist)
        assert api.get(f"{A}/units", make_token(person)).status_code == 401
