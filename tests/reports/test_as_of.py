"""December with plans still running: the year's JSON, .docx and page count only the plan that is
closed or past due on the report date, and the evaluation marks the cells from it alone."""
from __future__ import annotations

import datetime as dt
import io
import json

import docx
from flask import Flask

from learnhub.extensions import db
from learnhub.inspections.evaluation import Mark, evaluate_units, running_plans
from learnhub.plans.formalism import formalism_signals
from learnhub.plans.models import PlanStatus, StudyPlan
from learnhub.plans.window import counts_on
from learnhub.reports.yearly import yearly_report
from tests.conftest import login

DECEMBER = dt.date(2026, 12, 15)


def _december(year: dict) -> None:
    """Plans 1 and 2 still running until the end of the year; plan 3 (cell Khu phố 2) closed in March."""
    for key in ("p1", "p2"):
        db.session.get(StudyPlan, year[key]).due_on = dt.date(2026, 12, 31)
    db.session.commit()


def test_a_plan_counts_when_closed_or_past_due(app: Flask, year: dict) -> None:
    with app.app_context():
        _december(year)
        running, closed = db.session.get(StudyPlan, year["p1"]), db.session.get(StudyPlan, year["p3"])
        assert not counts_on(running, DECEMBER) and not counts_on(running, dt.date(2026, 12, 31))
        assert counts_on(running, dt.date(2027, 1, 1))  # the day after its due date
        assert counts_on(closed, DECEMBER) and not counts_on(closed, dt.date(2026, 2, 1))  # closed later
        running.status = PlanStatus.draft
        assert not counts_on(running, dt.date(2030, 1, 1))  # a draft never counts


def test_december_counts_only_the_closed_plan(app: Flask, client, year: dict) -> None:
    with app.app_context():
        _december(year)
        report = yearly_report(year["root"].id, 2026, DECEMBER)
        assert [p.id for p in report.plans] == [year["p3"]]
        assert sorted(p.id for p in report.running) == sorted([year["p1"], year["p2"]])
        assert (report.total.completed, report.total.roster, report.rate) == (3, 3, 1.0)
        marks = {row.name: row.mark for row in evaluate_units(year["root"].id, 2026, DECEMBER)}
        plans_running = {p.id for p in running_plans(year["root"].id, [2026], DECEMBER)}
    # Chi bộ Khu phố 1 lags on plan 2, but plan 2 is still running: nothing to mark yet.
    assert marks == {"Chi bộ Khu phố 1": Mark.no_plan, "Chi bộ Khu phố 2": Mark.praise,
                     "Chi bộ Khu phố 3": Mark.no_plan}
    assert plans_running == {year["p1"], year["p2"]}

    result = app.test_cli_runner().invoke(args=["report", "year", "--unit", "Đảng bộ Thị trấn", "--year", "2026",
                                                "--as-of", "2026-12-15"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["as_of"], data["plans_counted"], data["rate"]) == ("2026-12-15", 1, 1.0)
    assert [p["id"] for p in data["plans"]] == [year["p3"]]
    running = {p["id"]: p for p in data["plans_running"]}
    assert set(running) == {year["p1"], year["p2"]}
    assert running[year["p2"]]["rate"] == 7 / 9  # its current rate, shown but not pooled
    assert "tính theo 01 kế hoạch của năm đã kết thúc hoặc đến hạn tính đến ngày 15/12/2026: " \
           "Học tập Kết luận 01." in data["summary"]
    assert "Còn 02 kế hoạch đang thực hiện, chưa tính vào kết quả: Học tập Chỉ thị 05 (15-KH/ĐU), đến nay " \
           "đạt 88,9%; Học tập Nghị quyết 21, đến nay đạt 77,8%." in data["summary"]

    login(client, "capuy")
    query = f"unit={year['root'].id}&year=2026&as_of=2026-12-15"
    page = client.get(f"/reports/year?{query}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and data["summary"] in html
    assert "Số liệu tính đến ngày 15/12/2026" in html and 'value="2026-12-15"' in html
    assert f"/reports/year.docx?unit={year['root'].id}&amp;year=2026&amp;as_of=2026-12-15" in html
    assert client.get(f"/reports/year.json?{query}").get_json() == data
    document = docx.Document(io.BytesIO(client.get(f"/reports/year.docx?{query}").data))
    assert data["summary"] in [p.text for p in document.paragraphs]
    rows = {tuple(cell.text for cell in row.cells)[:5] for table in document.tables for row in table.rows}
    assert ("Học tập Kết luận 01", "31/03/2026", "3", "3", "100%") in rows
    assert ("Học tập Nghị quyết 21", "31/12/2026", "9", "7", "77,8%") in rows  # in the running table
    assert ("Cả năm (cộng các kế hoạch)", "", "3", "3", "100%") in rows


def test_a_bad_as_of_date_is_refused_in_one_line(app: Flask, client, year: dict) -> None:
    runner = app.test_cli_runner()
    for bad in ("2026-13-01", "15/12/2026", "x", "١٢٣٤-01-01"):
        result = runner.invoke(args=["report", "year", "--unit", "Đảng bộ Thị trấn", "--year", "2026",
                                     "--as-of", bad])
        assert result.exit_code != 0 and result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1 and "--as-of" in result.stderr
    login(client, "capuy")
    for path in ("/reports/year", "/reports/year.json", "/reports/year.docx"):
        assert client.get(f"{path}?unit={year['root'].id}&year=2026&as_of=2026-02-30").status_code == 400


def test_a_draft_plan_shows_no_signal_and_work_outside_the_window_is_not_read(app: Flask, year: dict) -> None:
    with app.app_context():
        plan = db.session.get(StudyPlan, year["p2"])
        assert formalism_signals(plan, year["root"].id)  # its members studied while it was open
        plan.status = PlanStatus.draft
        assert formalism_signals(plan, year["root"].id) == {}
        plan.status = PlanStatus.open
        plan.opens_on = dt.date(2026, 3, 1)  # everything was studied on 10/02, before it opened
        assert all(not signals for signals in formalism_signals(plan, year["root"].id).values())


def test_in_december_the_evaluation_proposes_levels_from_the_closed_plan_alone(app: Flask, year: dict) -> None:
    """Only Khu phố 2 had a plan due by 15 December (plan 3, all three studied): it alone gets a
    proposed level, the top one; the cells whose plans still run get none rather than criticism."""
    from learnhub.inspections.levels import Level

    with app.app_context():
        _december(year)
        levels = {row.name: row.level for row in evaluate_units(year["root"].id, 2026, DECEMBER)}
        after_new_year = {row.name: row.level for row in evaluate_units(year["root"].id, 2026, dt.date(2027, 1, 5))}
    assert levels == {"Chi bộ Khu phố 1": None, "Chi bộ Khu phố 2": Level.excellent, "Chi bộ Khu phố 3": None}
    assert after_new_year["Chi bộ Khu phố 1"] is not None  # once its plans are due, it is proposed a level too
