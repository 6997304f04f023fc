"""The yearly evaluation of units on a hand-built year, the term view, and the download."""
from __future__ import annotations

import datetime as dt
import io

import pytest
import sqlalchemy as sa
from flask import Flask
from openpyxl import load_workbook

from learnhub.auth.models import Category, MemberStatus, Role, User
from learnhub.conferences.models import Attendance, AttendanceStatus, Conference, ConferenceUnit
from learnhub.courses.models import Course, Lesson, LessonProgress
from learnhub.extensions import db
from learnhub.inspections.evaluation import (
    Mark,
    PlanResult,
    UnitEvaluation,
    evaluate_units,
    term_years,
)
from learnhub.inspections.models import Conclusion, Inspection, Level
from learnhub.orgs.models import Unit, UnitKind
from learnhub.plans.member_plans import local_today
from learnhub.plans.models import PlanStatus, StudyPlan
from learnhub.plans.services import create_plan, set_status
from learnhub.quizzes.models import AttemptStatus, Quiz, QuizAttempt
from learnhub.settings import set_setting
from tests.conftest import login

YEAR = 2025
STUDIED = dt.datetime(2025, 5, 10, 3, 0, tzinfo=dt.UTC)


def add_members(unit_id: int, count: int, prefix: str) -> list[int]:
    users = [User(username=f"{prefix}{n}", full_name=f"Người {prefix} {n}", unit_id=unit_id,
                  category=Category.party_member, role=Role.member) for n in range(count)]
    db.session.add_all(users)
    db.session.flush()
    return [u.id for u in users]


def complete(user_id: int, seconds: int = 600) -> None:
    """Every lesson studied (10-minute lessons), and the quiz passed at the first attempt with 100%."""
    for lesson in db.session.scalars(sa.select(Lesson)):
        db.session.add(LessonProgress(user_id=user_id, lesson_id=lesson.id, first_opened_at=STUDIED,
                                      last_seen_at=STUDIED, studied_at=STUDIED, seconds_spent=seconds))
    quiz = db.session.scalars(sa.select(Quiz)).one()
    db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=user_id, number=1, bank_version=1,
                               status=AttemptStatus.submitted, started_at=STUDIED, submitted_at=STUDIED, paper=[],
                               pass_score=80, review="always", score=1, max_score=1, percent=100.0, passed=True))


@pytest.fixture
def year(app: Flask, town, make_quiz, make_unit) -> dict:
    """Three cells under the town with ten party members each, on one plan due in 2025:
    X completes at 100% reading properly, Y at 90%, Z at 100% but rushing through the lessons.
    X held a conference its members attended (8 of 10); Y was inspected and criticised."""
    make_quiz(count=6)
    cells = {key: make_unit(f"Chi bộ {key}", UnitKind.cell, parent=town["root"]) for key in "XYZ"}
    with app.app_context():
        people = {key: add_members(cell.id, 10, key.lower()) for key, cell in cells.items()}
        for user_id in people["X"]:
            complete(user_id)
        for user_id in people["Y"][:9]:
            complete(user_id)
        for user_id in people["Z"]:
            complete(user_id, seconds=60)  # under a quarter of the 10 minutes: rushed
        course = db.session.scalars(sa.select(Course)).one()
        plan = create_plan(unit=db.session.get(Unit, town["root"].id), course=course, title="Học tập Chỉ thị 05",
                           opens_on=dt.date(YEAR, 3, 1), due_on=dt.date(YEAR, 6, 30),
                           target_units=[db.session.get(Unit, cells[k].id) for k in "XYZ"])
        set_status(plan, PlanStatus.open)
        conference = Conference(unit_id=cells["X"].id, plan_id=plan.id, title="Hội nghị quán triệt",
                                starts_at=dt.datetime(YEAR, 4, 2, 1, 0, tzinfo=dt.UTC),
                                ends_at=dt.datetime(YEAR, 4, 2, 4, 0, tzinfo=dt.UTC), check_in_token="token-x",
                                invited_units=[ConferenceUnit(unit_id=cells["X"].id)])
        db.session.add(conference)
        db.session.flush()
        for n, user_id in enumerate(people["X"]):
            status = AttendanceStatus.present if n < 8 else AttendanceStatus.absent
            db.session.add(Attendance(conference_id=conference.id, user_id=user_id, status=status))
        db.session.add(Conference(unit_id=cells["Y"].id, title="Hội nghị năm trước", check_in_token="token-old",
                                  starts_at=dt.datetime(YEAR - 1, 12, 31, 16, 30, tzinfo=dt.UTC),  # 23:30 in Hanoi
                                  ends_at=dt.datetime(YEAR - 1, 12, 31, 18, 0, tzinfo=dt.UTC)))
        db.session.add(Inspection(unit_id=cells["Y"].id, held_on=dt.date(YEAR, 7, 15), inspectors="Đoàn kiểm tra",
                                  findings="Còn đảng viên chưa học", conclusion=Conclusion.criticise))
        db.session.add(Inspection(unit_id=cells["X"].id, held_on=dt.date(YEAR - 1, 7, 15), inspectors="Đoàn cũ",
                                  findings="Năm trước", conclusion=Conclusion.praise))
        db.session.commit()
        plan_id = plan.id
    return {**town, **cells, "plan": plan_id, "people": people}


