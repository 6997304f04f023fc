"""The conference notice as a .docx in the Party document form (learnhub/documents/docx.py)."""
from __future__ import annotations

import re

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from flask_babel import force_locale
from flask_babel import gettext as _

from learnhub.conferences.models import Conference
from learnhub.documents import docx as party_docx
from learnhub.documents.form import DocumentKind, notice_date, party_form, title_lines
from learnhub.labels import PLAN_FORMS
from learnhub.orgs.models import Unit
from learnhub.plans.models import StudyPlan
from learnhub.text import fold

MARKS = re.compile(r"[*_`#>]+")  # Markdown's emphasis and heading marks, left out of the agenda's plain lines


def build_notice_docx(conference: Conference, unit: Unit, *, invited: list[str], when: str, presenters: str,
                      plan: StudyPlan | None) -> bytes:
    """The notice as .docx bytes, in Vietnamese as it is sent: the Party form's header, the title, the
    invitation, the time, place, form and presenters, the agenda, then the recipients and the signature."""
    party = party_form(unit, DocumentKind.notice, notice_date(conference))
    with force_locale("vi"):
        document = party_docx.new_document()
        party_docx.add_header(document, party)
        if conference.cancelled_at:
            party_docx.line(document, _("CANCELLED"), bold=True)
        party_docx.add_title(document, *title_lines(_("NOTICE"), conference.title))
        opening = document.add_paragraph(party_docx.text(_(
            "%(unit)s invites the party members, civil servants and public employees of: %(units)s",
            unit=unit.name, units="; ".join(invited)) + "."))
        opening.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        opening.paragraph_format.first_line_indent = Cm(1)
        plan_line = ""
        if plan is not None:
            plan_line = plan.title + (f" ({_('No. %(number)s', number=plan.number)})" if plan.number else "")
        facts = [(_("Time"), when), (_("Place"), conference.place), (_("Form"), str(PLAN_FORMS[conference.form])),
                 (_("Presenters"), presenters), (_("Under the study plan"), plan_line)]
        for label, value in facts:
            if value:
                paragraph = document.add_paragraph()
                paragraph.add_run(party_docx.text(f"{label}: ")).bold = True
                paragraph.add_run(party_docx.text(value))
        agenda = [MARKS.sub("", line).strip() for line in conference.agenda.splitlines()]
        if any(agenda):
            party_docx.add_heading(document, _("Agenda"), level=2)
            for line in filter(None, agenda):
                document.add_paragraph(party_docx.text(line))
        document.add_paragraph(party_docx.text(_(
            "Please attend in full and on time. Bring your phone: you can check in by scanning the QR code "
            "shown in the hall.")))
        party_docx.add_footer(document, party)
        return party_docx.to_bytes(document)


def notice_filename(conference: Conference) -> str:
    """An ASCII file name: "thong-bao-hoi-nghi-quan-triet-chi-thi-05.docx"."""
    stem = re.sub(r"[^a-z0-9]+", "-", fold(conference.title)).strip("-")[:80] or str(conference.id)
    return f"thong-bao-{stem}.docx"
