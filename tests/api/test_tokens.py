"""Tokens: made on a page and shown once, kept as a hash, revoked, their last use and every call recorded."""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import Flask

from learnhub.api.models import ApiToken
from learnhub.audit import AuditEntry
from learnhub.extensions import db
from tests.conftest import csrf_token, login


def test_a_token_is_shown_once_and_kept_only_as_a_hash(app: Flask, town: dict) -> None:
    client = app.test_client()
    login(client, "bithu1")
    page = client.post("/account/api-tokens", data={"csrf_token": csrf_token(client, "/account/api-tokens"),
                                                   "name": "Phần mềm quản lý đảng viên", "scope": "read"},
                       follow_redirects=True).get_data(as_text=True)
    secret = page.split('<code id="new-token">')[1].split("</code>")[0]
    assert secret.startswith("lh_")
    with app.app_context():
        token = db.session.scalars(sa.select(ApiToken)).one()
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert token.prefix == secret[:10]
    again = client.get("/account/api-tokens").get_data(as_text=True)
    assert secret not in again and token.prefix in again


def test_the_page_is_for_committee_members_and_needs_its_csrf_token(app: Flask, town: dict) -> None:
    member = app.test_client()
    login(member, "an")
    assert member.get("/account/api-tokens").status_code == 403
    committee = app.test_client()
    login(committee, "bithu1")
    assert committee.post("/account/api-tokens", data={"name": "X", "scope": "read"}).status_code == 400


def test_a_revoked_token_stops_at_once(app: Flask, town: dict, api, make_token) -> None:
    secret = make_token(town["bithu1"])
    assert api.get("/api/v1/units", secret).status_code == 200
    client = app.test_client()
    login(client, "bithu1")
    with app.app_context():
        token_id = db.session.scalars(sa.select(ApiToken.id)).one()
    client.post(f"/account/api-tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/account/api-tokens")})
    refused = api.get("/api/v1/units", secret)
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    other = app.test_client()
    login(other, "bithu2")
    assert other.post(f"/account/api-tokens/{token_id}/revoke",
                      data={"csrf_token": csrf_token(other, "/account/api-tokens")}).status_code == 404


def test_last_use_and_every_call_are_recorded(app: Flask, town: dict, api, make_token) -> None:
    secret = make_token(town["bithu1"])
    api.get("/api/v1/units", secret)
    api.get(f"/api/v1/members/{town['member_b'].id}", secret)
    with app.app_context():
        token = db.session.scalars(sa.select(ApiToken)).one()
        assert token.last_used_at is not None
        calls = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "api.call")
                                   .order_by(AuditEntry.id)).all()
        assert [(c.actor_name, c.params["path"], c.params["status"]) for c in calls] == [
            ("bithu1", "/api/v1/units", 200), ("bithu1", f"/api/v1/members/{town['member_b'].id}", 404)]


def test_a_session_cookie_is_refused_and_no_session_is_made(app: Flask, town: dict, make_token) -> None:
    secret = make_token(town["bithu1"])
    client = app.test_client()
    login(client, "bithu1")  # the browser's session cookie rides along
    response = client.get("/api/v1/units", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    fresh = app.test_client()
    answer = fresh.get("/api/v1/units", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers
    assert fresh.get("/api/v1/units").status_code == 401  # and nothing was remembered


def test_writes_need_no_csrf_token_but_a_read_write_token(app: Flask, town: dict, api, make_token, group) -> None:
    from learnhub.api.models import TokenScope

    body = {"unit_id": group.id, "effective_on": "2026-06-01", "reason": "Chuyển tổ"}
    url = f"/api/v1/members/{town['member_a'].id}/move"
    reader = api.post(url, make_token(town["bithu1"]), json=body)
    assert reader.status_code == 403
    moved = api.post(url, make_token(town["bithu1"], TokenScope.read_write), json=body)
    assert moved.status_code == 200
    assert moved.get_json()["unit_id"] == group.id
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEntry.id).where(AuditEntry.action == "member.transfer")) is not None


def test_a_token_limited_to_a_unit_reaches_only_it_and_below(app: Flask, town: dict, api, make_token, group,
                                                              plan_and_conference) -> None:
    from learnhub.api.models import TokenScope

    for holder in ("capuy", "admin"):
        secret = make_token(town[holder], TokenScope.read_write, unit=town["a"])
        units = {u["id"] for u in api.get("/api/v1/units", secret).get_json()["items"]}
        assert units == {town["a"].id, group.id}
        members = {m["unit_id"] for m in api.get("/api/v1/members", secret).get_json()["items"]}
        assert members == {town["a"].id}
        assert api.get(f"/api/v1/members/{town['member_b'].id}", secret).status_code == 404
        assert api.get(f"/api/v1/units/{town['root'].id}", secret).status_code == 404
        assert api.get(f"/api/v1/reports/yearly?unit_id={town['b'].id}", secret).status_code == 404
        moved = api.post(f"/api/v1/members/{town['member_a'].id}/move", secret,
                         json={"unit_id": town["b"].id, "effective_on": "2026-06-01"})
        assert moved.status_code == 404
        assert api.get(f"/api/v1/plans/{plan_and_conference['plan']}/completion?unit_id={town['a'].id}",
                       secret).status_code == 200


def test_the_page_offers_only_ones_own_units(app: Flask, town: dict) -> None:
    client = app.test_client()
    login(client, "bithu1")
    page = client.get("/account/api-tokens").get_data(as_text=True)
    assert f'value="{town["a"].id}"' in page and f'value="{town["b"].id}"' not in page
    refused = client.post("/account/api-tokens", data={"csrf_token": csrf_token(client, "/account/api-tokens"),
                                                       "name": "X", "scope": "read", "unit": str(town["b"].id)})
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalars(sa.select(ApiToken)).all() == []
