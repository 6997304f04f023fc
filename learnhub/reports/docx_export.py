"""The yearly report as a .docx, in the usual layout of a committee's report (python-docx)."""
from __future__ import annotations

import datetime as dt
import io
import re

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from learnhub.reports.document import Table, header, tables
from learnhub.reports.sentences import summary
from learnhub.reports.yearly import YearlyReport
from learnhub.settings import local_today
from learnhub.text import clean_text, fold

FONT = "Times New Roman"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(value: object) -> str:
    """What the document may hold: python-docx refuses control characters, and a name typed before
    forms cleaned their text (or imported some other way) must not stop the report being written."""
    return clean_text(str(value), multiline=True)


def _line(cell_or_doc, text: str, *, bold: bool = False, italic: bool = False, underline: bool = False,
          align=WD_ALIGN_PARAGRAPH.CENTER, size: int | None = None):
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(_text(text))
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return paragraph


def _header(document, report: YearlyReport, today: dt.date) -> None:
    """Left: the committee's name over a star; right: the Party's name and the place and date."""
    top = header(report, today)
    layout = document.add_table(rows=1, cols=2)
    layout.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = layout.rows[0].cells
    left.paragraphs[0].text = ""
    for number, line in enumerate(top.issuer):
        target = left.paragraphs[0] if number == 0 else left.add_paragraph()
        target.alignment = WD_ALIGN_PARAGRAPH.CENTER
        target.add_run(_text(line)).bold = number == len(top.issuer) - 1
    _line(left, "*")
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto = right.paragraphs[0].add_run(_text(top.motto))
    motto.bold = motto.underline = True
    _line(right, top.dated, italic=True)


def _table(document, table: Table) -> None:
    document.add_paragraph().add_run(_text(table.title)).bold = True
    if not table.rows:
        document.add_paragraph(_text(table.empty))
        return
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.style = "Table Grid"
    for column, text in enumerate(table.headers):
        cell = grid.rows[0].cells[column]
        cell.paragraphs[0].add_run(_text(text)).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for number, row in enumerate(table.rows):
        cells = grid.rows[number + 1].cells
        for column, text in enumerate(row):
            paragraph = cells[column].paragraphs[0]
            run = paragraph.add_run(_text(text))
            run.bold = number in table.totals or (number in table.flagged and column == table.flag_column)
            if column in table.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def build_docx(report: YearlyReport, today: dt.date | None = None) -> bytes:
    """The report as .docx bytes: header, title, the opening paragraph, then the tables."""
    today = today or local_today()
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    for section in document.sections:
        section.top_margin = section.bottom_margin = Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    _header(document, report, today)
    top = header(report, today)
    title = _line(document, top.title, bold=True, size=15)
    title.paragraph_format.space_before = Pt(18)
    title.runs[0].add_break()
    title.add_run(_text(top.subtitle)).bold = True
    opening = document.add_paragraph(_text(summary(report, "vi")))
    opening.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    opening.paragraph_format.first_line_indent = Cm(1)
    for number, table in enumerate(tables(report, "vi"), start=1):
        table.title = f"{number}. {table.title}"
        _table(document, table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_filename(report: YearlyReport) -> str:
    """An ASCII file name from the unit and the year: "dang-bo-thi-tran-2026.docx"."""
    stem = re.sub(r"[^a-z0-9]+", "-", fold(report.unit_name)).strip("-") or f"don-vi-{report.unit_id}"
    return f"{stem}-{report.year}.docx"
