"""Tables as .xlsx and .csv downloads: Vietnamese headers, numbers as numbers, Excel-friendly CSV."""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMATS = {"xlsx", "csv"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Percent(float):
    """A fraction 0..1 written as a percentage."""


@dataclass
class Sheet:
    """A download's table: its file name (without extension), title lines, headers and rows."""

    filename: str
    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)
    title: list[str] = field(default_factory=list)


def to_xlsx(headers: Sequence[str], rows: Sequence[Sequence[object]], *, title: Sequence[str] = (),
            sheet_name: str = "Bảng") -> bytes:
    """A workbook: optional title lines, a bold header row, then the rows (dates as dates)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name[:31])
    for line in title:
        sheet.append([_cell(sheet, line, bold=True)])
    if title:
        sheet.append([])
    sheet.append([_cell(sheet, header, bold=True) for header in headers])
    for row in rows:
        sheet.append([_cell(sheet, value) if isinstance(value, dt.date | Percent) else value for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value: object, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    if isinstance(value, dt.date):
        cell.number_format = "DD/MM/YYYY"
    if isinstance(value, Percent):
        cell.number_format = "0.0%"
    return cell


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[object]], *, title: Sequence[str] = ()) -> bytes:
    """UTF-8 with a byte-order mark so Excel shows Vietnamese; dates as dd/mm/yyyy."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in title:
        writer.writerow([line])
    if title:
        writer.writerow([])
    writer.writerow(headers)
    for row in rows:
        writer.writerow([v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def sheet_response(fmt: str, sheet: Sheet) -> Response:
    """The sheet as a download in ``fmt`` ("xlsx" or "csv")."""
    return table_response(fmt, sheet.filename, sheet.headers, sheet.rows, title=sheet.title)


def table_response(fmt: str, filename: str, headers: Sequence[str], rows: Sequence[Sequence[object]],
                   *, title: Sequence[str] = ()) -> Response:
    """The table as a download in ``fmt`` ("xlsx" or "csv")."""
    if fmt == "xlsx":
        body, mimetype = to_xlsx(headers, rows, title=title), XLSX_TYPE
    else:
        body, mimetype = to_csv(headers, rows, title=title), "text/csv; charset=utf-8"
    response = Response(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=f"{filename}.{fmt}")
    response.headers["Cache-Control"] = "no-store"
    return response
