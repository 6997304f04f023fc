"""The dashboard's number of queries does not grow with members or units."""
from __future__ import annotations

from flask import Flask

from learnhub.auth.models import Category
from learnhub.orgs.models import UnitKind
from tests.conftest import login
from tests.plans.test_plan_pages import create


def test_dashboard_queries_do_not_grow_with_the_organisation(app: Flask, client, town, make_quiz, make_unit,
                                                             make_user, count_queries) -> None:
    make_quiz(count=6)
    login(client, "capuy")
    plan_id = create(client, town)
    client.get(f"/plans/{plan_id}")  # warm up (first-use queries such as the translations)
    with count_queries() as small:
        assert client.get(f"/plans/{plan_id}").status_code == 200
    for n in range(6):
        cell = make_unit(f"Chi bộ Mới {n}", UnitKind.cell, parent=town["root"])
        for m in range(5):
            make_user(unit=cell, full_name=f"Người Số {n}{m}", category=Category.civil_servant)
    with count_queries() as large:
        html = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "Chi bộ Mới 5" in html
    assert len(large) <= len(small), (len(small), len(large))  # never grows with members or units


def test_the_dashboard_names_the_first_few_not_completed_and_the_download_has_everyone(
        app: Flask, client, town, make_quiz, make_user, monkeypatch) -> None:
    """A province has tens of thousands not yet completed: the page names a few, the list has all."""
    from learnhub.plans import dashboard_figures

    make_quiz(count=6)
    for n in range(4):
        make_user(unit=town["a"], full_name=f"Người Chưa Học {n}")
    login(client, "capuy")
    plan_id = create(client, town)
    client.set_cookie("lh_lang", "en")
    full = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "members not yet completed, by unit" not in full  # everyone fits: no note
    monkeypatch.setattr(dashboard_figures, "MISSING_ON_PAGE", 2)
    html = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    missing_count = full.count("pass the quiz")
    assert html.count("pass the quiz") == 2
    assert f"The first 2 of {missing_count} members not yet completed" in html
    listed = client.get(f"/plans/{plan_id}/missing.csv").get_data(as_text=True)
    assert all(f"Người Chưa Học {n}" in listed for n in range(4))


def test_one_members_progress_is_their_row_of_the_whole_roster(app: Flask, client, town, make_quiz) -> None:
    import sqlalchemy as sa

    from learnhub.extensions import db
    from learnhub.plans.completion import member_progress
    from learnhub.plans.models import StudyPlan

    make_quiz(count=6)
    login(client, "capuy")
    plan_id = create(client, town)
    with app.app_context():
        plan = db.session.get(StudyPlan, plan_id)
        whole = member_progress(plan)
        rows = {r.user_id: tuple(r) for r in db.session.execute(sa.select(whole))}
        assert len(rows) > 1
        for user_id, row in rows.items():
            one = member_progress(plan, member=user_id)
            assert [tuple(r) for r in db.session.execute(sa.select(one))] == [row]


def test_a_member_outside_the_target_units_has_no_row_of_their_own(app: Flask, town, make_course) -> None:
    import datetime as dt

    import sqlalchemy as sa

    from learnhub.courses.models import Course
    from learnhub.extensions import db
    from learnhub.orgs.models import Unit
    from learnhub.plans.completion import member_progress
    from learnhub.plans.services import create_plan

    make_course()
    with app.app_context():
        cell_a = db.session.get(Unit, town["a"].id)
        plan = create_plan(unit=cell_a, course=db.session.scalars(sa.select(Course)).first(), title="Chỉ chi bộ A",
                           opens_on=dt.date(2026, 1, 1), due_on=dt.date(2026, 12, 31), target_units=[cell_a])
        db.session.flush()
        roster = {r.user_id for r in db.session.execute(sa.select(member_progress(plan)))}
        assert town["member_a"].id in roster and town["member_b"].id not in roster
        for user_id, expected in ((town["member_a"].id, 1), (town["member_b"].id, 0)):
            assert len(db.session.execute(sa.select(member_progress(plan, member=user_id))).all()) == expected


def test_the_top_units_page_counts_a_completion_at_once(app: Flask, client, town, make_quiz) -> None:
    """The figures are kept as study happens: the page a moment after the member finished counts
    them, and never says its figures are from earlier or offers to recalculate them."""
    make_quiz(count=6)
    login(client, "capuy")
    plan_id = create(client, town)
    client.set_cookie("lh_lang", "en")
    client.post(f"/plans/{plan_id}/status", data={"status": "open", "csrf_token": _token(client, plan_id)})
    url = f"/plans/{plan_id}?unit={town['root'].id}"
    first = client.get(url).get_data(as_text=True)
    before = _completed(first)
    _complete_everything(app, town["member_a"].id, plan_id)
    page = client.get(url).get_data(as_text=True)
    assert _completed(page) == before + 1
    assert "Figures as of" not in page and "Recalculate now" not in page


def _token(client, plan_id: int) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client, f"/plans/{plan_id}")


def _completed(html: str) -> int:
    import re

    return int(re.search(r"(\d+) of \d+ members have completed", html).group(1))


def _complete_everything(app: Flask, user_id: int, plan_id: int) -> None:
    """The member studies every lesson and passes the quiz, as the study pages would record."""
    import sqlalchemy as sa

    from learnhub.courses.models import Lesson, LessonProgress
    from learnhub.db import utcnow
    from learnhub.extensions import db
    from learnhub.plans.models import StudyPlan
    from learnhub.quizzes.models import AttemptStatus, Quiz, QuizAttempt

    with app.app_context():
        plan = db.session.get(StudyPlan, plan_id)
        now = utcnow()
        for lesson in db.session.scalars(sa.select(Lesson).where(Lesson.course_id == plan.modules[0].course_id)):
            db.session.add(LessonProgress(user_id=user_id, lesson_id=lesson.id, first_opened_at=now, last_seen_at=now,
                                          studied_at=now, seconds_spent=600))
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.course_id == plan.modules[0].course_id))
        db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=user_id, number=1, bank_version=quiz.version, paper=[],
                                   pass_score=80, review="always", max_score=1.0, score=1.0, percent=100.0,
                                   passed=True, status=AttemptStatus.submitted, started_at=now, submitted_at=now))
        db.session.commit()
