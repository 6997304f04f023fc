"""The yearly report's figures against a hand-built year, and the sentence and tables that state them."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask

from learnhub.extensions import db
from learnhub.reports.document import tables
from learnhub.reports.sentences import count, number, percent, summary
from learnhub.reports.yearly import as_json, yearly_report
from tests.reports.conftest import EXPECTED


def test_the_figures_of_the_year(app: Flask, year: dict) -> None:
    with app.app_context():
        report = yearly_report(year["root"].id, 2026)
    assert report.conferences == EXPECTED["conferences"]
    assert report.conferences_by_form == EXPECTED["by_form"]
    assert report.participants == EXPECTED["participants"]
    assert (report.member_attendances, report.civil_servant_guests) == (7, 6)
    assert (report.conference_citizens, report.outreach_sessions, report.public_visits) == (18, 1280, 42)
    assert report.outreach == EXPECTED["outreach"]
    # pooled over the three plans that count: Σ completed ÷ Σ roster, not the mean of the rates
    assert (report.total.roster, report.total.completed) == (21, 18)
    assert report.rate == pytest.approx(18 / 21)
    assert (report.headline.roster, report.headline.completed) == EXPECTED["headline"]
    assert (report.citizens.roster, report.citizens.completed) == EXPECTED["citizens"]


def test_each_plan_and_each_unit(app: Flask, year: dict) -> None:
    with app.app_context():
        report = yearly_report(year["root"].id, 2026)
    plans = {p.title: (p.roster, p.completed, p.target, [u.name for u in p.lagging_units]) for p in report.plans}
    assert plans == {
        "Học tập Kết luận 01": (3, 3, 0.98, []),  # closed: the snapshot, though binh's study was removed since
        "Học tập Chỉ thị 05": (9, 8, 0.98, []),  # the town's own members are not a lagging sub-unit
        "Học tập Nghị quyết 21": (9, 7, 0.9, ["Chi bộ Khu phố 1"]),
    }
    assert [p.title for p in report.plans][0] == "Học tập Kết luận 01"  # in the order they fell due
    units = {(u.name, u.own_members): (u.roster, u.completed, u.meets_target) for u in report.units}
    assert units == {
        ("Chi bộ Khu phố 1", False): (9, 7, False),  # 4/4 + 3/5: 7 < 0.98·4 + 0.9·5
        ("Chi bộ Khu phố 2", False): (10, 10, True),
        ("Chi bộ Khu phố 3", False): (0, 0, None),  # nobody to study: no rate, not 0%
        ("Đảng bộ Thị trấn", True): (2, 1, False),
    }
    assert sum(u.roster for u in report.units) == report.total.roster
    assert [u.name for u in report.lagging_units] == ["Chi bộ Khu phố 1"]


def test_a_cell_sees_its_own_year(app: Flask, year: dict) -> None:
    with app.app_context():
        report = yearly_report(year["a"].id, 2026)
    assert (report.conferences, report.participants) == (1, 4)  # an, tuyentruyen, Trần Văn Khách, one unnamed
    assert report.public_visits == 12 and report.outreach_sessions == 0
    assert {p.title: (p.roster, p.completed) for p in report.plans} == {
        "Học tập Chỉ thị 05": (4, 4), "Học tập Nghị quyết 21": (5, 3)}  # the town's plan reaches the cell


def numbers_in(sentence: str) -> dict:
    """The figures as the Vietnamese sentence states them."""
    found = {
        "conferences": re.search(r"tổ chức được (\d+) hội nghị", sentence),
        "participants": re.search(r"với ([\d.]+) đảng viên", sentence),
        "outreach": re.search(r"tuyên truyền đến ([\d.]+) lượt quần chúng", sentence),
        "rate": re.search(r"công chức, viên chức đạt ([\d,]+%)", sentence),
    }
    assert all(found.values()), sentence
    return {key: match.group(1) for key, match in found.items()}


def test_the_sentence_and_the_tables_agree(app: Flask, year: dict) -> None:
    with app.app_context():  # the sentences are the catalogue's messages: read inside the application
        report = yearly_report(year["root"].id, 2026, dt.date(2026, 12, 31))
        sentence = summary(report)
        conferences, participants, outreach, plans, units = tables(report)
    assert sentence.startswith("Trong năm 2026, Đảng bộ Thị trấn đã tổ chức được 03 hội nghị học tập, quán triệt "
                               "(02 trực tiếp, 01 trực tuyến) với 10 đảng viên")
    stated = numbers_in(sentence)
    assert stated == {"conferences": "03", "participants": "10", "outreach": "1.340", "rate": "84,2%"}
    assert ("(16 trên 19 lượt phải học), tính theo 03 kế hoạch của năm đã kết thúc hoặc đến hạn tính đến ngày "
            "31/12/2026: Học tập Kết luận 01; Học tập Chỉ thị 05 (15-KH/ĐU); Học tập Nghị quyết 21.") in sentence
    assert "quần chúng Nhân dân học tập theo kế hoạch đạt 100%" in sentence
    assert "Còn 01 đơn vị chưa đạt chỉ tiêu: Chi bộ Khu phố 1 (77,8%)." in sentence

    assert int(stated["conferences"]) == int(conferences.rows[-1][1])
    assert int(stated["participants"]) == int(participants.rows[0][1])
    assert stated["outreach"] == outreach.rows[-1][1]
    headline = next(row for row in plans.rows if row[0].startswith("Trong đó"))
    assert headline[2:5] == ["19", "16", stated["rate"]]
    assert [row[0] for row in units.rows if row[-1] == "Chưa đạt"] == [
        "Chi bộ Khu phố 1", "Đảng bộ Thị trấn (người sinh hoạt trực tiếp)", "Tổng cộng"]
    assert plans.rows[2][-1] == "Chi bộ Khu phố 1 (60%)"  # plan 2's lagging unit


def test_english_sentence(app: Flask, year: dict) -> None:
    with app.app_context():
        report = yearly_report(year["root"].id, 2026)
        text = summary(report, "en")
    assert text.startswith("In 2026, Đảng bộ Thị trấn held 3 study conferences (2 in person, 1 online), "
                           "attended by 10 party members")
    assert "reached 1,340 citizen attendances" in text and "was 84.2% (16 of 19 required" in text


def test_a_year_with_nothing_says_so(app: Flask, year: dict) -> None:
    with app.app_context():
        empty = yearly_report(year["root"].id, 2030)
        data = as_json(empty)
        nobody = yearly_report(year["c"].id, 2026)
        sentence, english = summary(empty), summary(empty, "en")
    assert "chưa tổ chức hội nghị học tập, quán triệt nào" in sentence
    assert "chưa ghi nhận lượt quần chúng Nhân dân nào được tuyên truyền" in sentence
    assert "chưa có kế hoạch học tập, quán triệt nào của năm đã kết thúc hoặc đến hạn" in sentence
    assert "no study plan of the year was closed or past due on" in english
    assert data["rate"] is None and data["conferences"] == 0 and data["plans"] == []
    assert nobody.plans == [] and nobody.rate is None  # the Khu phố 3 plan has nobody to study


def test_json_keys_and_types(app: Flask, year: dict) -> None:
    with app.app_context():
        data = as_json(yearly_report(year["root"].id, 2026))
    assert {"unit", "year", "conferences", "participants", "outreach", "rate", "plans", "units"} <= data.keys()
    assert (data["unit"], data["year"]) == ("Đảng bộ Thị trấn", 2026)
    assert type(data["conferences"]) is int and type(data["participants"]) is int and type(data["outreach"]) is int
    assert data["rate"] == pytest.approx(18 / 21)
    assert data["target"] == pytest.approx((0.98 * 9 + 0.9 * 9 + 0.98 * 3) / 21) and data["meets_target"] is False
    assert data["outreach_parts"] == {"conference_citizens": 18, "sessions": 1280, "public_visits": 42,
                                      "contest_entries": 0}
    assert sum(data["outreach_parts"].values()) == data["outreach"]
    assert data["conferences_by_form"] == EXPECTED["by_form"] and sum(data["conferences_by_form"].values()) == 3
    assert data["attendances"] == {"members": 7, "civil_servant_guests": 6, "total": 13, "citizens": 18}
    assert data["headline"] == {"roster": 19, "completed": 16, "rate": pytest.approx(16 / 19)}
    plan = next(p for p in data["plans"] if p["id"] == year["p2"])
    assert {k: plan[k] for k in ("title", "roster", "completed", "target", "due_on")} == {
        "title": "Học tập Nghị quyết 21", "roster": 9, "completed": 7, "target": 0.9, "due_on": "2026-10-31"}
    assert plan["rate"] == pytest.approx(7 / 9)
    assert [u["name"] for u in plan["lagging_units"]] == ["Chi bộ Khu phố 1"]
    first = next(p for p in data["plans"] if p["id"] == year["p1"])
    assert first["number"] == "15-KH/ĐU" and first["lagging_units"] == []
    unit = next(u for u in data["units"] if u["name"] == "Chi bộ Khu phố 2")
    assert (unit["id"], unit["roster"], unit["completed"], unit["rate"], unit["meets_target"]) == (
        year["b"].id, 10, 10, 1.0, True)
    assert next(u for u in data["units"] if u["name"] == "Chi bộ Khu phố 3")["rate"] is None


@pytest.mark.parametrize(("value", "vi", "en"), [(8, "08", "8"), (0, "00", "0"), (403, "403", "403"),
                                                 (2438, "2.438", "2,438")])
def test_counts_in_running_text(value: int, vi: str, en: str) -> None:
    assert (count(value), count(value, "en")) == (vi, en)


def test_numbers_and_percentages() -> None:
    assert number(1234567) == "1.234.567" and number(7) == "7"
    assert (percent(0.98), percent(0.975), percent(0.975, "en"), percent(None)) == ("98%", "97,5%", "97.5%", "–")
    assert percent(1.0) == "100%"


def test_the_report_does_not_query_per_member(app: Flask, year: dict, make_user, count_queries) -> None:
    with app.app_context(), count_queries() as before:
        yearly_report(year["root"].id, 2026)
    for n in range(5):
        make_user(username=f"them{n}", unit=year["a"])
    with app.app_context(), count_queries() as after:
        report = yearly_report(year["root"].id, 2026)
        db.session.remove()
    assert report.total.roster == 21 + 5 * 2  # the two open plans that reach cell a's party members
    assert len(after) == len(before)
