"""Replies notify the asker; the asker or an answerer in scope marks the answer; answered questions are
pinned to the module's FAQ; moderators list the questions still waiting for an answer."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.auth.models import User
from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.notifications import Notification
from tests.dialogue.conftest import COURSE, LESSON_URL, fetch, post, write

FAQ_URL = f"/courses/{COURSE}/faq"


def notifications_of(app: Flask, username: str) -> list[Notification]:
    with app.app_context():
        found = db.session.scalars(sa.select(Notification).join(User, User.id == Notification.user_id)
                                   .where(User.username == username).order_by(Notification.id)).all()
        db.session.expunge_all()
        return list(found)


def test_a_reply_from_someone_else_notifies_the_asker_once(app: Flask, course, as_user) -> None:
    question = write(app, "an", "Câu hỏi của An")
    write(app, "an", "Tôi bổ sung thêm", parent=question)  # the asker's own reply: no notification
    assert notifications_of(app, "an") == []
    post(as_user("capuy"), f"/posts/{question}/replies", {"body": "Trả lời chính thức"})
    (note,) = notifications_of(app, "an")
    assert note.kind == "question_answered" and note.read_at is None
    assert note.link == f"{LESSON_URL}#post-{question}"
    assert "Trần Văn Hùng" in note.title and note.body == "Trả lời chính thức"
    assert notifications_of(app, "capuy") == []
    assert "Notifications (1)" in as_user("an").get("/notifications").get_data(as_text=True)


def test_marking_the_answer_notifies_once_and_marks_the_question_answered(app: Flask, qa, as_user) -> None:
    secretary = as_user("bithu1")
    before = len(notifications_of(app, "an"))  # the two replies
    assert before == 2
    assert post(secretary, f"/posts/{qa['official']}/accept").status_code == 302
    assert post(secretary, f"/posts/{qa['official']}/accept").status_code == 302  # again: nothing new
    notes = notifications_of(app, "an")
    assert len(notes) == before + 1 and notes[-1].kind == "question_answered"
    assert fetch(app, qa["official"]).accepted_at is not None
    page = as_user("binh").get(LESSON_URL).get_data(as_text=True)
    assert 'data-testid="answered"' in page and 'data-testid="accepted"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "post.accept")) == 1


def test_choosing_another_answer_replaces_the_first(app: Flask, qa, as_user) -> None:
    member = as_user("an")
    assert post(member, f"/posts/{qa['official']}/accept").status_code == 302
    assert post(member, f"/posts/{qa['member_reply']}/accept").status_code == 302
    assert fetch(app, qa["official"]).accepted_at is None
    assert fetch(app, qa["member_reply"]).accepted_at is not None
    assert len(notifications_of(app, "an")) == 2  # the asker chose: only the two replies told them


def test_only_the_asker_or_an_answerer_in_scope_marks_the_answer(app: Flask, qa, as_user) -> None:
    assert post(as_user("binh"), f"/posts/{qa['official']}/accept").status_code == 403
    assert post(as_user("bithu2"), f"/posts/{qa['official']}/accept").status_code == 404
    assert fetch(app, qa["official"]).accepted_at is None
    page = as_user("binh").get(LESSON_URL).get_data(as_text=True)
    assert 'data-testid="accept"' not in page
    assert post(as_user("tuyentruyen"), f"/posts/{qa['official']}/accept").status_code == 302  # an: cell A
    assert fetch(app, qa["official"]).accepted_at is not None


def test_replies_by_answerers_are_official(app: Flask, qa, as_user) -> None:
    page = as_user("an").get(LESSON_URL).get_data(as_text=True)
    official = page[page.index(f'id="post-{qa["official"]}"'):]
    member = page[page.index(f'id="post-{qa["member_reply"]}"'):page.index(f'id="post-{qa["official"]}"')]
    assert "lh-post--official" in official[:200] and 'data-testid="official"' in official
    assert "lh-post--official" not in member and 'data-testid="official"' not in member


def test_a_hidden_reply_cannot_be_the_answer_and_hiding_the_answer_reopens_the_question(app: Flask, qa, as_user) -> None:
    secretary = as_user("capuy")
    post(secretary, f"/posts/{qa['official']}/accept")
    post(secretary, f"/posts/{qa['official']}/hide", {"reason": "Sai thông tin"})
    page = as_user("an").get(LESSON_URL).get_data(as_text=True)
    assert 'data-testid="answered"' not in page
    post(secretary, f"/posts/{qa['member_reply']}/hide", {"reason": "Sai"})
    post(secretary, f"/posts/{qa['member_reply']}/accept")
    assert fetch(app, qa["member_reply"]).accepted_at is None


def test_pinned_questions_appear_in_the_faq_with_their_answer(app: Flask, qa, as_user) -> None:
    other = write(app, "binh", "Câu hỏi chưa có trả lời")
    secretary = as_user("capuy")
    assert "No questions have been pinned" in as_user("an").get(FAQ_URL).get_data(as_text=True)
    assert post(secretary, f"/posts/{other}/pin", {"action": "pin"}).status_code == 302
    assert fetch(app, other).pinned_at is None  # unanswered: refused
    post(secretary, f"/posts/{qa['official']}/accept")
    assert post(secretary, f"/posts/{qa['question']}/pin", {"action": "pin"}).status_code == 302
    faq = as_user("binh").get(FAQ_URL)
    assert faq.status_code == 200
    text = faq.get_data(as_text=True)
    assert text.count('data-testid="faq-entry"') == 1
    assert "Nghị quyết này áp dụng cho chi bộ" in text and "Chi bộ xây dựng kế hoạch" in text
    assert "Tôi nghĩ là áp dụng toàn bộ." not in text
    assert f'href="{LESSON_URL}#post-{qa["question"]}"' in text
    assert f'href="{FAQ_URL}"' in as_user("an").get(f"/courses/{COURSE}/").get_data(as_text=True)
    assert post(secretary, f"/posts/{qa['question']}/pin", {"action": "unpin"}).status_code == 302
    assert 'data-testid="faq-entry"' not in as_user("an").get(FAQ_URL).get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("post.%pin")).order_by(AuditEntry.id)).all()
    assert actions == ["post.pin", "post.unpin"]


def test_only_answerers_in_scope_pin(app: Flask, qa, as_user) -> None:
    post(as_user("an"), f"/posts/{qa['official']}/accept")
    assert post(as_user("an"), f"/posts/{qa['question']}/pin", {"action": "pin"}).status_code == 403
    assert post(as_user("bithu2"), f"/posts/{qa['question']}/pin", {"action": "pin"}).status_code == 404
    assert post(as_user("bithu1"), f"/posts/{qa['question']}/pin", {"action": "sideways"}).status_code == 400
    assert fetch(app, qa["question"]).pinned_at is None
    assert post(as_user("bithu1"), f"/posts/{qa['question']}/pin", {"action": "pin"}).status_code == 302
    assert fetch(app, qa["question"]).pinned_at is not None


def test_the_faq_of_a_module_the_member_cannot_see_is_not_found(app: Flask, town, course, as_user) -> None:
    with app.app_context():
        db.session.scalars(sa.select(Course)).one().owner_unit_id = town["a"].id
        db.session.commit()
    assert as_user("binh").get(FAQ_URL).status_code == 404
    assert as_user("an").get(FAQ_URL).status_code == 200


def test_questions_waiting_for_an_answer_in_scope_oldest_first(app: Flask, qa, as_user) -> None:
    second = write(app, "an", "Câu hỏi thứ hai của An")
    from_b = write(app, "binh", "Câu hỏi của Bình")
    answered = write(app, "an", "Câu hỏi đã có trả lời")
    reply = write(app, "capuy", "Trả lời", parent=answered)
    post(as_user("capuy"), f"/posts/{reply}/accept")

    def listed(username: str) -> list[int]:
        page = as_user(username).get("/questions")
        assert page.status_code == 200
        return [int(n) for n in re.findall(r'#post-(\d+)"', page.get_data(as_text=True))]

    assert listed("bithu1") == [qa["question"], second]
    assert listed("bithu2") == [from_b]
    assert listed("capuy") == [qa["question"], second, from_b]
    assert listed("admin") == [qa["question"], second, from_b]
    assert listed("tuyentruyen") == [qa["question"], second]  # askers in the propagandist's cell
    assert as_user("an").get("/questions").status_code == 403