def by_name(rows: list[UnitEvaluation]) -> dict[str, UnitEvaluation]:
    return {row.name: row for row in rows}


def test_the_evaluation_marks_each_cell_from_its_year(app: Flask, year: dict) -> None:
    with app.app_context():
        rows = by_name(evaluate_units(year["root"].id, YEAR))
    assert list(rows) == ["Chi bộ Khu phố 1", "Chi bộ Khu phố 2", "Chi bộ X", "Chi bộ Y", "Chi bộ Z"]
    x, y, z = rows["Chi bộ X"], rows["Chi bộ Y"], rows["Chi bộ Z"]
    assert (x.completed, x.required, x.rate, x.signals, x.mark) == (10, 10, 1.0, [], Mark.praise)
    assert (y.completed, y.required, y.rate, y.mark) == (9, 10, 0.9, Mark.criticise)
    assert y.signals == [] and not y.plans[0].meets
    # Z reached its target but rushed: well completed, neither praised nor criticised
    assert (z.rate, z.level, z.mark) == (1.0, Level.good, Mark.neither)
    assert (x.level, y.level) == (Level.excellent, Level.not_completed)
    assert [s.name for s in z.signals] == ["rushed"] and z.signals[0].plan_title == "Học tập Chỉ thị 05"
    # the cells the plan does not reach have no rate, neither 0% nor 100%
    assert (rows["Chi bộ Khu phố 1"].rate, rows["Chi bộ Khu phố 1"].mark) == (None, Mark.no_plan)

    assert (x.attempted, x.mean_best, x.first_attempt_pass_rate) == (10, 100.0, 1.0)
    assert (y.attempted, y.first_attempt_passed) == (9, 9)
    assert (x.conferences_held, x.invited, x.present, x.attendance_rate) == (1, 10, 8, 0.8)
    assert (y.conferences_held, y.invited) == (0, 0)  # its conference was at 23:30 on 31/12/2024 in Hanoi
    assert y.inspections == {Conclusion.criticise: 1} and x.inspections == {}


def test_a_conference_counts_in_the_year_of_its_hanoi_date(app: Flask, year: dict) -> None:
    with app.app_context():
        conference = db.session.scalars(sa.select(Conference).where(Conference.check_in_token == "token-old")).one()
        conference.starts_at = dt.datetime(YEAR - 1, 12, 31, 17, 30, tzinfo=dt.UTC)  # 00:30 on 1 January in Hanoi
        db.session.commit()
        rows = by_name(evaluate_units(year["root"].id, YEAR))
        earlier = by_name(evaluate_units(year["root"].id, YEAR - 1))
    assert rows["Chi bộ Y"].conferences_held == 1
    assert earlier["Chi bộ Y"].conferences_held == 0
    assert earlier["Chi bộ X"].inspections == {Conclusion.praise: 1} and earlier["Chi bộ X"].mark == Mark.no_plan


def test_a_closed_plan_is_evaluated_from_its_snapshot(app: Flask, year: dict) -> None:
    with app.app_context():
        set_status(db.session.get(StudyPlan, year["plan"]), PlanStatus.closed)
        # after closing, a member of X leaves: the closed plan's figures do not change
        db.session.get(User, year["people"]["X"][0]).status = MemberStatus.moved
        db.session.execute(sa.delete(LessonProgress).where(LessonProgress.user_id == year["people"]["X"][1]))
        db.session.commit()
        rows = by_name(evaluate_units(year["root"].id, YEAR))
    assert (rows["Chi bộ X"].completed, rows["Chi bộ X"].required, rows["Chi bộ X"].mark) == (10, 10, Mark.praise)
    assert rows["Chi bộ Y"].mark == Mark.criticise


def test_the_marks_follow_the_level_in_force(app: Flask) -> None:
    def unit(*plans: PlanResult, signals=()) -> UnitEvaluation:
        row = UnitEvaluation(1, "Chi bộ", YEAR, plans=list(plans), signals=list(signals))
        row.proposal = row.propose({"excellent_margin": 0.0, "completed_margin": 5.0})
        return row

    with app.test_request_context():
        assert unit(PlanResult(1, "Kế hoạch 1", 0.98, 50, 49)).mark == Mark.praise  # exactly 98%
        assert unit(PlanResult(1, "Kế hoạch 1", 0.98, 50, 48)).mark == Mark.neither  # 96%: well within 5 points
        assert unit(PlanResult(1, "Kế hoạch 1", 0.98, 50, 40)).mark == Mark.criticise  # 80%
        # pooled 95/100 reaches the pooled target (0.98·50 + 0.90·50)/100 = 94%
        assert unit(PlanResult(1, "a", 0.90, 50, 50), PlanResult(2, "b", 0.98, 50, 45)).mark == Mark.praise
        assert unit().mark == Mark.no_plan and unit().level is None


