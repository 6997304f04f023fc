"""A review that talks back: asking notifies the reviewers, a reviewer returns the module with
comments beside its lessons and questions, the author is told and sees them, the history keeps each step."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from learnhub.authoring.models import ReviewAction, ReviewComment, ReviewEvent
from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.notifications import Notification
from tests.authoring.test_authoring_pages import M, send, signed_in
from tests.authoring.test_question_forms import add


def notified(app: Flask, kind: str) -> set[str]:
    with app.app_context():
        from learnhub.auth.models import User

        return set(db.session.scalars(sa.select(User.username).join(Notification, Notification.user_id == User.id)
                                      .where(Notification.kind == kind)))


def asked_for_review(app: Flask, author) -> str:
    """The author writes one question and asks for review; returns the question's id."""
    add(author, "Câu hỏi cần sửa?")
    with app.app_context():
        from learnhub.authoring.models import DraftFile
        from learnhub.quizzes.quiz_md import parse_quiz_md

        text = db.session.scalars(sa.select(DraftFile.text).where(DraftFile.key == "quiz.md")).one()
        qid = parse_quiz_md(text)[0].questions[0].id
    assert send(author, f"{M}/review").status_code == 302
    return qid


def test_a_returned_module_comes_back_to_its_author_with_comments_beside_the_text(app: Flask, module) -> None:
    author = module["author"]
    qid = asked_for_review(app, author)
    # the reviewers of cell A (its secretary, the town committee) are told; cell B's is not
    assert notified(app, "review_requested") == {"bithu1", "capuy"}

    outsider = signed_in(app, "bithu2")
    assert send(outsider, f"{M}/review/return", {"lesson:boi-canh-ban-hanh": "x"}).status_code == 404
    assert send(author, f"{M}/review/return", {"lesson:boi-canh-ban-hanh": "x"}).status_code == 403

    reviewer = signed_in(app, "bithu1")
    page = reviewer.get(f"{M}/review").get_data(as_text=True)
    assert f'name="question:{qid}"' in page and 'name="lesson:boi-canh-ban-hanh"' in page
    response = send(reviewer, f"{M}/review/return", {
        "lesson:boi-canh-ban-hanh": "Thêm số liệu năm 2025.", f"question:{qid}": "Phương án B chưa rõ.",
        "note": "Sửa hai chỗ rồi gửi lại."})
    assert response.status_code == 302
    assert notified(app, "review_returned") == {"tuyentruyen"}

    # the author sees each comment beside what it is about
    lesson = author.get(f"{M}/lessons/boi-canh-ban-hanh").get_data(as_text=True)
    assert "Thêm số liệu năm 2025." in lesson
    question = author.get(f"{M}/questions/{qid}/edit").get_data(as_text=True)
    assert "Phương án B chưa rõ." in question
    assert "Phương án B chưa rõ." in author.get(f"{M}/questions").get_data(as_text=True)

    # fixed, asked again, published by the reviewer: the history lists every decision
    with app.app_context():
        comment_id = db.session.scalars(sa.select(ReviewComment.id).where(ReviewComment.target_kind == "lesson")).one()
    assert send(author, f"{M}/review/comments/{comment_id}/resolve").status_code == 302
    assert "Thêm số liệu năm 2025." not in author.get(f"{M}/lessons/boi-canh-ban-hanh").get_data(as_text=True)
    assert send(author, f"{M}/review").status_code == 302
    assert send(reviewer, f"{M}/publish").status_code == 302
    assert notified(app, "review_published") == {"tuyentruyen"}
    with app.app_context():
        steps = [(e.action, e.comment_count) for e in db.session.scalars(sa.select(ReviewEvent).order_by(ReviewEvent.id))]
        assert steps == [(ReviewAction.request, 0), (ReviewAction.returned, 2), (ReviewAction.request, 0),
                         (ReviewAction.publish, 0)]
        assert db.session.scalar(sa.select(Course.published_at)) is not None
    history = author.get(f"{M}/review").get_data(as_text=True)
    assert history.count("Lê Thị Lan") >= 2  # returned, then published


def test_another_cells_author_cannot_read_the_comments(app: Flask, module) -> None:
    outsider = signed_in(app, "bithu2")
    assert outsider.get(f"{M}/review").status_code == 404


def test_review_comments_and_notes_from_the_xss_corpus_render_inert(app: Flask, module) -> None:
    from tests.test_xss_names import assert_no_executable_html, main_part
    from tests.xss import load_payloads

    payloads = load_payloads()[2::4]
    author = module["author"]
    qid = asked_for_review(app, author)
    reviewer = signed_in(app, "bithu1")
    response = send(reviewer, f"{M}/review/return", {
        "lesson:boi-canh-ban-hanh": "\n".join(payloads[:30]), f"question:{qid}": "\n".join(payloads[30:60]),
        "note": "\n".join(payloads[60:90])})
    assert response.status_code == 302
    for client, url in ((author, f"{M}/lessons/boi-canh-ban-hanh"), (author, f"{M}/questions"),
                        (author, f"{M}/questions/{qid}/edit"), (author, f"{M}/review"), (reviewer, f"{M}/review"),
                        (author, "/notifications")):
        page = client.get(url)
        assert page.status_code == 200, url
        assert_no_executable_html(main_part(page.get_data(as_text=True)), url)
