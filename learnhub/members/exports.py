"""Member lists as .xlsx and .csv (Vietnamese headers; re-importable), and QR codes for slips."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import Response
from flask_babel import force_locale

from learnhub import audit, qr
from learnhub.auth.models import User
from learnhub.exports import FORMATS, table_response
from learnhub.labels import CATEGORIES, GENDERS, STATUSES

__all__ = ["FORMATS", "member_list_response", "qr_svg"]

HEADERS = [
    "STT", "Họ và tên", "Tên đăng nhập", "Chi bộ", "Đối tượng", "Ngày sinh", "Giới tính",
    "Số điện thoại", "Email", "Số thẻ đảng viên", "Trạng thái",
]


def member_rows(members: Sequence[User], paths: Mapping[int, str]) -> list[list[object]]:
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


def member_list_response(members: Sequence[User], paths: Mapping[int, str], fmt: str) -> Response:
    """The download, audited: member lists carry personal data."""
    rows = member_rows(members, paths)
    audit.record("members.export", object_type="member_list", object_id=None,
                 summary=audit.N_("exported %(count)s members as %(fmt)s"), params={"count": len(rows), "fmt": fmt})
    return table_response(fmt, "danh-sach-dang-vien", HEADERS, rows)


def qr_svg(text: str) -> str:
    """A slip's QR code, at a fixed size for print."""
    return qr.qr_svg(text, scale=4)
