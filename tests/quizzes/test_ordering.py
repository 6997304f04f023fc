"""The ordering kind, added as one module and one partial: quiz.md `- [n] item` lines, partial
credit per item in its right position, tokens shuffled per attempt, the page, and GIFT's refusal."""
from __future__ import annotations

import random

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.quizzes.attempts import _paper_entry
from learnhub.quizzes.bank import Bank, QuizSettings
from learnhub.quizzes.kinds import grade, kind_of
from learnhub.quizzes.quiz_md import parse_quiz_md
from learnhub.quizzes.quiz_md_writer import export_quiz_md
from learnhub.quizzes.sync import sync_quiz
from tests.conftest import login, post
from tests.quiz_factory import ordering_question
from tests.quizzes.test_quiz_pages import paper, start

QUIZ_MD = """---
pass_score: 80
---

## Sắp xếp các bước triển khai nghị quyết {#cac-buoc} [4 điểm]

- [2] Xây dựng kế hoạch
- [1] Quán triệt
- [4] Kiểm tra, giám sát
- [3] Tổ chức thực hiện

> Quán triệt trước, kiểm tra sau cùng.
"""


def test_quiz_md_reads_items_with_their_right_positions() -> None:
    bank, problems = parse_quiz_md(QUIZ_MD)
    assert problems == [] and bank is not None
    (question,) = bank.questions
    assert (question.kind, question.id, question.points) == ("ordering", "cac-buoc", 4)
    assert question.items == ["Quán triệt", "Xây dựng kế hoạch", "Tổ chức thực hiện", "Kiểm tra, giám sát"]
    assert question.explanation == "Quán triệt trước, kiểm tra sau cùng."


@pytest.mark.parametrize("lines, message", [
    ("- [1] A\n- [3] B\n", "the items' positions must be 1 to 2, each once"),
    ("- [1] A\n- [1] B\n", "the items' positions must be 1 to 2, each once"),
    ("- [1] A\n", "an ordering question needs from 2 to 50 items"),
    ("- [1] A\n- [2] a\n", "two items have the same text"),
    ("- [1] A\n- [2]\n", "an item needs text after its [n]"),
    ("- [1] A\n- [x] B\n", "mixed answer kinds: use only choices, only '=' lines or only '->' pairs"),
])
def test_quiz_md_reports_broken_items(lines: str, message: str) -> None:
    bank, problems = parse_quiz_md(f"---\npass_score: 80\n---\n## Xếp thứ tự\n\n{lines}")
    assert bank is None and [(p.line, p.message) for p in problems] == [(4, message)]


def test_quiz_md_writes_it_back_the_same() -> None:
    bank, _ = parse_quiz_md(QUIZ_MD)
    text = export_quiz_md(bank)
    assert "- [1] Quán triệt\n- [2] Xây dựng kế hoạch\n" in text
    again, problems = parse_quiz_md(text)
    assert problems == [] and export_quiz_md(again) == text
    assert [{**q.to_dict(), "line": 0} for q in again.questions] == [{**q.to_dict(), "line": 0} for q in bank.questions]


@pytest.mark.parametrize("order, expected", [
    ([0, 1, 2, 3], 1.0), ([1, 0, 2, 3], 0.5), ([0, 1, 3, 2], 0.5), ([3, 2, 1, 0], 0.0), ([0, 0, 0, 0], 0.25),
    ([0, None, None, 3], 0.5), ([], 0.0),
])
def test_each_item_in_its_right_position_earns_its_share(order, expected) -> None:
    question = ordering_question()
    response = ["" if i is None else str(i) for i in order]
    assert grade(question, kind_of(question).check(question, response)) == expected


def test_tokens_are_shuffled_per_attempt_and_never_show_the_right_order() -> None:
    data = ordering_question().to_dict()
    orders = {tuple(_paper_entry(data, False, random.Random(seed))["items"].values()) for seed in range(40)}
    assert len(orders) > 5 and ("0", "1", "2", "3") not in orders


def make_ordering_quiz(app: Flask, make_course) -> None:
    make_course()
    with app.app_context():
        course = db.session.scalars(sa.select(Course)).one()
        sync_quiz(course, Bank(QuizSettings(pass_score=80, max_attempts=1), [ordering_question()]))
        db.session.commit()


def test_the_page_orders_by_tokens_and_grades(app: Flask, client, make_course, make_user) -> None:
    make_ordering_quiz(app, make_course)
    make_user(username="an")
    login(client, "an")
    attempt_id, html = start(client)
    (entry,) = paper(app, attempt_id)
    name = f"q-{entry['qid']}"
    assert f'name="{name}-0"' in html and f'name="{name}-3"' in html and 'value="o0"' in html
    right = {f"{name}-{position}": token for token, index in entry["items"].items() for position in [int(index)]}
    assert post(client, f"/attempts/{attempt_id}/submit", {**right, f"{name}-0": "0"}).status_code == 400
    assert post(client, f"/attempts/{attempt_id}/submit", right).status_code == 302
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "100%" in review and "1. Quán triệt" in review


def test_gift_export_refuses_an_ordering_question(app: Flask, make_course) -> None:
    make_ordering_quiz(app, make_course)
    result = app.test_cli_runner().invoke(args=["quiz", "export-gift", "nghi-quyet-thu"])
    assert result.exit_code == 1
    assert "question 'thu-tu-0': GIFT has no ordering question" in result.output
