"""The quiz as a hostile member would try it: only this attempt's tokens are accepted (400 and
nothing saved otherwise), reviews keep the answers while they could serve the next attempt, and
the item analysis counts only the members the viewer answers for."""
from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import Role
from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.plans.models import PlanStatus
from learnhub.plans.services import create_plan
from learnhub.quizzes.models import AttemptAnswer, QuizAttempt
from tests.conftest import csrf_token, login, post
from tests.quiz_factory import RIGHT
from tests.quizzes.test_quiz_pages import form_for, paper, start


def saved_answers(app: Flask, attempt_id: int) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AttemptAnswer)
                                 .where(AttemptAnswer.attempt_id == attempt_id))


def status(app: Flask, attempt_id: int) -> str:
    with app.app_context():
        return db.session.get(QuizAttempt, attempt_id).status.value


def by_kind(entries: list[dict], kind: str) -> dict:
    return next(e for e in entries if e["question"]["kind"] == kind)


def test_matching_by_pair_indexes_is_refused_and_saves_nothing(app: Flask, client, make_quiz, make_user) -> None:
    make_quiz(count=6)
    make_user(username="an")
    login(client, "an")
    attempt_id, _ = start(client)
    entries = paper(app, attempt_id)
    matching = by_kind(entries, "matching")
    name = f"q-{matching['qid']}"
    honest = form_for(entries, RIGHT)
    exploit = {**honest, f"{name}-0": "0", f"{name}-1": "1", f"{name}-2": "2"}
    assert post(client, f"/attempts/{attempt_id}/submit", exploit).status_code == 400
    assert status(app, attempt_id) == "in_progress" and saved_answers(app, attempt_id) == 0
    headers = {"X-CSRFToken": csrf_token(client, "/")}
    raw = client.post(f"/attempts/{attempt_id}/answer", headers=headers,
                      json={"qid": matching["qid"], "response": {"0": "0", "1": "1", "2": "2"}})
    assert raw.status_code == 400 and saved_answers(app, attempt_id) == 0


def test_raw_choice_ids_stray_and_doubled_fields_are_refused(app: Flask, client, make_quiz, make_user) -> None:
    make_quiz(count=6)
    make_user(username="an")
    login(client, "an")
    attempt_id, _ = start(client)
    entries = paper(app, attempt_id)
    single, multiple = by_kind(entries, "single"), by_kind(entries, "multiple")
    honest = form_for(entries, RIGHT)
    url = f"/attempts/{attempt_id}/submit"
    for tampered in (
        {**honest, f"q-{single['qid']}": "a"},  # the raw choice id, not this attempt's token
        {**honest, f"q-{multiple['qid']}": ["a", "b"]},
        {**honest, "q-khong-co-tren-de": "c0"},  # a question that is not on the paper
        {**honest, f"q-{single['qid']}": ["c0", "c1"]},  # one choice sent twice
        {**honest, f"q-{multiple['qid']}": ["c0", "c0"]},
    ):
        assert post(client, url, tampered).status_code == 400, tampered
    assert post(client, f"/attempts/{attempt_id}/save", {**honest, "q-khong-co-tren-de": "c0"}).status_code == 400
    assert status(app, attempt_id) == "in_progress" and saved_answers(app, attempt_id) == 0
    headers = {"X-CSRFToken": csrf_token(client, "/")}
    answer = f"/attempts/{attempt_id}/answer"
    for payload in (
        {"qid": single["qid"], "response": ["c0"]},  # a list where one choice is expected
        {"qid": single["qid"], "response": 0},
        {"qid": single["qid"], "response": "c0", "attempt": 1},  # fields no page sends
        {"qid": by_kind(entries, "short")["qid"], "response": {"0": "x"}},
    ):
        assert client.post(answer, json=payload, headers=headers).status_code == 400, payload
    huge = json.dumps({"qid": single["qid"], "response": "c0", "pad": "x" * 100_000})
    assert client.post(answer, data=huge, content_type="application/json", headers=headers).status_code == 400
    assert saved_answers(app, attempt_id) == 0
    assert post(client, url, honest).status_code == 302
    with app.app_context():
        assert db.session.get(QuizAttempt, attempt_id).percent == 100.0


