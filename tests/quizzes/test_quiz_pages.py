"""The quiz in the browser's terms: no answer reaches the page before submitting, saving, one
graded attempt however often the member submits, the review, and the item analysis."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import Role
from learnhub.extensions import db
from learnhub.quizzes import attempts
from learnhub.quizzes.models import AttemptAnswer, QuizAttempt
from tests.conftest import csrf_token, login, post, without_tokens
from tests.quiz_factory import RIGHT


def start(client) -> tuple[int, str]:
    response = post(client, "/courses/nghi-quyet-thu/quiz/start")
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    return attempt_id, client.get(f"/attempts/{attempt_id}").get_data(as_text=True)


def paper(app: Flask, attempt_id: int) -> list[dict]:
    with app.app_context():
        return db.session.get(QuizAttempt, attempt_id).paper


def form_for(entries: list[dict], answers: dict) -> dict:
    """The form fields a browser would send for ``answers`` (given as ids)."""
    data: dict = {}
    for entry in entries:
        response = attempts.to_tokens(entry, answers[entry["question"]["kind"]])
        name = f"q-{entry['qid']}"
        if isinstance(response, dict):
            data.update({f"{name}-{k}": v for k, v in response.items()})
        else:
            data[name] = response
    return data


def test_the_quiz_page_carries_no_answer_key(app: Flask, client, make_quiz, make_user) -> None:
    make_quiz()
    make_user(username="an")
    login(client, "an")
    attempt_id, html = start(client)
    assert "Đáp án đúng" in html  # the right choice's text is there, among the others
    text = without_tokens(html)
    for leak in ("weight", "correct", "Giải thích", "lãnh đạo", "98", "Nhận thức\" selected", 'value="a"', 'value="b"',
                 "explanation", "feedback"):
        assert leak not in text, leak
    assert re.search(r'name="q-chon-0" value="c\d"', html)
    assert client.get(f"/attempts/{attempt_id}").headers["Cache-Control"] == "no-store"


def test_autosave_then_reload_shows_the_answers(app: Flask, client, make_quiz, make_user) -> None:
    make_quiz(count=6)
    make_user(username="an")
    login(client, "an")
    attempt_id, _ = start(client)
    entries = paper(app, attempt_id)
    single = next(e for e in entries if e["question"]["kind"] == "single")
    token = attempts.to_tokens(single, "b")
    headers = {"X-CSRFToken": csrf_token(client, "/")}
    saved = client.post(f"/attempts/{attempt_id}/answer", json={"qid": single["qid"], "response": token}, headers=headers)
    assert saved.status_code == 200 and saved.json == {"saved": True}
    html = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert f'value="{token}" checked' in html
    bad = client.post(f"/attempts/{attempt_id}/answer", json={"qid": single["qid"], "response": "c42"}, headers=headers)
    assert bad.status_code == 400
    unknown = client.post(f"/attempts/{attempt_id}/answer", json={"qid": "nope", "response": "c0"}, headers=headers)
    assert unknown.status_code == 400
    assert client.post(f"/attempts/{attempt_id}/answer", json={"qid": single["qid"]}).status_code == 400  # no token


def test_submitting_twice_gives_one_graded_attempt(app: Flask, client, make_quiz, make_user) -> None:
    make_quiz(count=6, max_attempts=1)  # no attempt left after it, so the review shows everything
    make_user(username="an")
    login(client, "an")
    attempt_id, _ = start(client)
    data = form_for(paper(app, attempt_id), RIGHT)
    first = post(client, f"/attempts/{attempt_id}/submit", data)
    second = post(client, f"/attempts/{attempt_id}/submit", form_for(paper(app, attempt_id), {k: None if k != "multiple" else [] for k in RIGHT} | {"matching": {}}))
    assert first.headers["Location"] == second.headers["Location"] == f"/attempts/{attempt_id}/review"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt)) == 1
        assert db.session.get(QuizAttempt, attempt_id).percent == 100.0
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "100%" in review and "Đạt" in review and "Giải thích câu 0." in review


def test_review_follows_the_quiz_setting(app: Flask, client, make_quiz, make_user) -> None:
    make_quiz(count=6, review="after_pass", max_attempts=2)  # answers once no attempt remains
    make_user(username="an")
    login(client, "an")
    attempt_id, _ = start(client)
    post(client, f"/attempts/{attempt_id}/submit", {})
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Chưa đạt" in review and "Giải thích câu 0." not in review and "Đáp án đúng:" not in review
    assert "Đáp án đúng 0" not in review
    second, _ = start(client)
    post(client, f"/attempts/{second}/submit", form_for(paper(app, second), RIGHT))
    assert "Giải thích câu 0." in client.get(f"/attempts/{second}/review").get_data(as_text=True)


def test_another_members_attempt_is_not_found(app: Flask, client, make_quiz, make_user) -> None:
    make_quiz(count=6)
    make_user(username="an")
    make_user(username="binh")
    login(client, "an")
    attempt_id, _ = start(client)
    other = app.test_client()
    login(other, "binh")
    for url in (f"/attempts/{attempt_id}", f"/attempts/{attempt_id}/review"):
        assert other.get(url).status_code == 404
    assert post(other, f"/attempts/{attempt_id}/submit", {}).status_code == 404
    with app.app_context():
        assert db.session.get(QuizAttempt, attempt_id).status.value == "in_progress"


def test_item_analysis_shows_the_most_missed_questions(app: Flask, client, make_quiz, make_user) -> None:
    make_quiz(count=6, shuffle=False)
    for n in range(4):
        member = app.test_client()
        make_user(username=f"hv{n}")
        login(member, f"hv{n}")
        attempt_id, _ = start(member)
        answers = dict(RIGHT)
        answers["single"] = "c"  # everyone picks the same wrong answer to the single-choice question
        post(member, f"/attempts/{attempt_id}/submit", form_for(paper(app, attempt_id), answers))
    make_user(Role.propagandist, username="tt")
    login(client, "tt")
    html = client.get("/courses/nghi-quyet-thu/quiz/analysis").get_data(as_text=True)
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert "Câu chọn một số 0?" in first_row and "Sai hai (4)" in first_row and "quá khó" in first_row
    export = client.get("/courses/nghi-quyet-thu/quiz/analysis.csv").data.decode("utf-8-sig")
    assert "Câu chọn một số 0?" in export and "Sai hai" in export
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AttemptAnswer)) == 24
    member = app.test_client()
    login(member, "hv0")
    assert member.get("/courses/nghi-quyet-thu/quiz/analysis").status_code == 403
