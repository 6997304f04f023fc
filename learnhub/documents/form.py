"""The Party document form (Hướng dẫn 36-HD/VPTW): the parts around a document's body, in one place.

``party_form`` gives the header (superior and issuing organ, number, the Party's name, place and date)
and the footer (recipients, signature block) of a document issued by a unit; the HTML macros
(templates/documents/_party.html) and the .docx helper (learnhub/documents/docx.py) both draw it.
A unit's settings (``DocumentSettings``) override the defaults derived from the unit and its parent.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from learnhub.documents.models import DocumentSettings
from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitKind
from learnhub.settings import local_zone
from learnhub.text import fold

if TYPE_CHECKING:
    from learnhub.conferences.models import Conference
    from learnhub.plans.models import StudyPlan

UNIT_PREFIXES = ("Đảng bộ ", "Đảng ủy ", "Chi bộ ")
FIELDS = ("superior_organ", "issuing_organ", "abbreviation", "place", "on_behalf", "signer_title",
          "signer_name", "recipients")
NUMBER_BLANK = "\u00a0" * 6  # where the office writes the number by hand when it is not yet given


class DocumentKind(StrEnum):
    """The kinds of document LearnHub prints."""

    plan = "plan"
    report = "report"
    notice = "notice"
    evaluation = "evaluation"


# Each kind's abbreviation in the number (HD 36: "Số 05-KH/ĐU"). HD 36 has no "evaluation": the
# committee's yearly evaluation of its units is filed as a report (báo cáo đánh giá).
SUFFIXES = {DocumentKind.plan: "KH", DocumentKind.report: "BC", DocumentKind.notice: "TB",
            DocumentKind.evaluation: "BC"}


@dataclass(frozen=True)
class PartyForm:
    """The parts of a Party document around its body, ready to print."""

    superior: str  # "ĐẢNG BỘ HUYỆN ...", empty when unknown
    issuer: str  # "ĐẢNG ỦY THỊ TRẤN"
    number: str  # "Số 05-KH/ĐU"
    party: str  # "ĐẢNG CỘNG SẢN VIỆT NAM"
    dated: str  # "Thị trấn, ngày 05 tháng 03 năm 2026"
    recipients_label: str  # "Nơi nhận:"
    recipients: tuple[str, ...]  # "- " is printed before each
    on_behalf: str  # "T/M ĐẢNG ỦY"
    signer_title: str  # "BÍ THƯ"
    signer_name: str


def _bare(name: str) -> str:
    """A unit's name without "Đảng bộ"/"Đảng ủy"/"Chi bộ": "Thị trấn"."""
    for prefix in UNIT_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _organ(unit: Unit) -> str:
    """The organ that issues a unit's documents: a đảng bộ's is its đảng ủy ("Đảng ủy Thị trấn")."""
    if unit.kind == UnitKind.committee and unit.name.startswith("Đảng bộ "):
        return "Đảng ủy " + _bare(unit.name)
    return unit.name


def _top(unit: Unit) -> Unit:
    while unit.parent is not None:
        unit = unit.parent
    return unit


def defaults(unit: Unit) -> dict[str, str]:
    """What a unit's documents carry when its settings leave a field empty."""
    cell = unit.kind == UnitKind.cell
    recipients = []
    if unit.parent is not None:
        recipients.append(f"{_organ(unit.parent)} (để báo cáo),")
    if unit.kind == UnitKind.committee and unit.children:
        recipients.append("Các chi bộ trực thuộc,")
    recipients.append("Lưu Chi bộ." if cell else "Lưu Văn phòng Đảng ủy.")
    return {
        "superior_organ": unit.parent.name.upper() if unit.parent is not None else "",
        "issuing_organ": _organ(unit).upper(),
        "abbreviation": "CB" if cell else "ĐU",
        "place": _bare(_top(unit).name),
        "on_behalf": "T/M CHI BỘ" if cell else "T/M ĐẢNG ỦY",
        "signer_title": "BÍ THƯ",
        "signer_name": "",
        "recipients": "\n".join(recipients),
    }


def settings_of(unit_id: int) -> DocumentSettings | None:
    """The unit's stored settings, if any."""
    return db.session.scalars(sa.select(DocumentSettings).where(DocumentSettings.unit_id == unit_id)).first()


def effective(unit: Unit) -> dict[str, str]:
    """The unit's settings with each empty field filled by its default."""
    values = defaults(unit)
    stored = settings_of(unit.id)
    if stored is not None:
        values.update({name: getattr(stored, name) for name in FIELDS if getattr(stored, name).strip()})
    return values


def document_date(plan: StudyPlan) -> dt.date:
    """The date a plan is issued on (signed), as its document's date line shows it."""
    return plan.issued_on


def notice_date(conference: Conference) -> dt.date:
    """The date a conference's notice is issued on: the day the conference was planned (local time)."""
    return conference.created_at.astimezone(local_zone()).date()


def document_number(kind: DocumentKind, abbreviation: str, number: str | None = "") -> str:
    """ "05" → "05-KH/ĐU"; a full number ("15-KH/ĐU") as given; none → a blank to fill by hand."""
    number = (number or "").strip()
    if "/" in number:
        return number
    return f"{number or NUMBER_BLANK}-{SUFFIXES[kind]}/{abbreviation}"


def date_line(place: str, on: dt.date) -> str:
    """ "Thị trấn, ngày 05 tháng 03 năm 2026" (in the current language)."""
    return _("%(place)s, %(day)s/%(month)s/%(year)s", place=place, day=f"{on.day:02d}", month=f"{on.month:02d}",
             year=on.year)


def title_lines(title: str, subject: str) -> tuple[str, str]:
    """The document's name and its summary, without saying the name twice ("KẾ HOẠCH" over "Kế hoạch
    học tập ..." becomes "KẾ HOẠCH" over "Học tập ...")."""
    words, name = subject.split(), title.split()
    if name and len(words) > len(name) and fold(" ".join(words[:len(name)])).lower() == fold(title).lower():
        rest = " ".join(words[len(name):]).lstrip(" :,-–")
        subject = rest[:1].upper() + rest[1:]
    return title, subject


def party_form(unit: Unit, kind: DocumentKind, on: dt.date, number: str | None = "", lang: str = "vi") -> PartyForm:
    """The header and footer of a ``kind`` document issued by ``unit`` on ``on``; Vietnamese by default,
    as it is filed."""
    values = effective(unit)
    with force_locale(lang):
        return PartyForm(
            superior=values["superior_organ"], issuer=values["issuing_organ"],
            number=_("No. %(number)s", number=document_number(kind, values["abbreviation"], number)),
            party=_("COMMUNIST PARTY OF VIETNAM"), dated=date_line(values["place"], on),
            recipients_label=_("Recipients:"),
            recipients=tuple(line.strip().removeprefix("- ").strip() for line in values["recipients"].splitlines()
                             if line.strip()),
            on_behalf=values["on_behalf"], signer_title=values["signer_title"], signer_name=values["signer_name"])


def party_form_of(unit_id: int, kind: str, on: dt.date, number: str | None = "") -> PartyForm:
    """``party_form`` for a unit by id, for the print templates (a Jinja global)."""
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise LookupError(unit_id)
    return party_form(unit, DocumentKind(kind), on, number)
