"""Printed plans, the yearly report (.docx), notices and evaluations in the Party's document form (HD 36),
headed and signed as each unit's settings say."""
from __future__ import annotations

import datetime as dt
import io
import re

import docx
import sqlalchemy as sa
from docx.shared import Pt
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.documents.form import DocumentKind, defaults, document_number, title_lines
from learnhub.documents.models import DocumentSettings
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.reports.docx_export import build_docx
from learnhub.reports.yearly import yearly_report
from tests.conferences.conftest import make_conference
from tests.conftest import csrf_token, login, post

SETTINGS = {"superior_organ": "ĐẢNG BỘ HUYỆN MẪU SƠN", "issuing_organ": "", "abbreviation": "",
            "place": "Mẫu Sơn", "on_behalf": "T/M BAN THƯỜNG VỤ", "signer_title": "PHÓ BÍ THƯ",
            "signer_name": "Trần Văn Hùng", "recipients": "Ban Tuyên giáo Huyện ủy (để báo cáo),\n- Lưu VP."}


def settings_url(unit) -> str:
    return f"/documents/units/{unit.id}/settings"


def save(client, unit, **values) -> object:
    return post(client, settings_url(unit), {**SETTINGS, **values})


def make_plan(client, town, make_course) -> int:
    make_course()
    response = post(client, "/plans/new", {
        "title": "Kế hoạch học tập Chỉ thị 05 năm 2026", "number": "15", "unit": town["root"].id,
        "courses": [1], "issued_on": "2026-05-20", "target_units": [town["root"].id], "categories": ["party_member"],
        "purpose": "Nắm vững nội dung.", "form": "hybrid", "presenters": "Báo cáo viên", "place": "Hội trường",
        "opens_on": "2026-06-01", "due_on": "2026-06-30", "criteria": ["lessons"], "rule": "all",
        "target_percent": "98", "responsible": town["capuy"].id,
    })
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def text_of(html: str) -> str:
    """The printed document's words (from its <article> on) without tags, spaces folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split("<article", 1)[1]))


def test_numbers_titles_and_defaults(app: Flask, town) -> None:
    assert document_number(DocumentKind.plan, "ĐU", "05") == "05-KH/ĐU"
    assert document_number(DocumentKind.notice, "CB", "15-TB/CB") == "15-TB/CB"  # a full number as given
    assert document_number(DocumentKind.report, "ĐU").endswith("-BC/ĐU")  # a blank to fill by hand
    assert document_number(DocumentKind.evaluation, "ĐU").endswith("-BC/ĐU")
    assert title_lines("KẾ HOẠCH", "Kế hoạch học tập Nghị quyết") == ("KẾ HOẠCH", "Học tập Nghị quyết")
    assert title_lines("KẾ HOẠCH", "Học tập Nghị quyết") == ("KẾ HOẠCH", "Học tập Nghị quyết")
    with app.app_context():
        root, cell = db.session.get(Unit, town["root"].id), db.session.get(Unit, town["a"].id)
        town_defaults, cell_defaults = defaults(root), defaults(cell)
    assert (town_defaults["issuing_organ"], town_defaults["superior_organ"], town_defaults["abbreviation"],
            town_defaults["on_behalf"], town_defaults["place"]) == ("ĐẢNG ỦY THỊ TRẤN", "", "ĐU", "T/M ĐẢNG ỦY", "Thị trấn")
    assert (cell_defaults["issuing_organ"], cell_defaults["superior_organ"], cell_defaults["abbreviation"],
            cell_defaults["on_behalf"], cell_defaults["place"]) == ("CHI BỘ KHU PHỐ 1", "ĐẢNG BỘ THỊ TRẤN", "CB",
                                                                     "T/M CHI BỘ", "Thị trấn")
    assert cell_defaults["recipients"].splitlines() == ["Đảng ủy Thị trấn (để báo cáo),", "Lưu Chi bộ."]


def test_the_yearly_report_docx_is_an_a4_party_document(app: Flask, client, town) -> None:
    login(client, "capuy")
    assert save(client, town["root"]).status_code == 302
    with app.app_context():
        report = yearly_report(town["root"].id, 2026, dt.date(2026, 12, 15))
        document = docx.Document(io.BytesIO(build_docx(report)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(margin.mm) for margin in margins] == [20, 20, 30, 15]
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    left, right = (cell.text.splitlines() for cell in document.tables[0].rows[0].cells)
    assert left[:2] == ["ĐẢNG BỘ HUYỆN MẪU SƠN", "ĐẢNG ỦY THỊ TRẤN"] and left[2] == "*"
    assert left[3].startswith("Số ") and left[3].endswith("-BC/ĐU")
    assert right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM" and "Mẫu Sơn, ngày 15 tháng 12 năm 2026" in right
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[0] == "1. Hội nghị học tập, quán triệt" and len(headings) >= 5  # real heading styles
    title = next(p for p in document.paragraphs if p.text.startswith("BÁO CÁO"))
    assert title.text.count("BÁO CÁO") == 1
    recipients, signature = (cell.text.splitlines() for cell in document.tables[-1].rows[0].cells)
    assert recipients == ["Nơi nhận:", "- Ban Tuyên giáo Huyện ủy (để báo cáo),", "- Lưu VP."]
    assert signature[:2] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"] and signature[-1] == "Trần Văn Hùng"
    page_field = section.header._element.xml
    assert "<w:instrText" in page_field and "PAGE" in page_field  # the page number in the header


def test_the_printed_plan_has_every_part_of_the_form(app: Flask, client, town, make_course) -> None:
    login(client, "capuy")
    plan_id = make_plan(client, town, make_course)
    html = client.get(f"/plans/{plan_id}/print").get_data(as_text=True)
    page = text_of(html)
    assert "ĐẢNG ỦY THỊ TRẤN" in page and "Số 15-KH/ĐU" in page and "ĐẢNG CỘNG SẢN VIỆT NAM" in page
    assert "Thị trấn, ngày 20 tháng 05 năm 2026" in page  # dated the day the plan is signed
    assert "KẾ HOẠCH Học tập Chỉ thị 05 năm 2026" in page and "Kế hoạch học tập" not in page  # said once
    assert "Nơi nhận: - Các chi bộ trực thuộc, - Lưu Văn phòng Đảng ủy." in page
    assert "T/M ĐẢNG ỦY BÍ THƯ" in page and "css/documents.css" in html

    assert save(client, town["root"]).status_code == 302  # the unit's settings change the print
    page = text_of(client.get(f"/plans/{plan_id}/print").get_data(as_text=True))
    assert "ĐẢNG BỘ HUYỆN MẪU SƠN ĐẢNG ỦY THỊ TRẤN" in page and "Mẫu Sơn, ngày 20 tháng 05 năm 2026" in page
    assert "T/M BAN THƯỜNG VỤ PHÓ BÍ THƯ Trần Văn Hùng" in page
    assert "- Ban Tuyên giáo Huyện ủy (để báo cáo), - Lưu VP." in page and "Lưu Văn phòng" not in page


def test_the_notice_is_issued_by_the_cell(app: Flask, client, town) -> None:
    with app.app_context():
        conference = make_conference(town["a"].id, [town["a"].id], title="Thông báo hội nghị quán triệt Chỉ thị 05")
    login(client, "bithu1")
    page = text_of(client.get(f"/conferences/{conference}/notice").get_data(as_text=True))
    assert "ĐẢNG BỘ THỊ TRẤN CHI BỘ KHU PHỐ 1 * Số" in page and "-TB/CB" in page
    assert "THÔNG BÁO Hội nghị quán triệt Chỉ thị 05" in page  # "Thông báo" not said twice
    assert "Nơi nhận: - Đảng ủy Thị trấn (để báo cáo), - Lưu Chi bộ." in page and "T/M CHI BỘ BÍ THƯ" in page
    assert "ngày " in page and " tháng " in page


def test_the_evaluation_prints_as_a_report(app: Flask, client, town) -> None:
    login(client, "capuy")
    save(client, town["root"], signer_name="Nguyễn Thị Hà")
    page = text_of(client.get(f"/inspections/evaluation?unit={town['root'].id}&year=2026").get_data(as_text=True))
    assert "ĐẢNG BỘ HUYỆN MẪU SƠN ĐẢNG ỦY THỊ TRẤN * Số" in page and "-BC/ĐU" in page
    assert "BÁO CÁO Đánh giá kết quả học tập" in page and "năm 2026" in page
    assert "Nơi nhận:" in page and "T/M BAN THƯỜNG VỤ PHÓ BÍ THƯ Nguyễn Thị Hà" in page


def test_the_print_stylesheet_is_a4_with_the_rules_margins(app: Flask, client) -> None:
    css = client.get("/static/css/documents.css").get_data(as_text=True)
    assert "size: A4;" in css and "margin: 20mm 15mm 20mm 30mm;" in css and "counter(page)" in css


def test_settings_are_audited_and_empty_fields_print_the_default(app: Flask, client, town) -> None:
    login(client, "capuy")
    page = client.get(settings_url(town["root"])).get_data(as_text=True)
    assert "Để trống thì in: ĐẢNG ỦY THỊ TRẤN" in page and "T/M ĐẢNG ỦY" in page
    response = save(client, town["root"])
    assert response.status_code == 302
    assert "Đã lưu thể thức văn bản của Đảng bộ Thị trấn." in client.get(response.headers["Location"]).get_data(
        as_text=True)
    with app.app_context():
        stored = db.session.scalars(sa.select(DocumentSettings)).one()
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "documents.settings")).one()
        assert (stored.unit_id, stored.issuing_organ, stored.recipients) == (
            town["root"].id, "", "Ban Tuyên giáo Huyện ủy (để báo cáo),\n- Lưu VP.")
        assert entry.after["signer_name"] == "Trần Văn Hùng" and entry.object_id == town["root"].id


def test_a_committee_member_sets_only_the_units_in_scope(app: Flask, client, town) -> None:
    login(client, "bithu1")
    assert client.get(settings_url(town["a"])).status_code == 200
    assert client.get(settings_url(town["b"])).status_code == 404
    assert client.get(settings_url(town["root"])).status_code == 404
    token = csrf_token(client, settings_url(town["a"]))
    response = client.post(settings_url(town["root"]), data={**SETTINGS, "csrf_token": token})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalars(sa.select(DocumentSettings)).all() == []
    member = app.test_client()
    login(member, "an")
    assert member.get(settings_url(town["a"])).status_code == 403


def test_bad_settings_are_refused_in_vietnamese_and_nothing_is_written(app: Flask, client, town) -> None:
    login(client, "capuy")
    response = save(client, town["root"], abbreviation="Đ/U")
    assert response.status_code == 400
    assert 'Chỉ dùng chữ cái, ví dụ "ĐU" hoặc "CB"' in response.get_data(as_text=True).replace("&#34;", '"')
    response = save(client, town["root"], signer_name="A" * 201)
    assert response.status_code == 400 and "Không quá 200 ký tự" in response.get_data(as_text=True)
    response = save(client, town["root"], recipients="\n".join(f"Nơi {n}" for n in range(13)))
    assert response.status_code == 400 and "Ghi tối đa 12 nơi nhận" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(sa.select(DocumentSettings)).all() == []


def test_the_notice_downloads_as_a_party_docx(app: Flask, client, town) -> None:
    with app.app_context():
        conference = make_conference(town["a"].id, [town["a"].id], title="Hội nghị quán triệt Chỉ thị 05",
                                     place="Hội trường khu phố 1", agenda="1. Khai mạc\n2. Quán triệt **Chỉ thị 05**")
    login(client, "bithu1")
    save(client, town["a"], on_behalf="", signer_title="", signer_name="Lê Thị Lan", recipients="")
    assert 'data-testid="notice-docx"' in client.get(f"/conferences/{conference}/notice").get_data(as_text=True)
    response = client.get(f"/conferences/{conference}/notice.docx")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    assert "thong-bao-hoi-nghi-quan-triet-chi-thi-05.docx" in response.headers["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.data))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    left, right = (cell.text.splitlines() for cell in document.tables[0].rows[0].cells)
    assert left[:2] == ["ĐẢNG BỘ HUYỆN MẪU SƠN", "CHI BỘ KHU PHỐ 1"] and left[-1].endswith("-TB/CB")
    assert right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM" and right[-1].startswith("Mẫu Sơn, ngày ")
    texts = [p.text for p in document.paragraphs]
    assert "THÔNG BÁO\nHội nghị quán triệt Chỉ thị 05" in texts
    assert "Địa điểm: Hội trường khu phố 1" in texts and "2. Quán triệt Chỉ thị 05" in texts  # plain text
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == ["Chương trình hội nghị"]
    recipients, signature = (cell.text.splitlines() for cell in document.tables[-1].rows[0].cells)
    assert recipients == ["Nơi nhận:", "- Đảng ủy Thị trấn (để báo cáo),", "- Lưu Chi bộ."]  # the defaults
    assert signature[:2] == ["T/M CHI BỘ", "BÍ THƯ"] and signature[-1] == "Lê Thị Lan"
    assert "PAGE" in section.header._element.xml
    assert client.get(f"/conferences/{conference}/notice.docx".replace(str(conference), "999")).status_code == 404
