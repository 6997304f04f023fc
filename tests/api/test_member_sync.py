"""The bulk member sync and the one-member PUT: the spreadsheet import's rules and row errors,
all or nothing, and the same list sent twice changing nothing."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from learnhub.api.models import TokenScope
from learnhub.audit import AuditEntry
from learnhub.auth.models import User
from learnhub.extensions import db

LIST = [
    {"full_name": "Đỗ Văn Mạnh", "category": "party_member", "username": "dovanmanh", "phone": "0912 345 678",
     "birth_date": "1980-05-01", "gender": "male", "party_card": "93.012345"},
    {"full_name": "Lý Thị Hoa", "category": "citizen", "username": "lythihoa", "unit": "Tổ 1"},
]


def _members(app: Flask) -> dict[str, tuple]:
    with app.app_context():
        rows = db.session.execute(sa.select(User.username, User.full_name, User.unit_id, User.phone)
                                  .order_by(User.username)).all()
        return {r.username: tuple(r) for r in rows}


def test_a_list_is_synced_once_and_the_same_list_changes_nothing(app: Flask, api, town: dict, make_token,
                                                                  group) -> None:
    token = make_token(town["bithu1"], TokenScope.read_write)
    first = api.post("/api/v1/members/sync", token, json={"unit_id": town["a"].id, "members": LIST})
    assert first.status_code == 200, first.get_json()
    assert first.get_json() == {"created": 2, "updated": 0, "unchanged": 0}
    after = _members(app)
    assert after["dovanmanh"][2:] == (town["a"].id, "+84912345678")  # learnhub.phones' form
    assert after["lythihoa"][2] == group.id
    again = api.post("/api/v1/members/sync", token, json={"unit_id": town["a"].id, "members": LIST})
    assert again.get_json() == {"created": 0, "updated": 0, "unchanged": 2}
    assert _members(app) == after
    with app.app_context():
        imports = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "members.import").order_by(AuditEntry.id)).all()
        assert [entry.actor_name for entry in imports] == ["bithu1", "bithu1"]


def test_one_bad_row_writes_nothing_and_is_named_with_the_imports_message(app: Flask, api, town: dict,
                                                                          make_token) -> None:
    token = make_token(town["bithu1"], TokenScope.read_write)
    before = _members(app)
    bad = [LIST[0], {**LIST[1], "phone": "12345"}, {"full_name": "Ai Đó", "category": "citizen", "unit": "Không có"}]
    response = api.post("/api/v1/members/sync", token, json={"unit_id": town["a"].id, "members": bad},
                        headers={"Accept-Language": "en"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["members/1/phone"] == ["not a mobile number: use 10 digits such as 0912345678 or +84912345678"]
    assert list(errors) == ["members/1/phone", "members/2/unit"]
    assert _members(app) == before
    shape = api.post("/api/v1/members/sync", token, json={"members": [{"full_name": "", "category": "x"}]},
                     headers={"Accept-Language": "en"})
    assert set(shape.get_json()["errors"]) == {"members/0/full_name", "members/0/category"}


def test_another_units_member_is_not_found_and_cannot_be_taken_over(app: Flask, api, town: dict, make_token,
                                                                   make_user) -> None:
    make_user(unit=town["b"], username="hoangbinh", full_name="Hoàng Bình")
    token = make_token(town["bithu1"], TokenScope.read_write)
    put = api.call("PUT", "/api/v1/members/by-username/hoangbinh", token,
                   json={"full_name": "Hoàng Bình", "category": "party_member"})
    assert put.status_code == 404
    synced = api.post("/api/v1/members/sync", token, json={"members": [
        {"full_name": "Hoàng Bình", "category": "party_member", "username": "hoangbinh"}]},
        headers={"Accept-Language": "en"})
    assert synced.status_code == 422
    assert synced.get_json()["errors"]["members/0/username"] == ["hoangbinh belongs to a member outside your units"]
    assert _members(app)["hoangbinh"][2] == town["b"].id


def test_put_creates_then_updates_by_username(app: Flask, api, town: dict, make_token) -> None:
    token = make_token(town["bithu1"], TokenScope.read_write)
    url = "/api/v1/members/by-username/nguyenmoi"
    made = api.call("PUT", url, token, json={"full_name": "Nguyễn Mới", "category": "citizen"})
    assert made.status_code == 200 and made.get_json()["unit_id"] == town["a"].id
    changed = api.call("PUT", url, token, json={"full_name": "Nguyễn Văn Mới", "category": "citizen",
                                                "email": "Moi@Example.vn"})
    assert changed.get_json()["full_name"] == "Nguyễn Văn Mới"
    assert changed.get_json()["email"] == "moi@example.vn"
    assert changed.get_json()["id"] == made.get_json()["id"]
