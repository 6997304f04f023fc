"""A member's pages send a bounded number of SQL statements, however many plans and modules, and
what a worker keeps between requests (the statements, never figures) follows every plan edit."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Flask

from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.plans.member_plans import local_today
from learnhub.plans.models import Criterion, PlanCourse, PlanStatus, StudyPlan
from learnhub.plans.services import create_plan
from tests.conftest import csrf_token, login, post

MOST = 6  # statements per member page (issue 20)


def open_plan(app: Flask, unit_id: int, title: str, slugs: list[str], **options) -> int:
    """An open plan on the modules ``slugs`` (in that order) for the unit ``unit_id``."""
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        courses = [db.session.scalars(sa.select(Course).where(Course.slug == slug)).one() for slug in slugs]
        today = local_today()
        plan = create_plan(unit=unit, title=title, courses=courses, opens_on=today - dt.timedelta(days=10),
                           due_on=today + dt.timedelta(days=30), target_units=[unit], **options)
        plan.status = PlanStatus.open
        db.session.commit()
        return plan.id


def english(client):
    client.set_cookie("lh_lang", "en")
    return client


def test_member_pages_send_at_most_six_statements(app: Flask, client, town, make_quiz, make_course,
                                                   count_queries) -> None:
    make_quiz(count=6)
    make_course(slug="chi-thi-05", lessons=2, title="Chỉ thị 05")
    open_plan(app, town["root"].id, "Hai học phần", ["nghi-quyet-thu", "chi-thi-05"])
    open_plan(app, town["a"].id, "Một học phần", ["chi-thi-05"],
              criteria=(Criterion.lessons, Criterion.reflection))
    english(client)
    login(client, "an")
    post(client, "/courses/nghi-quyet-thu/bai-1/studied")
    pages = {"/": ["Hai học phần", "Một học phần", "Học tập Nghị quyết thử nghiệm: 2 lessons to study",
                   "Chỉ thị 05: 2 lessons to study", "Reflections to write", "Not written yet"],
             "/courses/nghi-quyet-thu/bai-2": ["Bài 2"],
             "/courses/nghi-quyet-thu/quiz": ["Start"]}
    for url, shown in pages.items():
        client.get(url)  # the first visit may build what a worker keeps
        with count_queries() as statements:
            response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and all(text in html for text in shown), url
        assert len(statements) <= MOST, (url, statements)


def test_an_edited_plan_changes_the_member_home_at_once(app: Flask, client, town, make_quiz,
                                                        make_course) -> None:
    make_quiz(count=6)
    make_course(slug="chi-thi-05", lessons=2, title="Chỉ thị 05")
    plan_id = open_plan(app, town["root"].id, "Kế hoạch", ["nghi-quyet-thu"])
    english(client)
    login(client, "an")
    home = client.get("/").get_data(as_text=True)
    assert "3 lessons to study; pass the quiz" in home
    with app.app_context():
        plan = db.session.get(StudyPlan, plan_id)
        plan.criteria = [Criterion.lessons.value]
        db.session.add(PlanCourse(plan_id=plan_id, course_id=db.session.scalars(
            sa.select(Course.id).where(Course.slug == "chi-thi-05")).one(), position=1))
        db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert "pass the quiz" not in home
    assert "Học tập Nghị quyết thử nghiệm: 3 lessons to study" in home
    assert "Chỉ thị 05: 2 lessons to study" in home  # the module added since the last visit


KEPT_FIGURES = 6  # the cell's quiz figures recomputed (learnhub.quizzes.kept: 4, and its lock on PostgreSQL) and the plans the quiz is in (1)


def test_a_quiz_submission_is_graded_in_a_few_statements(app: Flask, client, town, make_quiz,
                                                          count_queries) -> None:
    from learnhub.quizzes.models import AttemptAnswer, QuizAttempt
    from tests.quiz_factory import RIGHT
    from tests.quizzes.test_quiz_pages import form_for, paper, start

    make_quiz(count=12)
    login(client, "an")
    attempt_id, _page = start(client)
    entries = paper(app, attempt_id)
    half = entries[: len(entries) // 2]  # answered right; the rest left unanswered
    token = csrf_token(client, "/")
    with count_queries() as statements:
        response = client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token, **form_for(half, RIGHT)})
    assert response.status_code == 302 and response.location.endswith(f"/attempts/{attempt_id}/review")
    # Grading takes six statements whatever the number of answers (it was a SELECT and an INSERT per
    # answer); the kept figures take a few more, in the same transaction.
    assert len(statements) <= MOST + KEPT_FIGURES, [" ".join(s.split())[:90] for s in statements]
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        answers = db.session.scalars(sa.select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt_id)).all()
        assert attempt.status == "submitted" and len(answers) == len(entries)  # the unanswered count, as zero
        assert sorted(a.qid for a in answers if a.score) == sorted(entry["qid"] for entry in half)
        assert 0 < attempt.percent < 100
