"""Importing member lists: all-or-nothing, every problem by row and column, updates never duplicate."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.auth.models import Category, User
from learnhub.demo.names import random_full_name
from learnhub.extensions import db
from learnhub.members.importer import apply_member_import, plan_member_import
from learnhub.orgs.models import Unit, UnitKind
from tests.conftest import login, post

HEADERS = ["STT", "Họ và tên", "Chi bộ", "Đối tượng", "Ngày sinh", "Giới tính", "Số điện thoại", "Số thẻ đảng viên"]
CATEGORY_TEXT = {Category.party_member: "Đảng viên", Category.civil_servant: "CBCCVC", Category.citizen: "Quần chúng"}


def write_xlsx(path: Path, rows: list[list], title: str | None = "DANH SÁCH ĐẢNG VIÊN") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def town_file(path: Path, cells: list[str], count: int = 403, seed: int = 7) -> Path:
    rng = random.Random(seed)
    rows = []
    for n in range(1, count + 1):
        name, gender = random_full_name(rng)
        category = rng.choice(list(CATEGORY_TEXT))
        born = dt.datetime(1950 + n % 50, 1 + n % 12, 1 + n % 28)
        rows.append([n, name, cells[n % len(cells)], CATEGORY_TEXT[category], born,
                     "Nam" if gender == "male" else "Nữ", 912000000 + n, f"{10000000 + n}"])
    return write_xlsx(path, rows)


def counts(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def test_cli_imports_a_403_row_vietnamese_file_into_the_cells(app: Flask, town, tmp_path: Path) -> None:
    before = counts(app)
    path = town_file(tmp_path / "danh-sach.xlsx", ["Chi bộ Khu phố 1", "Chi bộ Khu phố 2"])
    result = app.test_cli_runner().invoke(args=["members", "import", str(path), "--unit", "Đảng bộ Thị trấn"])
    assert result.exit_code == 0, result.output
    assert "imported: 403 new, 0 to update, 0 unchanged" in result.stderr
    assert "ignored columns: STT" in result.stderr
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before + 403
        new = db.session.scalars(sa.select(User).where(User.party_card.is_not(None))).all()
        assert {u.unit.name for u in new} == {"Chi bộ Khu phố 1", "Chi bộ Khu phố 2"}
        assert all(u.must_change_password and u.password_hash is None for u in new)
        usernames = [u.username for u in new]
        assert len(set(usernames)) == 403 and all(name.isascii() and "." in name for name in usernames)
        assert all(u.phone.startswith("+84912") for u in new)
        assert db.session.scalar(sa.select(AuditEntry.summary).where(AuditEntry.action == "members.import"))


def test_reimport_updates_matches_and_never_duplicates(app: Flask, town, tmp_path: Path) -> None:
    path = town_file(tmp_path / "a.xlsx", ["Chi bộ Khu phố 1"], count=20)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["members", "import", str(path)]).exit_code == 0
    before = counts(app)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    sheet.cell(row=3, column=3, value="Chi bộ Khu phố 2")  # first member moves cell
    sheet.cell(row=4, column=7, value="0987654321")  # second member's phone changes
    sheet.cell(row=5, column=8, value=None)  # third: no card, matched by name and birth date
    workbook.save(path)
    result = runner.invoke(args=["members", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "0 new, 2 to update, 18 unchanged" in result.stderr
    assert counts(app) == before
    with app.app_context():
        moved = db.session.scalars(sa.select(User).where(User.party_card == "10000001")).one()
        assert moved.unit.name == "Chi bộ Khu phố 2"
        assert db.session.scalars(sa.select(User).where(User.party_card == "10000002")).one().phone == "+84987654321"


def test_a_file_with_bad_rows_imports_nothing_and_names_each_problem(app: Flask, town, tmp_path: Path) -> None:
    rows = [
        [1, "Nguyễn Văn Hải", "Chi bộ Khu phố 1", "Đảng viên", "12/05/1980", "Nam", "0912345678", "1"],
        [2, "", "Chi bộ Khu phố 1", "Đảng viên", "12/05/1980", "Nam", "", "2"],
        [3, "Lê Thị Hoa", "Chi bộ Không Có", "Đảng viên", "31/02/1980", "Nữ", "", "3"],
        [4, "Trần Văn Bảo", "Chi bộ Khu phố 2", "Học sinh", "01/01/1990", "Khác", "12ab", "4"],
    ]
    path = write_xlsx(tmp_path / "loi.xlsx", rows)
    before = counts(app)
    result = app.test_cli_runner().invoke(args=["members", "import", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"{path}:4: Họ và tên: the full name is required" in lines
    assert f"{path}:5: Ngày sinh: not a date: use dd/mm/yyyy" in lines
    assert any(line.startswith(f"{path}:6: Đối tượng: not a category") for line in lines)
    assert any(line.startswith(f"{path}:6: Giới tính: not a gender") for line in lines)
    assert any(line.startswith(f"{path}:6: Số điện thoại: not a mobile number") for line in lines)
    assert lines[-1].startswith("Error: ") and "nothing was imported" in lines[-1]
    assert counts(app) == before


def test_unknown_and_ambiguous_units_are_errors_and_paths_resolve_them(app: Flask, town, make_unit, tmp_path: Path) -> None:
    other = make_unit("Đảng bộ Xã", UnitKind.committee, parent=town["root"])
    make_unit("Chi bộ Khu phố 1", UnitKind.cell, parent=other)
    rows = [[1, "Phạm Văn Tú", "Chi bộ Khu phố 1", "Đảng viên", None, None, None, None],
            [2, "Phạm Văn Tư", "Chi bộ Khu phố 9", "Đảng viên", None, None, None, None]]
    path = write_xlsx(tmp_path / "mo-ho.xlsx", rows)
    with app.app_context():
        root = db.session.get(Unit, town["root"].id)
        plan = plan_member_import(path, filename=path.name, base_unit=root, viewer=None)
        messages = [str(p.message) for p in plan.problems]
        assert len(messages) == 2
        assert "trùng tên nhiều đơn vị" in messages[0] and "Đảng bộ Xã/Chi bộ Khu phố 1" in messages[0]
        assert "không có đơn vị “Chi bộ Khu phố 9”" in messages[1]
    rows[0][2] = "Đảng bộ Xã/Chi bộ Khu phố 1"
    rows[1][2] = "Chi bộ Khu phố 2"
    write_xlsx(path, rows)
    with app.app_context():
        plan = plan_member_import(path, filename=path.name, base_unit=db.session.get(Unit, town["root"].id), viewer=None)
        assert plan.ok and [r.unit_path for r in plan.rows] == [
            "Đảng bộ Thị trấn/Đảng bộ Xã/Chi bộ Khu phố 1", "Đảng bộ Thị trấn/Chi bộ Khu phố 2"]


def test_dry_run_writes_nothing(app: Flask, town, tmp_path: Path) -> None:
    path = town_file(tmp_path / "thu.xlsx", ["Chi bộ Khu phố 1"], count=5)
    before = counts(app)
    result = app.test_cli_runner().invoke(args=["members", "import", str(path), "--dry-run"])
    assert result.exit_code == 0 and "dry run: 5 new" in result.stderr
    assert counts(app) == before


def test_a_cell_secretary_cannot_import_into_or_update_another_cell(app: Flask, town, tmp_path: Path) -> None:
    rows = [[1, "Hoàng Thị Bình", "Chi bộ Khu phố 2", "Đảng viên", None, None, None, None]]
    path = write_xlsx(tmp_path / "khac.xlsx", rows)
    with app.app_context():
        viewer = db.session.get(User, town["bithu1"].id)
        plan = plan_member_import(path, filename=path.name, base_unit=db.session.get(Unit, town["a"].id), viewer=viewer)
        assert not plan.ok and "không có đơn vị “Chi bộ Khu phố 2”" in str(plan.problems[0].message)


def test_five_thousand_rows_import_in_bulk(app: Flask, town, tmp_path: Path) -> None:
    path = town_file(tmp_path / "lon.xlsx", ["Chi bộ Khu phố 1", "Chi bộ Khu phố 2"], count=5000)
    seen: list[int] = []
    with app.app_context():
        plan = plan_member_import(path, filename=path.name, base_unit=db.session.get(Unit, town["root"].id),
                                  viewer=None, progress=seen.append)
        assert plan.ok and plan.created == 5000
        apply_member_import(plan, actor=None)
        db.session.commit()
    assert seen and seen[-1] >= 4500
    assert counts(app) >= 5000


def test_browser_upload_preview_and_confirm(app: Flask, client, town, tmp_path: Path) -> None:
    good = town_file(tmp_path / "tot.xlsx", ["Chi bộ Khu phố 1"], count=12)
    login(client, "bithu1")
    before = counts(app)
    with good.open("rb") as handle:
        response = post(client, "/members/import/", {"file": (handle, "danh sách.xlsx"), "unit": town["a"].id},
                        content_type="multipart/form-data")
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    preview = client.get(preview_url).get_data(as_text=True)
    assert "12 người mới" in preview and "STT" in preview
    assert counts(app) == before  # the preview writes nothing
    other = app.test_client()
    login(other, "bithu2")
    assert other.get(preview_url).status_code == 404  # someone else's upload
    confirmed = post(client, preview_url)
    assert confirmed.status_code == 302
    assert counts(app) == before + 12
    assert client.get(preview_url).status_code == 404  # the upload is gone after importing


def test_browser_preview_lists_problems_and_confirming_is_refused(app: Flask, client, town, tmp_path: Path) -> None:
    rows = [[1, "Nguyễn Văn Hải", "Chi bộ Khu phố 1", "Đảng viên", "99/99/1999", None, None, None]]
    bad = write_xlsx(tmp_path / "loi.xlsx", rows)
    login(client, "bithu1")
    with bad.open("rb") as handle:
        preview_url = post(client, "/members/import/", {"file": (handle, "loi.xlsx"), "unit": town["a"].id},
                           content_type="multipart/form-data").headers["Location"]
    html = client.get(preview_url).get_data(as_text=True)
    assert "1 lỗi: sẽ không dòng nào được nhập" in html
    assert "<td>3</td><td>Ngày sinh</td><td>ngày không hợp lệ: ghi theo dạng dd/mm/yyyy</td>" in html
    before = counts(app)
    assert post(client, preview_url).status_code == 400
    assert counts(app) == before


def test_other_file_types_are_refused_by_the_form(client, town, tmp_path: Path) -> None:
    login(client, "bithu1")
    html = post(client, "/members/import/", {"file": (tmp_path.joinpath("x.txt").open("wb+"), "x.txt"),
                                               "unit": town["a"].id}, content_type="multipart/form-data")
    assert html.status_code == 200
    assert "Chỉ nhập được tệp .xlsx và .csv" in html.get_data(as_text=True)


def test_a_username_made_for_an_earlier_row_cannot_be_given_to_a_later_one(app: Flask, town, tmp_path: Path) -> None:
    path = tmp_path / "trung.csv"
    path.write_text("Họ và tên,Tên đăng nhập\nNguyễn Văn Hải,\nLê Văn Cường,hai.nguyenvan\n", encoding="utf-8")
    before = counts(app)
    result = app.test_cli_runner().invoke(args=["members", "import", str(path)])
    assert result.exit_code == 1
    assert (f"{path}:3: Tên đăng nhập: the username hai.nguyenvan was given to a new member on an earlier row: "
            "choose another") in result.stderr.splitlines()
    assert counts(app) == before