def test_the_evaluation_page_lists_the_units_to_praise_and_to_criticise(app: Flask, client, year: dict) -> None:
    login(client, "capuy")
    response = client.get(f"/inspections/evaluation?unit={year['root'].id}&year={YEAR}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    praise = html[html.index('data-testid="to-praise"'):]
    assert praise[:praise.index("</dd>")].endswith("Chi bộ X")
    criticise = html[html.index('data-testid="to-criticise"'):]
    assert criticise[:criticise.index("</dd>")].endswith(">Chi bộ Y")
    assert f'<tr data-unit="{year["Y"].id}">' in html and "90%" in html

    secretary = app.test_client()
    login(secretary, "bithu1")
    assert secretary.get(f"/inspections/evaluation?unit={year['root'].id}&year={YEAR}").status_code == 404
    assert secretary.get(f"/inspections/evaluation?unit={year['a'].id}&year=20255").status_code == 400
    member = app.test_client()
    login(member, "an")
    assert member.get(f"/inspections/evaluation?unit={year['a'].id}").status_code == 403


def test_the_evaluation_downloads_as_a_workbook(app: Flask, client, year: dict) -> None:
    login(client, "capuy")
    client.set_cookie("lh_lang", "en")  # filed as it is: in the site's language whoever downloads it
    response = client.get(f"/inspections/evaluation.xlsx?unit={year['root'].id}&year={YEAR}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == f"Đánh giá kết quả học tập, quán triệt năm {YEAR}"
    table = {row[0]: row for row in rows[rows.index(next(r for r in rows if r and r[0] == "Đơn vị")) + 1:]}
    # the marks as the evaluation page names them in Vietnamese
    assert table["Chi bộ X"][1:4] == [10, 10, 1] and table["Chi bộ X"][-1] == "Đề nghị biểu dương"
    assert table["Chi bộ Y"][3] == pytest.approx(0.9) and table["Chi bộ Y"][-1] == "Đề nghị phê bình"
    assert table["Chi bộ Y"][-6] == 1  # criticised once on inspection
    assert table["Chi bộ Y"][-5] == "Không hoàn thành nhiệm vụ" and "90%" in table["Chi bộ Y"][-4]
    assert not any(table["Chi bộ Y"][-3:-1])  # no decision recorded
    assert "đọc lướt" in table["Chi bộ Z"][11] and table["Chi bộ Z"][-5] == "Hoàn thành tốt nhiệm vụ"
    assert table["Chi bộ Z"][-1] == "Không biểu dương, không phê bình"
    assert table["Chi bộ Khu phố 1"][-1] == "Không có kế hoạch"
    assert client.get(f"/inspections/evaluation.pdf?unit={year['root'].id}").status_code == 404


def test_the_term_view_shows_each_year_of_the_term_so_far(app: Flask, client, year: dict) -> None:
    with app.app_context():
        set_setting("term_start_year", YEAR - 1)
        db.session.commit()
    login(client, "capuy")
    html = client.get(f"/inspections/term?unit={year['root'].id}").get_data(as_text=True)
    expected = term_years(YEAR - 1, local_today())
    assert expected[:2] == [YEAR - 1, YEAR] and expected[-1] <= local_today().year
    for year_shown in expected:
        assert f'data-year="{year_shown}"' in html
    assert f'data-year="{YEAR + 4}"' not in html or YEAR + 4 <= local_today().year
    row = html[html.index(f'<tr data-unit="{year["X"].id}">'):]
    row = row[:row.index("</tr>")]
    cell = row[row.index(f'data-year="{YEAR}"'):]
    assert "100%" in cell[:cell.index("</td>")] and 'data-mark="praise"' in cell[:cell.index("</td>")]
    earlier = row[row.index(f'data-year="{YEAR - 1}"'):]
    assert 'data-mark="no_plan"' in earlier[:earlier.index("</td>")]
    y_row = html[html.index(f'<tr data-unit="{year["Y"].id}">'):]
    assert 'data-mark="criticise"' in y_row[:y_row.index("</tr>")]


def test_term_years_stop_at_the_current_year() -> None:
    assert term_years(2025, dt.date(2027, 3, 1)) == [2025, 2026, 2027]
    assert term_years(2020, dt.date(2027, 3, 1)) == [2020, 2021, 2022, 2023, 2024]
    assert term_years(2030, dt.date(2027, 3, 1)) == []


def test_the_evaluation_queries_do_not_grow_with_members_or_units(app: Flask, client, year: dict, make_unit,
                                                                  count_queries) -> None:
    login(client, "capuy")
    url = f"/inspections/evaluation?unit={year['root'].id}&year={YEAR}"
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    for n in range(4):
        cell = make_unit(f"Chi bộ Mới {n}", UnitKind.cell, parent=year["root"])
        with app.app_context():
            for user_id in add_members(cell.id, 5, f"moi{n}-"):
                complete(user_id)
            db.session.commit()
    with count_queries() as large:
        html = client.get(url).get_data(as_text=True)
    assert "Chi bộ Mới 3" in html
    assert len(large) <= len(small), (len(small), len(large))  # never more; a once-a-minute refresh may fall in the first
