"""Fixtures for the discussion tests: the town, a module visible to everyone, and helpers that post."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from learnhub.auth.models import User
from learnhub.courses.models import Course, Lesson
from learnhub.dialogue import services
from learnhub.dialogue.models import Post
from learnhub.extensions import db
from tests.conftest import csrf_token, login

COURSE = "nghi-quyet-thu"
LESSON_URL = f"/courses/{COURSE}/bai-1"


@pytest.fixture
def course(town, make_course) -> Course:
    """The test module (no owner unit: visible to every member), lessons bai-1 to bai-3."""
    return make_course()


def signed_in(app: Flask, username: str) -> FlaskClient:
    """A client in English (new strings have no Vietnamese yet), signed in as ``username``."""
    client = app.test_client()
    client.set_cookie("lh_lang", "en")
    assert login(client, username).status_code == 302
    client.csrf = csrf_token(client, "/notifications")  # valid for the whole session
    return client


def post(client: FlaskClient, url: str, data: dict | None = None):
    """POST a form as the browser does, with the token the signed-in page gave."""
    return client.post(url, data={"csrf_token": client.csrf, **(data or {})})


@pytest.fixture
def as_user(app: Flask):
    """``as_user("an")``: a client signed in as that user, made once per test (signing in is slow)."""
    clients: dict[str, FlaskClient] = {}

    def get(username: str) -> FlaskClient:
        if username not in clients:
            clients[username] = signed_in(app, username)
        return clients[username]

    return get


def user(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def lesson(slug: str = "bai-1", course_slug: str = COURSE) -> Lesson:
    return db.session.scalars(
        sa.select(Lesson).join(Course).where(Course.slug == course_slug, Lesson.slug == slug)).one()


def write(app: Flask, username: str, body: str, *, parent: int | None = None, lesson_slug: str = "bai-1",
          course_slug: str = COURSE) -> int:
    """Post through the service (as the routes do) and commit; the new post's id."""
    with app.test_request_context():
        author = user(username)
        if parent is None:
            new = services.ask(lesson=lesson(lesson_slug, course_slug), author=author, body=body)
        else:
            new = services.reply(question=db.session.get(Post, parent), author=author, body=body)
        db.session.commit()
        return new.id


def fetch(app: Flask, post_id: int) -> Post:
    """A post as stored now, detached."""
    with app.app_context():
        found = db.session.get(Post, post_id)
        db.session.expunge(found)
        return found


@pytest.fixture
def qa(app: Flask, course) -> dict[str, int]:
    """A question by "an" (cell A) with a reply by "binh" (cell B) and one by the town's committee."""
    question = write(app, "an", "Nghị quyết này áp dụng cho chi bộ khu phố thế nào?")
    member_reply = write(app, "binh", "Tôi nghĩ là áp dụng toàn bộ.", parent=question)
    official = write(app, "capuy", "Chi bộ xây dựng kế hoạch thực hiện trong quý I.", parent=question)
    return {"question": question, "member_reply": member_reply, "official": official}
