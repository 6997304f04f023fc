"""Members ask and reply under a lesson they can see; posts are NFC text rendered once to safe HTML."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

import sqlalchemy as sa
from flask import Flask

from learnhub.dialogue import services
from learnhub.dialogue.models import Post
from learnhub.extensions import db
from tests.dialogue.conftest import LESSON_URL, fetch, post, write
from tests.xss import assert_no_executable_html, load_payloads


def posts(app: Flask) -> list[Post]:
    with app.app_context():
        found = db.session.scalars(sa.select(Post).order_by(Post.id)).all()
        db.session.expunge_all()
        return list(found)


def test_a_member_asks_and_the_question_shows_with_name_and_unit(app: Flask, course, as_user) -> None:
    member = as_user("an")
    response = post(member, f"{LESSON_URL}/questions", {"body": "Xin hỏi **điểm mới** của Nghị quyết?"})
    (question,) = posts(app)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{LESSON_URL}#post-{question.id}")
    assert question.body_html == "<p>Xin hỏi <strong>điểm mới</strong> của Nghị quyết?</p>"
    page = as_user("binh").get(LESSON_URL).get_data(as_text=True)
    item = page[page.index(f'id="post-{question.id}"'):]
    assert "<strong>điểm mới</strong>" in item
    assert "Nguyễn Văn An" in item and "Chi bộ Khu phố 1" in item


def test_questions_newest_first_and_replies_oldest_first(app: Flask, course, as_user) -> None:
    first = write(app, "an", "Câu hỏi thứ nhất")
    second = write(app, "binh", "Câu hỏi thứ hai")
    early = write(app, "capuy", "Trả lời sớm", parent=first)
    late = write(app, "binh", "Trả lời muộn", parent=first)
    with app.app_context():  # same-second timestamps must not decide the order
        now = dt.datetime.now(dt.UTC)
        for post_id, minutes in ((first, 10), (second, 5), (early, 4), (late, 1)):
            db.session.get(Post, post_id).created_at = now - dt.timedelta(minutes=minutes)
        db.session.commit()
    page = as_user("an").get(LESSON_URL).get_data(as_text=True)
    order = [int(n) for n in re.findall(r'id="post-(\d+)"', page)]
    assert order == [second, first, early, late]


def test_empty_and_oversized_posts_are_refused_with_400(app: Flask, course, as_user) -> None:
    member = as_user("an")
    empty = post(member, f"{LESSON_URL}/questions", {"body": "  \r\n\x00\t "})
    assert empty.status_code == 400
    assert "Write your question." in empty.get_data(as_text=True)
    long = "ạ" * (services.MAX_BODY + 1)
    oversized = post(member, f"{LESSON_URL}/questions", {"body": long})
    assert oversized.status_code == 400
    assert "Write at most 5000 characters." in oversized.get_data(as_text=True)
    assert long in oversized.get_data(as_text=True)  # what was written is kept to be shortened
    question = write(app, "an", "Câu hỏi")
    assert post(member, f"/posts/{question}/replies", {"body": ""}).status_code == 400
    assert len(posts(app)) == 1
    exact = post(member, f"{LESSON_URL}/questions", {"body": "a" * services.MAX_BODY})
    assert exact.status_code == 302


def test_text_is_stored_nfc_without_control_characters(app: Flask, course, as_user) -> None:
    decomposed = unicodedata.normalize("NFD", "Nghị quyết số 57")
    assert decomposed != "Nghị quyết số 57"
    post(as_user("an"), f"{LESSON_URL}/questions", {"body": f"  {decomposed}\x00\x07\r\n"})
    (question,) = posts(app)
    assert question.body == "Nghị quyết số 57"


def test_posting_a_sample_of_the_xss_corpus_stores_and_shows_only_harmless_markup(app: Flask, course, as_user) -> None:
    member = as_user("an")
    sample = load_payloads()[::9]
    assert len(sample) >= 30
    refused = []
    for payload in sample:
        status = post(member, f"{LESSON_URL}/questions", {"body": payload}).status_code
        if status == 400:
            refused.append(payload)
        else:
            assert status == 302, payload
    assert all(not services.clean_text(p) for p in refused)  # only the blank ones
    stored = posts(app)
    assert len(stored) == len(sample) - len(refused)
    page = member.get(LESSON_URL).get_data(as_text=True)
    for item in stored:
        assert_no_executable_html(item.body_html, item.body)
        assert item.body_html in page  # the page shows exactly the sanitised HTML


def test_a_member_cannot_post_under_a_module_of_another_unit(app: Flask, town, make_course, as_user) -> None:
    make_course(slug="chi-bo-mot")
    with app.app_context():
        from learnhub.courses.models import Course

        db.session.scalars(sa.select(Course)).one().owner_unit_id = town["a"].id
        db.session.commit()
    url = "/courses/chi-bo-mot/bai-1"
    outsider = as_user("binh")
    assert outsider.get(url).status_code == 404
    assert post(outsider, f"{url}/questions", {"body": "Tôi hỏi được không?"}).status_code == 404
    question = write(app, "an", "Câu hỏi của chi bộ", course_slug="chi-bo-mot")
    assert post(outsider, f"/posts/{question}/replies", {"body": "Trả lời"}).status_code == 404
    assert post(as_user("an"), f"{url}/questions", {"body": "Câu hỏi"}).status_code == 302
    assert len(posts(app)) == 2


def test_an_archived_lesson_takes_no_posts(app: Flask, course, as_user) -> None:
    question = write(app, "an", "Câu hỏi")
    with app.app_context():
        from learnhub.courses.models import Lesson

        db.session.scalars(sa.select(Lesson).where(Lesson.slug == "bai-1")).one().archived_at = dt.datetime.now(dt.UTC)
        db.session.commit()
    member = as_user("an")
    assert post(member, f"{LESSON_URL}/questions", {"body": "Câu hỏi"}).status_code == 404
    assert post(member, f"/posts/{question}/replies", {"body": "Trả lời"}).status_code == 404


def test_the_author_edits_within_fifteen_minutes_and_the_edit_is_shown(app: Flask, course, as_user) -> None:
    question = write(app, "an", "Câu hỏi có lỗi chính tả")
    member = as_user("an")
    assert f'href="/posts/{question}/edit"' in member.get(LESSON_URL).get_data(as_text=True)
    assert member.get(f"/posts/{question}/edit").status_code == 200
    assert post(member, f"/posts/{question}/edit", {"body": "Câu hỏi đã sửa"}).status_code == 302
    edited = fetch(app, question)
    assert edited.body == "Câu hỏi đã sửa" and edited.body_html == "<p>Câu hỏi đã sửa</p>"
    assert edited.edited_at is not None
    assert "(edited " in member.get(LESSON_URL).get_data(as_text=True)
    assert post(member, f"/posts/{question}/edit", {"body": " "}).status_code == 400
    with app.app_context():
        db.session.get(Post, question).created_at -= dt.timedelta(minutes=16)
        db.session.commit()
    late = post(member, f"/posts/{question}/edit", {"body": "Sửa muộn"})
    assert late.status_code == 302
    assert fetch(app, question).body == "Câu hỏi đã sửa"
    assert member.get(f"/posts/{question}/edit").status_code == 302
    assert f'href="/posts/{question}/edit"' not in member.get(LESSON_URL).get_data(as_text=True)


def test_nobody_edits_someone_elses_post(app: Flask, course, as_user) -> None:
    question = write(app, "an", "Câu hỏi của An")
    for username in ("binh", "capuy", "admin"):
        client = as_user(username)
        assert client.get(f"/posts/{question}/edit").status_code == 403
        assert post(client, f"/posts/{question}/edit", {"body": "Đổi"}).status_code == 403
    assert fetch(app, question).body == "Câu hỏi của An"


def test_the_edit_window_in_the_service(app: Flask, course) -> None:
    question = write(app, "an", "Câu hỏi")
    with app.test_request_context():
        from tests.dialogue.conftest import user

        item = db.session.get(Post, question)
        author = user("an")
        services.edit(item, editor=author, body="Trong hạn", now=item.created_at + dt.timedelta(minutes=15))
        assert item.body == "Trong hạn"
        try:
            services.edit(item, editor=author, body="Quá hạn", now=item.created_at + dt.timedelta(minutes=15, seconds=1))
        except services.PostRefused:
            pass
        else:
            raise AssertionError("an edit after 15 minutes was accepted")
        assert item.body == "Trong hạn"


def test_the_thread_costs_the_same_queries_however_long(app: Flask, course, count_queries, as_user) -> None:
    write(app, "an", "Câu hỏi")
    member = as_user("an")
    member.get(LESSON_URL)  # the first opening also records progress
    with count_queries() as few:
        member.get(LESSON_URL)
    for n in range(6):
        q = write(app, "binh", f"Câu hỏi {n}")
        write(app, "capuy", "Trả lời", parent=q)
    with count_queries() as many:
        member.get(LESSON_URL)
    assert len(many) == len(few)



def test_a_post_cannot_take_the_pages_anchors_or_label_targets(app: Flask, course, as_user) -> None:
    member = as_user("an")
    post(member, f"{LESSON_URL}/questions", {"body": '<b id="question-body-hint">x</b> <i id="post-1">y</i>'})
    (question,) = posts(app)
    assert question.body_html == "<p><b>x</b> <i>y</i></p>"
    page = member.get(LESSON_URL).get_data(as_text=True)
    assert page.count('id="question-body-hint"') == 1 and page.count('id="post-1"') == 1
