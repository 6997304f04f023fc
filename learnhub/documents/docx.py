"""Party documents as .docx (python-docx): A4, the margins and fonts of HD 36, the two-column header,
real heading styles, the page number in the header and the recipients and signature at the end."""
from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from learnhub.documents.form import PartyForm
from learnhub.text import clean_text

FONT = "Times New Roman"
BODY_PT = 14  # HD 36: 13–14 pt
PAGE_MM = (210, 297)  # A4
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # HD 36: 20–25, 20–25, 30–35, 15–20
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def text(value: object) -> str:
    """What the document may hold: python-docx refuses control characters, and a name typed before
    forms cleaned their text (or imported some other way) must not stop the document being written."""
    return clean_text(str(value), multiline=True)


def _font(style, size: int, bold: bool | None = None) -> None:
    """Times New Roman in black for every script, replacing the template's theme fonts."""
    style.font.name, style.font.size, style.font.color.rgb = FONT, Pt(size), RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def new_document() -> DocxDocument:
    """An empty A4 document with HD 36's margins, Times New Roman and its heading styles."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = section.footer_distance = Mm(10)
    _font(document.styles["Normal"], BODY_PT)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        _font(style, BODY_PT, bold=True)
        style.font.italic = False
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(6), Pt(3)
    _page_number(section)
    return document


def _page_number(section) -> None:
    """A PAGE field centred in the header, from the second page on (the first carries the heading)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, instruction in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
        run._r.append(element)


def line(container, value: str, *, bold: bool = False, italic: bool = False, underline: bool = False,
         align=WD_ALIGN_PARAGRAPH.CENTER, size: int | None = None, first: bool = False) -> Paragraph:
    """One paragraph of one run; ``first`` fills a table cell's empty first paragraph."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text(value))
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return paragraph


def _two_columns(document: DocxDocument, left_mm: int):
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Mm(left_mm), Mm(PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"] - left_mm))
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = width
    return table.rows[0].cells


def add_header(document: DocxDocument, party: PartyForm) -> None:
    """Left: the superior organ, the issuing organ in bold, a star and the number; right: the Party's
    name, underlined, and the place and date in italics."""
    left, right = _two_columns(document, 75)
    lines = ([party.superior] if party.superior else []) + [party.issuer]
    for number, value in enumerate(lines):
        line(left, value, bold=number == len(lines) - 1, first=number == 0)
    line(left, "*")
    line(left, party.number)
    line(right, party.party, bold=True, underline=True, size=15, first=True)
    line(right, "")
    line(right, party.dated, italic=True)


def add_title(document: DocxDocument, title: str, subject: str) -> Paragraph:
    """The document's name in bold capitals over its summary, centred."""
    paragraph = line(document, title, bold=True, size=16)
    paragraph.paragraph_format.space_before, paragraph.paragraph_format.space_after = Pt(18), Pt(12)
    if subject:
        paragraph.runs[0].add_break()
        paragraph.add_run(text(subject)).bold = True
    return paragraph


def add_heading(document: DocxDocument, value: str, level: int = 1) -> Paragraph:
    """A section heading in a real heading style, so Word's navigation and outline see it."""
    return document.add_heading(text(value), level=level)


def add_footer(document: DocxDocument, party: PartyForm) -> None:
    """Left: "Nơi nhận:" underlined and its lines in 12 pt; right: on behalf of, the signer's title, room to sign, the name."""
    document.add_paragraph()
    left, right = _two_columns(document, 80)
    line(left, party.recipients_label, underline=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for recipient in party.recipients:
        line(left, f"- {recipient}", align=WD_ALIGN_PARAGRAPH.LEFT, size=12)
    line(right, party.on_behalf, bold=True, first=True)
    line(right, party.signer_title, bold=True)
    for _blank in range(3):
        line(right, "")
    line(right, party.signer_name, bold=True)


def to_bytes(document: DocxDocument) -> bytes:
    """The document as .docx bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
