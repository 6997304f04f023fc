"""The report as filed (.docx read back), as a printable page within the viewer's scope, and from the CLI."""
from __future__ import annotations

import datetime as dt
import io
import json

import docx
import pytest
from flask import Flask

from learnhub.reports.docx_export import build_docx
from learnhub.reports.sentences import summary
from learnhub.reports.yearly import yearly_report
from tests.conftest import login


def read_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_the_docx_reads_back(app: Flask, year: dict) -> None:
    with app.app_context():
        report = yearly_report(year["root"].id, 2026, dt.date(2026, 12, 15))
        document = read_docx(build_docx(report))
        opening_as_written = summary(report)  # the catalogue's Vietnamese: read inside the application
    header_left, header_right = document.tables[0].rows[0].cells
    assert "ĐẢNG ỦY THỊ TRẤN" in header_left.text and "-BC/ĐU" in header_left.text  # a đảng bộ issues as its đảng ủy
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header_right.text and "Thị trấn, ngày 15 tháng 12 năm 2026" in header_right.text
    texts = [p.text for p in document.paragraphs]
    heading = next(i for i, text in enumerate(texts) if text.startswith("BÁO CÁO"))
    assert "Kết quả học tập, quán triệt" in texts[heading] and "năm 2026" in texts[heading]
    opening = texts[heading + 1]
    assert opening == opening_as_written
    assert "03 hội nghị" in opening and "với 10 đảng viên" in opening and "1.340 lượt quần chúng" in opening
    assert "đạt 84,2%" in opening
    units = [[cell.text for cell in row.cells] for row in document.tables[-2].rows]  # the last table is the signature
    assert units[0][0] == "Đơn vị"
    by_name = {row[0]: row[1:] for row in units[1:]}
    for cell in (year["a"], year["b"], year["c"]):
        assert cell.name in by_name  # a row per sub-unit
    assert by_name["Chi bộ Khu phố 1"] == ["9", "7", "77,8%", "93,6%", "Chưa đạt"]  # target 0.98·4+0.9·5 over 9
    assert by_name["Chi bộ Khu phố 2"][-1] == "Đạt" and by_name["Chi bộ Khu phố 3"][2:] == ["–", "–", "–"]
    plans = [[cell.text for cell in row.cells] for row in document.tables[-3].rows]
    assert ["Học tập Chỉ thị 05 (15-KH/ĐU)", "30/06/2026", "9", "8", "88,9%", "98%", "–"] in plans
    conferences = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    assert conferences[1:] == [["Trực tiếp", "2"], ["Trực tuyến", "1"], ["Kết hợp", "0"], ["Tổng cộng", "3"]]


def test_the_page_for_a_committee_in_scope(app: Flask, client, year: dict) -> None:
    login(client, "bithu1")
    response = client.get(f"/reports/year?unit={year['a'].id}&year=2026")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Trong năm 2026, Chi bộ Khu phố 1 đã tổ chức được 01 hội nghị trực tiếp" in html
    assert 'data-testid="report-table-5"' in html and "css/reports.css" in html
    assert f"/reports/year.docx?unit={year['a'].id}&amp;year=2026" in html
    download = client.get(f"/reports/year.docx?unit={year['a'].id}&year=2026")
    assert download.status_code == 200 and download.mimetype.endswith("wordprocessingml.document")
    assert "chi-bo-khu-pho-1-2026.docx" in download.headers["Content-Disposition"]
    assert "Chi bộ Khu phố 1" in read_docx(download.data).paragraphs[1].text
    data = client.get(f"/reports/year.json?unit={year['a'].id}&year=2026").get_json()
    assert (data["unit"], data["conferences"], data["participants"]) == ("Chi bộ Khu phố 1", 1, 4)


@pytest.mark.parametrize("path", ["/reports/year", "/reports/year.docx", "/reports/year.json"])
def test_units_outside_the_scope_do_not_exist(client, year: dict, path: str) -> None:
    login(client, "bithu1")
    assert client.get(f"{path}?unit={year['b'].id}&year=2026").status_code == 404
    assert client.get(f"{path}?unit={year['root'].id}&year=2026").status_code == 404
    assert client.get(f"{path}?unit=999999&year=2026").status_code == 404


def test_members_are_refused_and_bad_years_are_explained(app: Flask, client, year: dict) -> None:
    member = app.test_client()
    login(member, "an")
    assert member.get(f"/reports/year?unit={year['a'].id}&year=2026").status_code == 403
    login(client, "capuy")
    bad = client.get(f"/reports/year?unit={year['root'].id}&year=20x6")
    assert bad.status_code == 400 and "lh-error-summary" in bad.get_data(as_text=True)
    assert client.get(f"/reports/year?unit={year['root'].id}&year=1850").status_code == 400
    assert client.get("/reports/year.docx?unit=abc&year=2026").status_code == 400
    assert client.get(f"/reports/year.json?unit={year['root'].id}&year=").status_code == 400
    this_year = client.get("/reports/year")  # the first unit in scope, this year
    assert this_year.status_code == 200 and "Đảng bộ Thị trấn" in this_year.get_data(as_text=True)


def test_the_english_page_writes_the_english_sentence(client, year: dict) -> None:
    login(client, "capuy")
    client.set_cookie("lh_lang", "en")
    html = client.get(f"/reports/year?unit={year['root'].id}&year=2026").get_data(as_text=True)
    assert "In 2026, Đảng bộ Thị trấn held 3 study conferences" in html


def test_cli_json_docx_and_errors(app: Flask, year: dict, tmp_path, monkeypatch) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["report", "year", "--unit", "Đảng bộ Thị trấn", "--year", "2026"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # JSON alone on standard output
    assert (data["conferences"], data["participants"], data["outreach"]) == (3, 10, 1340)
    by_path = runner.invoke(args=["report", "year", "--unit", "Đảng bộ Thị trấn/Chi bộ Khu phố 2", "--year", "2026"])
    assert json.loads(by_path.stdout)["unit"] == "Chi bộ Khu phố 2"

    target = tmp_path / "bao-cao.docx"
    written = runner.invoke(args=["report", "year", "--unit", "Đảng bộ Thị trấn", "--year", "2026",
                                  "--format", "docx", "-o", str(target)])
    assert written.exit_code == 0 and f"wrote {target}" in written.stderr and written.stdout == ""
    assert "03 hội nghị" in "\n".join(p.text for p in read_docx(target.read_bytes()).paragraphs)
    piped = runner.invoke(args=["report", "year", "--unit", "Chi bộ Khu phố 2", "--year", "2026", "--format", "docx",
                                "-o", "-"])
    assert piped.exit_code == 0 and "Chi bộ Khu phố 2" in read_docx(piped.stdout_bytes).paragraphs[1].text
    monkeypatch.chdir(tmp_path)
    named = runner.invoke(args=["report", "year", "--unit", "Chi bộ Khu phố 1", "--year", "2026", "--format", "docx"])
    assert named.exit_code == 0 and (tmp_path / "chi-bo-khu-pho-1-2026.docx").exists()

    for args, message in (
        (["--unit", "Không có", "--year", "2026"], "no unit named 'Không có'"),
        (["--unit", "Đảng bộ Thị trấn", "--year", "20x6"], "--year must be a year between 2000 and 2100"),
        (["--unit", "Đảng bộ Thị trấn", "--year", "1999"], "--year must be a year"),
    ):
        bad = runner.invoke(args=["report", "year", *args])
        assert bad.exit_code == 2 and message in bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1 and bad.stdout == ""
