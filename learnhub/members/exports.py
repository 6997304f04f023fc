"""Member lists as .xlsx and .csv (Vietnamese headers, Excel-friendly), and QR codes for slips."""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import segno
from flask import Response
from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.styles import Font

from learnhub import audit
from learnhub.auth.models import User
from learnhub.labels import CATEGORIES, GENDERS, STATUSES

FORMATS = {"xlsx", "csv"}
HEADERS = [
    "STT", "Họ và tên", "Tên đăng nhập", "Chi bộ", "Đối tượng", "Ngày sinh", "Giới tính",
    "Số điện thoại", "Email", "Số thẻ đảng viên", "Trạng thái",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def member_rows(members: Sequence[User], paths: dict[int, str]) -> list[list[object]]:
    """One row per member, values in Vietnamese whatever the viewer's language."""
    with force_locale("vi"):
        return [
            [
                number, m.full_name, m.username, paths.get(m.unit_id, ""), str(CATEGORIES[m.category]),
                m.birth_date, str(GENDERS[m.gender]) if m.gender else "", m.phone or "", m.email or "",
                m.party_card or "", str(STATUSES[m.status]),
            ]
            for number, m in enumerate(members, start=1)
        ]


def to_xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append([_bold(sheet, header) for header in HEADERS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bold(sheet, value: str):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def to_csv(rows: list[list[object]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly; dates as dd/mm/yyyy."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def member_list_response(members: Sequence[User], paths: dict[int, str], fmt: str) -> Response:
    """The download, audited: member lists carry personal data."""
    rows = member_rows(members, paths)
    body, mimetype = (to_xlsx(rows), XLSX_TYPE) if fmt == "xlsx" else (to_csv(rows), "text/csv; charset=utf-8")
    audit.record("members.export", object_type="member_list", object_id=None,
                 summary=f"exported {len(rows)} members as {fmt}")
    response = Response(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=f"danh-sach-dang-vien.{fmt}")
    response.headers["Cache-Control"] = "no-store"
    return response


def qr_svg(text: str) -> str:
    """An inline SVG QR code (made on the server: no script, no network)."""
    return segno.make_qr(text, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")
