"""What a member does in the load tests, request by request, as the browser would."""
from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tests.load.client import (
    CONNECTION_ERRORS,
    Browser,
    Response,
    choose_answers,
    expect,
    form_fields,
    read_quiz,
)
from tests.load.server import PASSWORD, Seeded

ATTEMPT = r"/attempts/(\d+)"
T = TypeVar("T")


@dataclass
class Sitting:
    """What the member sent: the attempt and their final answers, in the page's tokens."""

    attempt_id: int
    answers: dict[str, Any]
    tries: int = 1  # submissions sent
    found_graded: bool = False  # a submission whose answer was lost had gone through


def sign_in(browser: Browser, username: str) -> None:
    page = expect("login page", browser.get("login page", "/login"), 200)
    response = browser.post("sign in", "/login", {"username": username, "password": PASSWORD, "csrf_token": page.csrf})
    expect("sign in", response, 302, "/")


def study_and_sit(browser: Browser, username: str, site: Seeded, rng: random.Random) -> Sitting:
    """Sign in, open a lesson, mark it studied, start the quiz, autosave two answers (the first
    changed afterwards, so only the final answer may be kept), submit, read the review."""
    sign_in(browser, username)
    lesson = f"/courses/{site.course_slug}/{site.lesson_slug}"
    page = expect("lesson", browser.get("lesson", lesson), 200)
    csrf = page.csrf
    expect("studied", browser.post("studied", f"{lesson}/studied", {"csrf_token": csrf}), 302)
    started = expect("start", browser.post("start", f"/courses/{site.course_slug}/quiz/start", {"csrf_token": csrf}),
                     302, ATTEMPT)
    attempt_id = int(re.fullmatch(ATTEMPT, started.location.split("?")[0]).group(1))
    page = expect("attempt", browser.get("attempt", started.location), 200)
    form = read_quiz(page.body)
    first_try = choose_answers(form, rng)
    answers = choose_answers(form, rng)
    for qid in list(answers)[:2]:
        saved = browser.request("autosave", "POST", form.autosave, json_body={"qid": qid, "response": first_try[qid]},
                                headers={"X-CSRFToken": page.csrf})
        expect("autosave", saved, 200)
    submitted = browser.post("submit", form.action, form_fields(answers, page.csrf))
    expect("submit", submitted, 302, rf"{ATTEMPT}/review")
    expect("review", browser.get("review", submitted.location), 200)
    return Sitting(attempt_id, answers)


def again(step: Callable[[], T], tries: int = 8) -> T:
    """Do ``step`` again when the connection drops, as a person reloads and tries again."""
    for n in range(tries):
        try:
            return step()
        except CONNECTION_ERRORS:
            if n == tries - 1:
                raise
            time.sleep(0.2 + 0.1 * n)
    raise AssertionError("unreachable")


def start_quiz(browser: Browser, username: str, site: Seeded) -> str:
    """Sign in and start the quiz (again, whatever request drops); the attempt's page."""
    again(lambda: sign_in(browser, username))
    home = again(lambda: expect("home", browser.get("home", "/"), 200))
    started = again(lambda: expect("start", browser.post(
        "start", f"/courses/{site.course_slug}/quiz/start", {"csrf_token": home.csrf}), 302, ATTEMPT))
    return started.location.split("?")[0]


def submit_despite_failures(browser: Browser, attempt_path: str, rng: random.Random) -> Sitting:
    """Open the attempt and submit it. When the submission drops, reload the attempt as a person
    would: graded (it went through before the connection dropped) or submit the same answers again."""
    attempt_id = int(re.fullmatch(ATTEMPT, attempt_path).group(1))
    answers: dict[str, Any] | None = None
    for tries in range(9):
        page: Response = again(lambda: browser.get("attempt", attempt_path))
        if page.status == 302:  # graded by a submission whose answer never reached us
            expect("attempt", page, 302, rf"{ATTEMPT}/review")
            return Sitting(attempt_id, answers or {}, tries, found_graded=True)
        expect("attempt", page, 200)
        form = read_quiz(page.body)
        answers = answers or choose_answers(form, rng)
        try:
            submitted = browser.post("submit", form.action, form_fields(answers, page.csrf))
        except CONNECTION_ERRORS:
            time.sleep(0.2)
            continue
        expect("submit", submitted, 302, rf"{ATTEMPT}/review")
        review = submitted.location
        again(lambda: expect("review", browser.get("review", review), 200))  # noqa: B023  (called at once)
        return Sitting(attempt_id, answers, tries + 1)
    raise AssertionError(f"could not submit attempt {attempt_id}")
