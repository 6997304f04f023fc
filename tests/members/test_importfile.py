"""Reading member lists from Excel and CSV: typed rows, every problem where the user looks."""
from __future__ import annotations

import csv
import datetime as dt
import unicodedata
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask_babel.speaklater import LazyString
from openpyxl import Workbook, load_workbook

from learnhub.auth.models import Category, Gender
from learnhub.members.importfile import FIELDS, MemberRow
from tests.members.member_files import ParsedMemberFile, read_member_file

NOT_UTF8 = "the file is not UTF-8: in Excel use 'Save as… CSV UTF-8'"
NO_NAME_COLUMN = "no 'Họ và tên' (full_name) column found"
NOT_A_WORKBOOK = "the file could not be read as an Excel workbook"
WRONG_TYPE = "only .xlsx and .csv files can be imported"
NOT_A_DATE = "not a date: use dd/mm/yyyy"
NOT_A_PHONE = "not a mobile number: use 10 digits such as 0912345678 or +84912345678"


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(
    path: Path, rows: list[list[Any]], delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def problems(parsed: ParsedMemberFile) -> list[tuple[int, str | None, str]]:
    return [(p.row, p.column, str(p.message)) for p in parsed.problems]


def test_vietnamese_workbook_reads_typed_rows_below_its_title(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [
        ["DANH SÁCH ĐẢNG VIÊN CHI BỘ KHU PHỐ 3"],
        [],
        ["STT", "Họ và tên", "Chi bộ", "Đối tượng", "Ngày sinh", "Giới tính", "Số điện thoại",
         "Email", "Tên đăng nhập", "Số thẻ đảng viên"],
        [1, unicodedata.normalize("NFD", " Nguyễn  Văn\tAn "), "Đảng bộ Thị trấn/Chi bộ Khu phố 3",
         "Đảng viên", dt.datetime(1970, 5, 19), "Nam", 912345678, "An.Nguyen@Example.VN",
         "An.NguyenVan", 12345678],
        [2, "Trần Thị Bích", "Chi bộ Trường THCS", "Cán bộ, công chức, viên chức",
         dt.date(1985, 12, 1), "nữ", 912345679.0, None, None, None],
        [3, "Lê Văn Cường", None, "Quần chúng Nhân dân", "5/3/1980", "M", "+84 912 345 678",
         None, None, "093.456"],
    ])
    parsed = read_member_file(path)
    assert problems(parsed) == []
    assert parsed.rows == [
        MemberRow(row=4, full_name="Nguyễn Văn An", unit="Đảng bộ Thị trấn/Chi bộ Khu phố 3",
                  category=Category.party_member, birth_date=dt.date(1970, 5, 19),
                  gender=Gender.male, phone="+84912345678", email="an.nguyen@example.vn",
                  username="an.nguyenvan", party_card="12345678"),
        MemberRow(row=5, full_name="Trần Thị Bích", unit="Chi bộ Trường THCS",
                  category=Category.civil_servant, birth_date=dt.date(1985, 12, 1),
                  gender=Gender.female, phone="+84912345679", email=None, username=None,
                  party_card=None),
        MemberRow(row=6, full_name="Lê Văn Cường", unit=None, category=Category.citizen,
                  birth_date=dt.date(1980, 3, 5), gender=Gender.male, phone="+84912345678",
                  email=None, username=None, party_card="093.456"),
    ]
    assert parsed.rows[0].full_name == unicodedata.normalize("NFC", "Nguyễn Văn An")
    assert parsed.columns == {
        "full_name": "Họ và tên", "unit": "Chi bộ", "category": "Đối tượng",
        "birth_date": "Ngày sinh", "gender": "Giới tính", "phone": "Số điện thoại",
        "email": "Email", "username": "Tên đăng nhập", "party_card": "Số thẻ đảng viên",
    }
    assert parsed.ignored_columns == ["STT"]
    assert parsed.total_rows == 3


def test_english_csv_with_bom_and_semicolons(tmp_path: Path) -> None:
    headers = ["Full name", "Unit", "Category", "Birth date", "Gender", "Phone", "E-mail",
               "Username", "Party card"]
    path = write_csv(tmp_path / "members.csv", [
        headers,
        ["Nguyen Van An", "Cell 3", "civil servant", "1980-03-05", "male", "0912345678",
         "an@example.com", "an.nv", "093456"],
        ["Trần Thị Bích", "", "Cán bộ, công chức, viên chức", "05.03.1980", "Female",
         "0912.345.679", "", "", ""],
    ], delimiter=";", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfFull name;Unit;")
    parsed = read_member_file(path)
    assert problems(parsed) == []
    assert parsed.columns == dict(zip(FIELDS, headers, strict=True))
    assert parsed.ignored_columns == []
    first, second = parsed.rows
    assert (first.row, first.unit, first.category, first.birth_date) == (
        2, "Cell 3", Category.civil_servant, dt.date(1980, 3, 5))
    assert (first.gender, first.phone, first.username, first.party_card) == (
        Gender.male, "+84912345678", "an.nv", "093456")
    assert (second.row, second.unit, second.category, second.birth_date, second.phone) == (
        3, None, Category.civil_servant, dt.date(1980, 3, 5), "+84912345679")
    assert (second.email, second.username, second.party_card) == (None, None, None)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_found_from_the_header_line(tmp_path: Path, delimiter: str) -> None:
    path = write_csv(tmp_path / "ds.csv", [
        ["Danh sách cán bộ"],
        ["Họ tên", "Đơn vị", "Đối tượng"],
        ["Phạm Thị Dung", "Ủy ban, Văn phòng", "CBCCVC"],
    ], delimiter=delimiter)
    parsed = read_member_file(path)
    assert problems(parsed) == []
    [member] = parsed.rows
    assert (member.row, member.unit) == (3, "Ủy ban, Văn phòng")
    assert member.category is Category.civil_servant


def test_without_a_category_column_everyone_is_a_party_member(tmp_path: Path) -> None:
    parsed = read_member_file(write_csv(tmp_path / "ds.csv", [["Họ và tên"], ["Nguyễn Văn An"]]))
    assert parsed.columns == {"full_name": "Họ và tên"}
    assert parsed.rows == [MemberRow(2, "Nguyễn Văn An", None, Category.party_member, None, None,
                                     None, None, None, None)]


def cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese Excel writes it: a base letter, then a combining tone mark."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        if char.encode("cp1258", "ignore"):
            out += char.encode("cp1258")
            continue
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in marks:  # "ộ" is "ô" and a combining dot below
            composed = unicodedata.normalize("NFC", base + mark)
            if composed.encode("cp1258", "ignore"):
                base, marks = composed, [other for other in marks if other != mark]
                break
        out += (base + "".join(marks)).encode("cp1258")
    return out


@pytest.mark.parametrize("data", [
    cp1258("Họ và tên,Chi bộ\nNguyễn Văn An,Chi bộ 3\nLê Thị Hà,Chi bộ 4\n"),
    "Full name,Unit\nJosé Müller,Zürich\n".encode("latin-1"),
], ids=["cp1258", "latin-1"])
def test_csv_that_is_not_utf8_is_refused_once(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "ds.csv"
    path.write_bytes(data)
    parsed = read_member_file(path)
    assert problems(parsed) == [(1, None, NOT_UTF8)]
    assert (parsed.rows, parsed.total_rows) == ([], 0)


def test_every_bad_value_is_reported_at_its_row_and_column_as_written(tmp_path: Path) -> None:
    headers = ["STT", "Họ và tên (*)", "Đối tượng:", "Ngày sinh", "Giới tính", "SĐT", "E-mail",
               "Tên đăng nhập"]
    good = ["", "Nguyễn Văn An", "Đảng viên", "01/02/1990", "Nam", "0912345678", "", ""]
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    changes: list[tuple[int, str, str]] = [  # (column index, value, message)
        (1, "", "the full name is required"),
        (1, "A" * 201, "the full name is longer than 200 characters"),
        (2, "", "the category is required"),
        (2, "Thanh niên", "not a category: use 'Đảng viên', 'Cán bộ, công chức, viên chức' or "
                          "'Quần chúng'"),
        (3, "31/02/1990", NOT_A_DATE),
        (3, "32874", NOT_A_DATE),  # an Excel serial number saved as text
        (3, "01/02/90", NOT_A_DATE),
        (3, tomorrow, "the birth date is in the future"),
        (3, "31/12/1899", "the birth date is before 1900"),
        (4, "Khác", "not a gender: use Nam or Nữ"),
        (5, "12345", NOT_A_PHONE),
        (5, "0912345678 (nhà)", NOT_A_PHONE),
        (5, "02838123456", NOT_A_PHONE),  # a landline: no text message reaches it
        (5, "0123456789", NOT_A_PHONE),  # no network's prefix
        (6, "an@example", "not an email address"),
        (7, "Nguyễn An", "not a username: use 3 to 80 of a-z, 0-9, '.', '_' and '-'"),
    ]
    rows = [headers]
    for column, value, _message in changes:
        rows.append([*good[:column], value, *good[column + 1:]])
    rows.append(["", "", "x", "x", "x", "x", "x", "x"])  # every cell wrong at once
    rows.append(good)
    parsed = read_member_file(write_csv(tmp_path / "ds.csv", rows))
    expected = [(n, headers[column], message) for n, (column, _, message) in enumerate(changes, 2)]
    last = len(changes) + 2
    expected += [  # all of them, ordered by column header within the row
        (last, "E-mail", "not an email address"),
        (last, "Giới tính", "not a gender: use Nam or Nữ"),
        (last, "Họ và tên (*)", "the full name is required"),
        (last, "Ngày sinh", NOT_A_DATE),
        (last, "SĐT", NOT_A_PHONE),
        (last, "Tên đăng nhập", changes[-1][2]),
        (last, "Đối tượng:", changes[3][2]),
    ]
    assert problems(parsed) == expected
    assert [member.row for member in parsed.rows] == [last + 1]
    assert parsed.total_rows == len(changes) + 2
    assert isinstance(parsed.problems[0].message, LazyString)  # shown in the reader's language


def test_workbook_cells_that_are_not_what_they_seem(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [
        ["Họ và tên", "Ngày sinh", "Điện thoại"],
        ["Nguyễn Văn An", 32874, 912345678.5],  # a date typed as a number; a phone with a decimal
        ["Trần Thị Bích", dt.datetime(2999, 1, 1), 12345],
    ])
    assert problems(read_member_file(path)) == [
        (2, "Ngày sinh", NOT_A_DATE), (2, "Điện thoại", NOT_A_PHONE),
        (3, "Ngày sinh", "the birth date is in the future"), (3, "Điện thoại", NOT_A_PHONE),
    ]


def test_duplicates_are_reported_on_the_later_row_naming_the_first(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [
        ["Họ và tên", "Tên đăng nhập", "Số thẻ Đảng"],
        ["Nguyễn Văn An", "an.nv", 1001],
        ["Trần Thị Bích", "bich.tt", "1002"],
        ["Nguyễn Văn An", "AN.NV", "1003"],
        ["Lê Văn Cường", "cuong.lv", "1001"],  # the same card, once a number, once text
        ["Phạm Thị Dung", "an.nv", 1002.0],
    ])
    parsed = read_member_file(path)
    assert problems(parsed) == [
        (4, "Tên đăng nhập", "the same username is already on row 2"),
        (5, "Số thẻ Đảng", "the same party card number is already on row 2"),
        (6, "Số thẻ Đảng", "the same party card number is already on row 3"),
        (6, "Tên đăng nhập", "the same username is already on row 2"),
    ]
    assert [member.row for member in parsed.rows] == [2, 3]


def test_blank_rows_are_skipped_and_rows_keep_their_excel_numbers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [
        ["STT", "Họ và tên", "Chi bộ"],
        [1, "Nguyễn Văn An", "Chi bộ 1"],
        [None, None, None],
        [None, "   ", ""],
        [],
        [4, None, None],  # a numbered line left empty in the template
        [5, "Trần Thị Bích", "Chi bộ 2"],
    ])
    parsed = read_member_file(path)
    assert problems(parsed) == []
    assert [(member.row, member.full_name) for member in parsed.rows] == [
        (2, "Nguyễn Văn An"), (7, "Trần Thị Bích")]
    assert parsed.total_rows == 2


@pytest.mark.parametrize("header", ["HỌ VÀ TÊN:", "Họ tên (*)", "full_name", "Full Name", "ho ten"])
def test_name_header_is_recognised_however_it_is_written(tmp_path: Path, header: str) -> None:
    parsed = read_member_file(write_csv(tmp_path / "ds.csv", [[header], ["Nguyễn Văn An"]]))
    assert parsed.columns == {"full_name": header}
    assert [member.full_name for member in parsed.rows] == ["Nguyễn Văn An"]


def test_without_a_name_column_nothing_is_read(tmp_path: Path) -> None:
    parsed = read_member_file(write_xlsx(tmp_path / "ds.xlsx", [["STT", "Tên"], [1, "An"]]))
    assert problems(parsed) == [(1, None, NO_NAME_COLUMN)]
    assert parsed.rows == []


def test_header_is_looked_for_in_the_first_ten_rows_only(tmp_path: Path) -> None:
    titles = [[f"Dòng tiêu đề {n}"] for n in range(1, 10)]
    found = read_member_file(write_xlsx(tmp_path / "a.xlsx", [*titles, ["Họ và tên"], ["An"]]))
    assert [member.row for member in found.rows] == [11]
    missed = read_member_file(write_xlsx(tmp_path / "b.xlsx", [*titles, [], ["Họ và tên"], ["An"]]))
    assert problems(missed) == [(1, None, NO_NAME_COLUMN)]


def test_two_columns_for_one_field_stop_the_import(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [
        ["DANH SÁCH"],
        ["Họ và tên", "Họ tên", "SĐT", "Điện thoại"],
        ["Nguyễn Văn An", "An", "0912345678", "0912345679"],
    ])
    parsed = read_member_file(path)
    assert problems(parsed) == [
        (2, None, "the columns 'Họ và tên' and 'Họ tên' both mean full_name"),
        (2, None, "the columns 'SĐT' and 'Điện thoại' both mean phone"),
    ]
    assert parsed.rows == []


def test_large_workbook_reports_progress(tmp_path: Path) -> None:
    rows = [["STT", "Họ và tên", "Tên đăng nhập"]]
    rows += [[n, f"Nguyễn Văn {n}", f"user{n}"] for n in range(1, 5001)]
    seen: list[int] = []
    parsed = read_member_file(write_xlsx(tmp_path / "big.xlsx", rows), progress=seen.append)
    assert seen == list(range(500, 5001, 500))
    assert (parsed.total_rows, len(parsed.rows), parsed.problems) == (5000, 5000, [])
    assert (parsed.rows[-1].row, parsed.rows[-1].username) == (5001, "user5000")


def test_the_uploaded_name_decides_the_file_type(tmp_path: Path) -> None:
    upload = write_xlsx(tmp_path / "upload-3f9a", [["Họ và tên"], ["Nguyễn Văn An"]])
    parsed = read_member_file(upload, filename="Danh sach.XLSX")
    assert [member.full_name for member in parsed.rows] == ["Nguyễn Văn An"]


@pytest.mark.parametrize("filename", ["danh-sach.xls", "danh-sach.txt", "danh-sach", "ds.csv.pdf"])
def test_other_file_types_are_refused(tmp_path: Path, filename: str) -> None:
    path = write_csv(tmp_path / "ds.csv", [["Họ và tên"], ["Nguyễn Văn An"]])
    assert problems(read_member_file(path, filename=filename)) == [(1, None, WRONG_TYPE)]


def zip_with(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("make", [
    lambda path: path.write_bytes(b"Ho va ten,Chi bo\nAn,1\n"),  # a CSV renamed to .xlsx
    lambda path: path.write_bytes(b"PK\x03\x04 truncated"),
    lambda path: zip_with(path, {"readme.txt": b"not a workbook"}),
], ids=["csv", "truncated", "other-zip"])
def test_a_corrupt_workbook_is_one_problem(tmp_path: Path, make: Any) -> None:
    path = tmp_path / "ds.xlsx"
    make(path)
    assert problems(read_member_file(path)) == [(1, None, NOT_A_WORKBOOK)]


def test_workbook_from_another_tool_reads_without_openpyxl_warnings(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "a.xlsx", [["Họ và tên"], ["Nguyễn Văn An"]])
    bare_styles = (b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   b'<cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>')
    with zipfile.ZipFile(source) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    path = zip_with(tmp_path / "b.xlsx", {**files, "xl/styles.xml": bare_styles})
    with pytest.warns(UserWarning, match="no default style"):
        load_workbook(path, read_only=True).close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parsed = read_member_file(path)
    assert [member.full_name for member in parsed.rows] == ["Nguyễn Văn An"]
