"""The yearly report as a .docx in the Party document form (learnhub/documents/docx.py)."""
from __future__ import annotations

import re

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from learnhub.documents import docx as party_docx
from learnhub.documents.docx import DOCX_TYPE, text
from learnhub.reports.document import Table, header, tables
from learnhub.reports.sentences import summary
from learnhub.reports.yearly import YearlyReport
from learnhub.text import fold

__all__ = ["DOCX_TYPE", "build_docx", "docx_filename"]


def _table(document, table: Table) -> None:
    party_docx.add_heading(document, table.title, level=2)
    if not table.rows:
        document.add_paragraph(text(table.empty))
        return
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.style = "Table Grid"
    for column, heading in enumerate(table.headers):
        cell = grid.rows[0].cells[column]
        cell.paragraphs[0].add_run(text(heading)).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for number, row in enumerate(table.rows):
        cells = grid.rows[number + 1].cells
        for column, value in enumerate(row):
            paragraph = cells[column].paragraphs[0]
            run = paragraph.add_run(text(value))
            run.font.size = Pt(12)
            run.bold = number in table.totals or (number in table.flagged and column == table.flag_column)
            if column in table.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def build_docx(report: YearlyReport) -> bytes:
    """The report as .docx bytes, dated its as-of day: the Party form's header, the title, the opening
    paragraph, the tables under their headings, then the recipients and the signature."""
    top = header(report, "vi")
    document = party_docx.new_document()
    party_docx.add_header(document, top.party)
    party_docx.add_title(document, top.title, top.subtitle)
    opening = document.add_paragraph(text(summary(report, "vi")))
    opening.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    opening.paragraph_format.first_line_indent = Cm(1)
    for number, table in enumerate(tables(report, "vi"), start=1):
        table.title = f"{number}. {table.title}"
        _table(document, table)
    party_docx.add_footer(document, top.party)
    return party_docx.to_bytes(document)


def docx_filename(report: YearlyReport) -> str:
    """An ASCII file name from the unit and the year: "dang-bo-thi-tran-2026.docx"."""
    stem = re.sub(r"[^a-z0-9]+", "-", fold(report.unit_name)).strip("-") or f"don-vi-{report.unit_id}"
    return f"{stem}-{report.year}.docx"
