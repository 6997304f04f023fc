"""Committees create, open and print plans and read the dashboard, each within their scope."""
from __future__ import annotations

import io

import openpyxl
import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.extensions import db
from learnhub.plans.models import PlanStatus, StudyPlan
from tests.conftest import login, post
from tests.plans.test_completion import BEFORE_DUE, pass_quiz, study_all


def create(client, town, number: str = "15-KH/ĐU") -> int:
    response = post(client, "/plans/new", {
        "title": "Học tập Chỉ thị 05 năm 2026", "number": number, "unit": town["root"].id,
        "courses": [1], "target_units": [town["root"].id], "categories": ["party_member", "civil_servant"],
        "purpose": "Nắm vững nội dung.", "form": "hybrid", "presenters": "Báo cáo viên", "place": "Hội trường",
        "opens_on": "2026-06-01", "due_on": "2026-06-30", "criteria": ["lessons", "quiz"], "rule": "all",
        "target_percent": "98", "responsible": town["capuy"].id,
    })
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_create_open_and_read_the_dashboard(app: Flask, client, town, make_quiz) -> None:
    make_quiz(count=6)
    with app.app_context():
        study_all(town["member_a"].id, BEFORE_DUE)
        pass_quiz(town["member_a"].id, BEFORE_DUE)
        db.session.commit()
    login(client, "capuy")
    plan_id = create(client, town)
    with app.app_context():
        plan = db.session.get(StudyPlan, plan_id)
        assert plan.status == PlanStatus.draft and plan.target_rate == 0.98 and plan.responsible_id == town["capuy"].id
    post(client, f"/plans/{plan_id}/status", {"status": "open"})
    html = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    # roster: everyone but the citizen-free town: capuy, bithu1, bithu2, admin, an, binh, tuyentruyen = 7
    assert "1/7 người đã hoàn thành (1 người đúng hạn); chỉ tiêu 98%" in html
    assert "Chi bộ Khu phố 1" in html and "Chưa đạt chỉ tiêu" in html
    assert "Hoàng Thị Bình" in html and "còn 3 bài chưa học; làm bài kiểm tra đạt" in html
    with app.app_context():
        assert {"plan.create", "plan.status"} <= set(db.session.scalars(sa.select(AuditEntry.action)))

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/plans/{plan_id}/export.xlsx").data))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Học tập Chỉ thị 05 năm 2026"
    total = next(r for r in rows if r[0] == "Tổng cộng")
    assert total[1:4] == (7, 1, 1) and total[4] == pytest.approx(1 / 7)  # numbers as numbers, as on the page

    printed = client.get(f"/plans/{plan_id}/print").get_data(as_text=True)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in printed and "Số 15-KH/ĐU" in printed and "Mục đích, yêu cầu" in printed


def test_a_cell_secretary_sees_the_town_plan_for_their_cell_only(app: Flask, client, town, make_quiz) -> None:
    make_quiz(count=6)
    owner = app.test_client()
    login(owner, "capuy")
    plan_id = create(owner, town)
    login(client, "bithu1")
    html = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "Tỷ lệ học tập của Chi bộ Khu phố 1" in html and "Hoàng Thị Bình" not in html
    assert client.get(f"/plans/{plan_id}?unit={town['b'].id}").status_code == 404
    assert client.get(f"/plans/{plan_id}/export.csv?unit={town['b'].id}").status_code == 404
    assert post(client, f"/plans/{plan_id}/status", {"status": "closed"}).status_code == 404  # not the issuer
    member = app.test_client()
    login(member, "an")
    assert member.get(f"/plans/{plan_id}").status_code == 403


def test_the_form_refuses_a_due_date_before_the_opening(app: Flask, client, town, make_quiz) -> None:
    make_quiz(count=6)
    login(client, "capuy")
    response = post(client, "/plans/new", {
        "title": "Sai ngày", "unit": town["root"].id, "courses": [1], "target_units": [town["root"].id],
        "categories": ["party_member"], "form": "online", "opens_on": "2026-06-30", "due_on": "2026-06-01",
        "criteria": ["lessons"], "rule": "all", "target_percent": "98", "responsible": 0,
    })
    assert response.status_code == 200
    assert "Hạn hoàn thành không được trước ngày bắt đầu." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StudyPlan)) == 0


