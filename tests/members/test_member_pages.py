"""Committees see the members in their scope only: list, search, profile, export, transfers, status."""
from __future__ import annotations

import csv
import io
import re

import openpyxl
import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.auth.models import Category, MemberStatus, User
from learnhub.extensions import db
from learnhub.members.models import MembershipEvent
from tests.conftest import login, post


def listed_names(html: str) -> list[str]:
    """The names in the member table, in the order the page shows them."""
    return re.findall(r'<td><a class="lh-link" href="/members/\d+">([^<]+)</a></td>', html)


def test_list_is_sorted_the_vietnamese_way_and_searchable_without_diacritics(client, town, make_user) -> None:
    cell = town["a"]
    for name in ("Trần Văn Đức", "Lê Thị Ánh", "Nguyễn Văn Anh", "Đỗ Thị An"):
        make_user(full_name=name, unit=cell)
    login(client, "bithu1")
    html = client.get(f"/members/?unit={cell.id}").get_data(as_text=True)
    assert listed_names(html) == [
        "Đỗ Thị An", "Nguyễn Văn An", "Nguyễn Văn Anh", "Lê Thị Ánh", "Trần Văn Đức", "Lê Thị Lan", "Vũ Minh Tâm",
    ]
    found = listed_names(client.get("/members/?q=nguyen+van+a").get_data(as_text=True))
    assert found == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert listed_names(client.get("/members/?q=TRAN+VAN+DUC").get_data(as_text=True)) == ["Trần Văn Đức"]


def test_filters_by_category_and_status_and_paginates(app: Flask, client, town, make_user) -> None:
    for n in range(60):
        make_user(full_name=f"Người Thứ {n:02d}", unit=town["a"], category=Category.citizen)
    with app.app_context():
        member = db.session.get(User, town["member_a"].id)
        member.status = MemberStatus.exempted
        db.session.commit()
    login(client, "capuy")
    citizens = client.get("/members/?category=citizen").get_data(as_text=True)
    assert "60 người" in citizens and "Nguyễn Văn An" not in citizens
    assert "Trang 1/2" in citizens
    second = client.get("/members/?category=citizen&page=2").get_data(as_text=True)
    assert "Trang 2/2" in second
    exempted = client.get("/members/?status=exempted").get_data(as_text=True)
    assert "Nguyễn Văn An" in exempted and "Hoàng Thị Bình" not in exempted


def test_a_cell_secretary_sees_only_their_cell(client, town) -> None:
    login(client, "bithu1")
    html = client.get("/members/").get_data(as_text=True)
    assert "Nguyễn Văn An" in listed_names(html) and "Hoàng Thị Bình" not in html
    assert client.get(f"/members/{town['member_b'].id}").status_code == 404
    assert "Hoàng Thị Bình" not in client.get(f"/members/?unit={town['b'].id}").get_data(as_text=True)
    for url in (f"/members/{town['member_b'].id}/transfer", f"/members/{town['member_b'].id}/status",
                f"/members/{town['member_b'].id}/reset-password"):
        assert post(client, url, {"to_unit": town["a"].id, "status": "left", "reason": "x",
                                  "effective_on": "2026-01-01"}).status_code == 404


def test_members_see_their_own_profile_and_nobody_elses(client, town) -> None:
    login(client, "an")
    assert client.get(f"/members/{town['member_a'].id}").status_code == 200
    assert client.get(f"/members/{town['member_b'].id}").status_code == 404
    assert client.get(f"/members/{town['bithu1'].id}").status_code == 404
    assert client.get("/members/").status_code == 403


def test_export_xlsx_and_csv_with_vietnamese_and_scope(app: Flask, client, town) -> None:
    login(client, "bithu1")
    xlsx = client.get("/members/export.xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("STT", "Họ và tên", "Tên đăng nhập", "Chi bộ")
    names = {row[1] for row in rows[1:]}
    assert "Nguyễn Văn An" in names and "Hoàng Thị Bình" not in names
    data = client.get("/members/export.csv?q=an").data
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][1] == "Họ và tên" and any(row[1] == "Nguyễn Văn An" for row in table[1:])
    assert any(row[4] == "Đảng viên" for row in table[1:])
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.action == "members.export")) == 2


def test_transfer_and_status_are_kept_as_history(app: Flask, client, town) -> None:
    login(client, "capuy")
    member = town["member_a"]
    post(client, f"/members/{member.id}/transfer", {"to_unit": town["b"].id, "effective_on": "2026-03-01", "reason": "Chuyển nơi ở"})
    post(client, f"/members/{member.id}/status", {"status": "exempted", "effective_on": "2026-04-01", "reason": "Tuổi cao"})
    missing_reason = post(client, f"/members/{member.id}/status", {"status": "left", "effective_on": "2026-05-01", "reason": ""})
    assert missing_reason.status_code == 302
    with app.app_context():
        stored = db.session.get(User, member.id)
        assert stored.unit_id == town["b"].id and stored.status is MemberStatus.exempted
        events = db.session.scalars(sa.select(MembershipEvent).where(MembershipEvent.user_id == member.id).order_by(MembershipEvent.id)).all()
        assert [e.kind.value for e in events] == ["transfer", "status"]
        actions = set(db.session.scalars(sa.select(AuditEntry.action)))
        assert {"member.transfer", "member.status"} <= actions
    html = client.get(f"/members/{member.id}").get_data(as_text=True)
    assert "Chuyển nơi ở" in html and "Tuổi cao" in html


def test_members_no_longer_active_cannot_sign_in_but_exempted_can(app: Flask, client, town) -> None:
    with app.app_context():
        db.session.get(User, town["member_a"].id).status = MemberStatus.exempted
        db.session.get(User, town["member_b"].id).status = MemberStatus.moved
        db.session.commit()
    assert login(client, "an").status_code == 302
    post(client, "/logout")
    assert login(client, "binh").status_code == 200  # the sign-in page again, with the generic message


def test_admin_changes_a_role_and_switches_an_account_off(app: Flask, client, town) -> None:
    login(client, "admin")
    post(client, f"/members/{town['member_a'].id}/account", {"role": "propagandist", "active": "y"})
    post(client, f"/members/{town['member_b'].id}/account", {"role": "member"})
    post(client, f"/members/{town['admin'].id}/account", {"role": "member", "active": "y"})
    with app.app_context():
        assert db.session.get(User, town["member_a"].id).role.value == "propagandist"
        assert db.session.get(User, town["member_b"].id).active is False
        assert db.session.get(User, town["admin"].id).role.value == "admin"  # never demotes itself
    login_client = app.test_client()
    assert login(login_client, "binh").status_code == 200
