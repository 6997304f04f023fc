"""The discussion routes walked as each role of tests/test_access_matrix.py, with the entries to add there."""
from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import csrf_token, login
from tests.dialogue.conftest import write
from tests.test_access_matrix import LOGIN_AS, ROLES, Case, everyone

# Moderating: members are refused, staff outside their reach are told the post does not exist.
# The module has no owner unit, so the propagandist may not write it and may not hide its posts.
MODERATE = {"anonymous": 302, "member": 403, "propagandist": 404, "committee_in_scope": 302,
            "committee_out_of_scope": 404, "admin": 302}
ANSWER_FOR = {**MODERATE, "propagandist": 302}  # hai is in the propagandist's cell
OWN = {"anonymous": 302, "member": 200, "propagandist": 403, "committee_in_scope": 403,
       "committee_out_of_scope": 403, "admin": 403}

CASES: dict[str, Case] = {
    "study.lesson": Case("GET", lambda o: "/courses/nghi-quyet-thu/bai-1", everyone(200)),
    "dialogue.faq": Case("GET", lambda o: "/courses/nghi-quyet-thu/faq", everyone(200)),
    "dialogue.questions": Case("GET", lambda o: "/questions", {**everyone(200), "member": 403}),
    "dialogue.edit": Case("GET", lambda o: f"/posts/{o['own_post']}/edit", OWN),
    "dialogue.ask": Case("POST", lambda o: "/courses/nghi-quyet-thu/bai-1/questions", everyone(302),
                         lambda o: {"body": "Câu hỏi"}),
    "dialogue.reply": Case("POST", lambda o: f"/posts/{o['question']}/replies", everyone(302),
                           lambda o: {"body": "Trả lời"}),
    "dialogue.update": Case("POST", lambda o: f"/posts/{o['own_post']}/edit", {**OWN, "member": 302},
                            lambda o: {"body": "Đã sửa"}),
    "dialogue.accept": Case("POST", lambda o: f"/posts/{o['answer']}/accept", ANSWER_FOR),
    "dialogue.pin": Case("POST", lambda o: f"/posts/{o['question']}/pin", ANSWER_FOR, lambda o: {"action": "pin"}),
    "dialogue.hide": Case("POST", lambda o: f"/posts/{o['question']}/hide", MODERATE, lambda o: {"reason": "Lạc đề"}),
    "dialogue.unhide": Case("POST", lambda o: f"/posts/{o['question']}/unhide", MODERATE),
}


@pytest.fixture
def objects(app: Flask, town, make_user, make_course) -> dict:
    """The module, a question by hai (cell A) answered by the town committee, and a reply by an."""
    make_course()
    make_user(username="hai", unit=town["a"], full_name="Đinh Văn Hải")
    question = write(app, "hai", "Câu hỏi của Hải")
    answer = write(app, "capuy", "Trả lời của cấp ủy", parent=question)
    own_post = write(app, "an", "Ý kiến của An", parent=question)
    return {**town, "question": question, "answer": answer, "own_post": own_post}


def test_every_dialogue_route_is_listed(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("dialogue.")}
    assert endpoints == {e for e in CASES if e.startswith("dialogue.")}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_table_says(app: Flask, objects: dict, role: str) -> None:
    client = app.test_client()
    if role != "anonymous":
        assert login(client, LOGIN_AS[role]).status_code == 302
    failures = []
    for endpoint, case in CASES.items():
        url = case.url(objects)
        if case.method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": csrf_token(client, "/login"), **case.data(objects)})
        if response.status_code != case.expect[role]:
            failures.append(f"{case.method} {url} ({endpoint}): {response.status_code}, expected {case.expect[role]}")
    assert failures == []


def test_every_state_change_refuses_a_missing_csrf_token(app: Flask, objects: dict) -> None:
    client = app.test_client()
    login(client, "admin")
    refused = {endpoint: client.post(case.url(objects), data=case.data(objects)).status_code
               for endpoint, case in CASES.items() if case.method == "POST"}
    assert refused == dict.fromkeys(refused, 400)
    assert len(refused) == 7
