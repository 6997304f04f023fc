"""Moderators hide posts with a reason (kept and audited, never deleted) and show them again."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.courses.models import Course
from learnhub.dialogue.models import Post
from learnhub.extensions import db
from tests.dialogue.conftest import LESSON_URL, fetch, post, write

REASON = "Nội dung không liên quan đến bài học"


def audit_actions(app: Flask) -> list[tuple[str, int | None, str]]:
    with app.app_context():
        return [(e.action, e.object_id, e.actor_name) for e in db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.object_type == "post").order_by(AuditEntry.id))]


def test_a_committee_member_hides_a_post_in_scope_kept_and_audited(app: Flask, qa, as_user) -> None:
    secretary = as_user("bithu1")
    response = post(secretary, f"/posts/{qa['question']}/hide", {"reason": REASON})
    assert response.status_code == 302
    hidden = fetch(app, qa["question"])
    assert hidden.hidden_at is not None and hidden.hidden_reason == REASON
    assert hidden.body == "Nghị quyết này áp dụng cho chi bộ khu phố thế nào?"  # kept as written
    with app.app_context():
        assert hidden.hidden_by_id == db.session.scalar(sa.text("select id from user_account where username='bithu1'"))
        assert db.session.scalar(sa.select(sa.func.count(Post.id))) == 3  # nothing deleted
    assert audit_actions(app) == [("post.hide", qa["question"], "bithu1")]


def test_hidden_posts_are_not_shown_to_members_and_greyed_for_moderators(app: Flask, qa, as_user) -> None:
    assert post(as_user("capuy"), f"/posts/{qa['member_reply']}/hide", {"reason": REASON}).status_code == 302
    for username in ("an", "binh"):
        page = as_user(username).get(LESSON_URL).get_data(as_text=True)
        assert "Tôi nghĩ là áp dụng toàn bộ." not in page
        assert f'id="post-{qa["member_reply"]}"' not in page
        assert "Chi bộ xây dựng kế hoạch" in page  # the other reply stays
    # binh's post is hidden from binh too, and no member can reach it
    assert post(as_user("binh"), f"/posts/{qa['member_reply']}/edit", {"body": "x"}).status_code == 404
    page = as_user("bithu2").get(LESSON_URL).get_data(as_text=True)  # binh is in bithu2's cell
    item = page[page.index(f'id="post-{qa["member_reply"]}"'):]
    assert 'class="lh-post lh-post--hidden"' in item[:300]
    assert REASON in item and "Hidden by Trần Văn Hùng" in item
    assert "Show to members again" in item


def test_a_hidden_question_takes_its_replies_with_it(app: Flask, qa, as_user) -> None:
    post(as_user("admin"), f"/posts/{qa['question']}/hide", {"reason": REASON})
    page = as_user("binh").get(LESSON_URL).get_data(as_text=True)
    assert "Chi bộ xây dựng kế hoạch" not in page and "Tôi nghĩ là" not in page
    member = as_user("binh")
    assert post(member, f"/posts/{qa['question']}/replies", {"body": "Trả lời"}).status_code == 404
    assert post(as_user("an"), f"/posts/{qa['official']}/accept").status_code == 404


def test_a_member_cannot_hide(app: Flask, qa, as_user) -> None:
    member = as_user("an")
    assert post(member, f"/posts/{qa['member_reply']}/hide", {"reason": REASON}).status_code == 403
    assert post(member, f"/posts/{qa['member_reply']}/unhide").status_code == 403
    assert fetch(app, qa["member_reply"]).hidden_at is None


def test_a_committee_member_of_another_cell_cannot_hide_cell_a_posts(app: Flask, qa, as_user) -> None:
    other = as_user("bithu2")
    assert post(other, f"/posts/{qa['question']}/hide", {"reason": REASON}).status_code == 404
    assert fetch(app, qa["question"]).hidden_at is None
    assert post(other, f"/posts/{qa['member_reply']}/hide", {"reason": REASON}).status_code == 302  # binh: cell B
    assert audit_actions(app) == [("post.hide", qa["member_reply"], "bithu2")]


def test_propagandists_moderate_the_modules_they_may_write(app: Flask, town, qa, as_user) -> None:
    propagandist = as_user("tuyentruyen")
    assert post(propagandist, f"/posts/{qa['member_reply']}/hide", {"reason": REASON}).status_code == 404
    with app.app_context():  # the module now belongs to cell A, where the propagandist writes
        db.session.scalars(sa.select(Course)).one().owner_unit_id = town["a"].id
        db.session.commit()
    assert post(propagandist, f"/posts/{qa['member_reply']}/hide", {"reason": REASON}).status_code == 302
    assert fetch(app, qa["member_reply"]).hidden_at is not None


def test_unhide_shows_the_post_again_and_is_audited(app: Flask, qa, as_user) -> None:
    secretary = as_user("bithu1")
    post(secretary, f"/posts/{qa['question']}/hide", {"reason": REASON})
    assert post(as_user("bithu2"), f"/posts/{qa['question']}/unhide").status_code == 404
    assert post(secretary, f"/posts/{qa['question']}/unhide").status_code == 302
    shown = fetch(app, qa["question"])
    assert shown.hidden_at is None and shown.hidden_by_id is None
    assert "Nghị quyết này áp dụng" in as_user("binh").get(LESSON_URL).get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "post.unhide")).one()
        assert entry.before["reason"] == REASON  # the reason stays on record
    assert [a for a, _, _ in audit_actions(app)] == ["post.hide", "post.unhide"]


def test_hiding_needs_a_reason(app: Flask, qa, as_user) -> None:
    secretary = as_user("bithu1")
    empty = post(secretary, f"/posts/{qa['question']}/hide", {"reason": "   "})
    assert empty.status_code == 400 and "Say why the post is hidden." in empty.get_data(as_text=True)
    assert post(secretary, f"/posts/{qa['question']}/hide", {"reason": "x" * 301}).status_code == 400
    assert fetch(app, qa["question"]).hidden_at is None
    assert audit_actions(app) == []


def test_hiding_twice_records_once(app: Flask, qa, as_user) -> None:
    secretary = as_user("bithu1")
    post(secretary, f"/posts/{qa['question']}/hide", {"reason": REASON})
    post(secretary, f"/posts/{qa['question']}/hide", {"reason": "Lý do khác"})
    assert fetch(app, qa["question"]).hidden_reason == REASON
    assert len(audit_actions(app)) == 1


def test_a_member_never_sees_moderation_controls(app: Flask, qa, as_user) -> None:
    write(app, "binh", "Câu hỏi khác")
    page = as_user("an").get(LESSON_URL).get_data(as_text=True)
    assert "/hide" not in page and "Questions waiting for an answer" not in page
    page = as_user("bithu1").get(LESSON_URL).get_data(as_text=True)
    assert f"/posts/{qa['question']}/hide" in page
    assert f"/posts/{qa['member_reply']}/hide" not in page  # binh is outside cell A
