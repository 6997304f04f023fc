"""Tables as .xlsx and .csv downloads: Vietnamese headers, numbers as numbers, text never run as a formula.

Every spreadsheet LearnHub writes (web downloads and the CLI) goes through ``to_xlsx`` or ``to_csv``,
and every cell, title and header through ``xlsx_cell`` or ``csv_field``: text that a spreadsheet would
read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a line break, as OWASP's
CSV-injection guidance lists them) is written as text in .xlsx and behind a ``'`` in .csv.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from learnhub.settings import local_zone

__all__ = ["FORMATS", "FORMULA_STARTS", "Percent", "Sheet", "content_disposition", "csv_field", "csv_unescape",
           "is_formula_like", "sheet_response", "table_response", "to_csv", "to_xlsx", "xlsx_cell"]

FORMATS = {"xlsx", "csv"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
PERCENT_FORMAT = "0.0%"
MAX_CELL_CHARS = 32767  # Excel's limit: a longer cell makes it "repair" the workbook
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # refused by openpyxl, invisible anyway
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


class Percent(float):
    """A rate held as a fraction 0..1 (``Percent(0.975)``): a number shown as "97.5%" in .xlsx
    (format '0.0%'), the plain number 0.975 in .csv. ``figures.percent_cell`` makes one from a rate."""

    __slots__ = ()


@dataclass
class Sheet:
    """A download's table: its file name (without extension), title lines, headers and rows."""

    filename: str
    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)
    title: list[str] = field(default_factory=list)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` typed into a cell as a formula."""
    return text.startswith(FORMULA_STARTS)


def _plain(value: object) -> object:
    """A cell value as a spreadsheet type: None, bool, a number, a date, else text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        return value.astimezone(local_zone()).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return value
    return str(value)  # enums, lazy strings, Markup...: only their text goes into the file


def xlsx_cell(sheet, value: object, *, bold: bool = False) -> WriteOnlyCell:
    """One write-only cell: text is always text (never a formula), dates dd/mm/yyyy, Percent as 0.0%."""
    value = _plain(value)
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("", unicodedata.normalize("NFC", value))[:MAX_CELL_CHARS]
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a live formula
        if is_formula_like(value):
            cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell
    elif isinstance(value, dt.datetime):
        cell.number_format = "DD/MM/YYYY HH:MM"
    elif isinstance(value, dt.date):
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(value, Percent):
        cell.number_format = PERCENT_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def csv_field(value: object) -> object:
    """One CSV field: formula-like text behind a ``'``, dates dd/mm/yyyy, Percent as its fraction."""
    value = _plain(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Percent):
        return float(value)
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def csv_unescape(text: str) -> str:
    """A CSV field as it was before ``csv_field`` guarded it, so an export can be imported again."""
    return text[1:] if text.startswith("'") and is_formula_like(text[1:]) else text


def to_xlsx(headers: Sequence[object], rows: Sequence[Sequence[object]], *, title: Sequence[object] = (),
            sheet_name: str = "Bảng") -> bytes:
    """A workbook: optional title lines, a bold header row, then the rows (dates as dates)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_SHEET_NAME_BAD.sub(" ", sheet_name)[:31] or "Bảng")
    for line in title:
        sheet.append([xlsx_cell(sheet, line, bold=True)])
    if title:
        sheet.append([])
    sheet.append([xlsx_cell(sheet, header, bold=True) for header in headers])
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(headers: Sequence[object], rows: Sequence[Sequence[object]], *, title: Sequence[object] = (),
             lineterminator: str = "\r\n") -> str:
    """The table as CSV text (no byte-order mark): what ``to_csv`` encodes, and the CLI prints."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    for line in title:
        writer.writerow([csv_field(line)])
    if title:
        writer.writerow([])
    writer.writerow([csv_field(header) for header in headers])
    for row in rows:
        writer.writerow([csv_field(value) for value in row])
    return buffer.getvalue()


def to_csv(headers: Sequence[object], rows: Sequence[Sequence[object]], *, title: Sequence[object] = ()) -> bytes:
    """UTF-8 with a byte-order mark so Excel shows Vietnamese; dates as dd/mm/yyyy."""
    return ("\ufeff" + csv_text(headers, rows, title=title)).encode("utf-8")


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the exact name as ``filename*`` (RFC 6266 / 5987);
    line breaks, quotes and path parts never reach the header."""
    name = unicodedata.normalize("NFC", re.split(r"[/\\]", filename)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip() or "download"
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name.encode("ascii", "ignore").decode()).strip("-.")
    ascii_name = ascii_name or "download"
    if ascii_name == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def sheet_response(fmt: str, sheet: Sheet) -> Response:
    """The sheet as a download in ``fmt`` ("xlsx" or "csv")."""
    return table_response(fmt, sheet.filename, sheet.headers, sheet.rows, title=sheet.title)


def table_response(fmt: str, filename: str, headers: Sequence[object], rows: Sequence[Sequence[object]],
                   *, title: Sequence[object] = ()) -> Response:
    """The table as a download in ``fmt`` ("xlsx" or "csv")."""
    if fmt == "xlsx":
        body, content_type = to_xlsx(headers, rows, title=title), XLSX_TYPE
    else:
        body, content_type = to_csv(headers, rows, title=title), CSV_TYPE
    response = Response(body, content_type=content_type)  # content_type: taken as is, charset once
    response.headers["Content-Disposition"] = content_disposition(f"{filename}.{fmt}")
    response.headers["Cache-Control"] = "no-store"
    return response