def test_the_overview_pools_the_plans_of_the_year(app: Flask, client, town, make_quiz) -> None:
    make_quiz(count=6)
    with app.app_context():
        study_all(town["member_a"].id, BEFORE_DUE)
        pass_quiz(town["member_a"].id, BEFORE_DUE)
        db.session.commit()
    login(client, "capuy")
    first = create(client, town)
    second = create(client, town, number="16-KH/ĐU")  # a number is unique per unit and year
    post(client, f"/plans/{first}/status", {"status": "open"})
    post(client, f"/plans/{second}/status", {"status": "closed"})
    html = client.get(f"/plans/overview?unit={town['root'].id}&year=2026").get_data(as_text=True)
    assert html.count("Học tập Chỉ thị 05 năm 2026") >= 2
    assert html.count("14,3%") >= 3  # pooled: 2 of 14; each plan: 1 of 7
    assert "Chi bộ Khu phố 2" in html
    empty = client.get(f"/plans/overview?unit={town['root'].id}&year=2020").get_data(as_text=True)
    assert "Không có kế hoạch nào có hạn trong năm này." in empty


def test_the_overview_pools_only_plans_that_are_closed_or_past_due(app: Flask, client, town, make_quiz) -> None:
    """A plan still running is listed with its current rate but does not move the year's figure."""
    import datetime as dt

    from learnhub.settings import local_today

    make_quiz(count=6)
    with app.app_context():
        study_all(town["member_a"].id, BEFORE_DUE)
        pass_quiz(town["member_a"].id, BEFORE_DUE)
        db.session.commit()
    login(client, "capuy")
    closed, running = create(client, town), create(client, town, number="16-KH/ĐU")
    post(client, f"/plans/{closed}/status", {"status": "closed"})
    post(client, f"/plans/{running}/status", {"status": "open"})
    with app.app_context():
        plan = db.session.get(StudyPlan, running)
        plan.due_on = local_today() + dt.timedelta(days=20)
        plan.criteria = ["lessons", "quiz", "reflection"]  # nobody has finished it yet: 0 of 7
        year = plan.due_on.year
        db.session.get(StudyPlan, closed).due_on = plan.due_on
        db.session.commit()
    html = client.get(f"/plans/overview?unit={town['root'].id}&year={year}").get_data(as_text=True)
    panel = html[html.index('<div class="lh-panel'):html.index("</div>", html.index('<div class="lh-panel'))]
    # The closed plan's 1 of 7; pooling the running plan's 0 of 7 in would print 7,1%.
    assert "14,3%" in panel and "7,1%" not in panel and "chưa được tính" in panel
    assert html.count("Đang thực hiện") == 1


def test_the_issuing_committee_changes_a_plan_and_exports_the_missing(app: Flask, client, town, make_quiz) -> None:
    make_quiz(count=6)
    login(client, "capuy")
    plan_id = create(client, town)
    form = client.get(f"/plans/{plan_id}/edit").get_data(as_text=True)
    assert 'value="Học tập Chỉ thị 05 năm 2026"' in form and 'value="2026-06-30"' in form
    response = post(client, f"/plans/{plan_id}/edit", {
        "title": "Học tập Chỉ thị 05 (sửa)", "unit": town["root"].id, "courses": [1], "target_units": [town["a"].id],
        "categories": ["party_member"], "form": "online", "opens_on": "2026-06-01", "due_on": "2026-07-31",
        "criteria": ["lessons"], "rule": "any", "target_percent": "95", "responsible": 0,
    })
    assert response.status_code == 302
    with app.app_context():
        plan = db.session.get(StudyPlan, plan_id)
        assert (plan.title, plan.due_on.isoformat(), plan.criteria, plan.all_required, plan.target_rate) == (
            "Học tập Chỉ thị 05 (sửa)", "2026-07-31", ["lessons"], False, 0.95)
        assert [t.unit_id for t in plan.target_units] == [town["a"].id]
        assert "plan.update" in set(db.session.scalars(sa.select(AuditEntry.action)))
    listing = client.get(f"/plans/{plan_id}/missing.csv?unit={town['a'].id}").data.decode("utf-8-sig")
    assert "Nguyễn Văn An" in listing and "còn 3 bài chưa học" in listing and "Hoàng Thị Bình" not in listing
    secretary = app.test_client()
    login(secretary, "bithu1")
    assert secretary.get(f"/plans/{plan_id}/edit").status_code == 404  # not the issuing committee
    post(client, f"/plans/{plan_id}/status", {"status": "closed"})
    assert post(client, f"/plans/{plan_id}/edit", {"title": "x"}).status_code in (200, 302)
    with app.app_context():
        assert db.session.get(StudyPlan, plan_id).title == "Học tập Chỉ thị 05 (sửa)"  # a closed plan is frozen