def review_of(client, attempt_id: int) -> str:
    return client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)


def test_review_keeps_the_right_answers_while_attempts_remain(app: Flask, client, make_quiz, make_user) -> None:
    make_quiz(count=6, review="always", max_attempts=2)
    make_user(username="an")
    login(client, "an")
    first, _ = start(client)
    quiz_page = client.get("/courses/nghi-quyet-thu/quiz").get_data(as_text=True)
    assert "đã làm 0/2 lượt" in quiz_page and "Đang làm dở" in quiz_page  # started, not yet a used attempt
    post(client, f"/attempts/{first}/submit", {})
    review = review_of(client, first)
    assert "Chưa đạt" in review and "Sai" in review  # the score and which questions were wrong
    for leak in ("Đáp án đúng:", "Đáp án đúng 0", "Giải thích câu 0.", "Nhận thức"):
        assert leak not in review, leak
    assert "đã làm 1/2 lượt" in client.get("/courses/nghi-quyet-thu/quiz").get_data(as_text=True)
    second, _ = start(client)
    post(client, f"/attempts/{second}/submit", {})
    for attempt_id in (first, second):  # no attempt left: now the answers can teach, not help
        review = review_of(client, attempt_id)
        assert "Đáp án đúng:" in review and "Đáp án đúng 0" in review and "Giải thích câu 0." in review


def test_review_options_are_the_authors_by_moment(app: Flask, client, make_quiz, make_user) -> None:
    make_quiz(count=6, max_attempts=3, review={"while_attempts_remain": ["answers", "feedback"]})
    make_user(username="an")
    login(client, "an")
    attempt_id, _ = start(client)
    post(client, f"/attempts/{attempt_id}/submit", form_for(paper(app, attempt_id), RIGHT))
    review = review_of(client, attempt_id)
    assert "Đáp án đúng:" in review and "Giải thích câu 0." in review
    assert "100%" not in review and "Đạt" not in review  # no score, no right/wrong while attempts remain


def test_a_closed_plan_shows_the_answers(app: Flask, client, make_quiz, town) -> None:
    make_quiz(count=6, max_attempts=3)
    with app.app_context():
        root = db.session.get(Unit, town["root"].id)
        today = dt.date.today()
        plan = create_plan(unit=root, course=db.session.scalars(sa.select(Course)).one(), title="Kế hoạch đã qua",
                           opens_on=today - dt.timedelta(days=60), due_on=today - dt.timedelta(days=2),
                           target_units=[root])
        plan.status = PlanStatus.open
        db.session.commit()
    login(client, "an")
    attempt_id, _ = start(client)
    post(client, f"/attempts/{attempt_id}/submit", {})
    assert "Đáp án đúng:" in review_of(client, attempt_id)


def test_item_analysis_counts_only_the_members_the_viewer_answers_for(app: Flask, client, make_quiz, make_user,
                                                                      town) -> None:
    make_quiz(count=6, shuffle=False)
    typed = {"an": "câu trả lời khu phố một", "binh": "bí mật khu phố hai",
             "binh2": "bí mật khu phố hai"}
    make_user(username="binh2", unit=town["b"])
    for username, text in typed.items():
        member = app.test_client()
        login(member, username)
        attempt_id, _ = start(member)
        answers = {**RIGHT, "short": text}
        post(member, f"/attempts/{attempt_id}/submit", form_for(paper(app, attempt_id), answers))
    login(client, "tuyentruyen")  # a propagandist of cell A
    page = client.get("/courses/nghi-quyet-thu/quiz/analysis").get_data(as_text=True)
    export = client.get("/courses/nghi-quyet-thu/quiz/analysis.csv").data.decode("utf-8-sig")
    for shown in (page, export):
        assert "câu trả lời khu phố một" in shown and "bí mật khu phố hai" not in shown
    town_committee = app.test_client()
    login(town_committee, "capuy")
    assert "bí mật khu phố hai" in town_committee.get("/courses/nghi-quyet-thu/quiz/analysis").get_data(as_text=True)
    member = app.test_client()
    login(member, "an")
    assert member.get("/courses/nghi-quyet-thu/quiz/analysis").status_code == 403
    assert Role.propagandist == town["propagandist"].role
