"""A citizen enters a contest from a phone: the contest page, the entry form (with consent), the
paper and its tie-break question, the result; every page passes axe-core."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from learnhub.contests.models import ContestEntry
from learnhub.extensions import db
from tests.contests.conftest import make_contest
from tests.e2e.conftest import assert_accessible


@pytest.fixture
def quick_form(monkeypatch):
    monkeypatch.setattr("learnhub.contests.forms.MIN_FILL_SECONDS", 0)


@pytest.fixture
def contest(app, town, make_quiz) -> int:
    return make_contest(app, town, make_quiz)


def test_a_citizen_enters_from_a_phone(app: Flask, live_server: str, phone: Page, contest, quick_form) -> None:
    phone.goto(f"{live_server}/contest/{contest}")
    assert_accessible(phone)
    phone.get_by_test_id("enter").click()
    assert_accessible(phone)
    phone.get_by_label(re.compile("^(Full name|Họ và tên)$")).fill("Trần Thị Mai")
    phone.get_by_label(re.compile("^(Year of birth|Năm sinh)")).fill("1988")
    phone.get_by_label(re.compile("^(Mobile phone number|Số điện thoại di động)")).fill("0987 654 321")
    phone.get_by_label(re.compile("^(Or your organisation|Hoặc cơ quan)")).fill("Hội Phụ nữ")
    phone.get_by_label(re.compile("13/2023")).check()
    phone.get_by_test_id("start").click()
    expect(phone.get_by_test_id("submit")).to_be_visible()
    assert_accessible(phone)
    phone.locator("input[name=prediction]").fill("7")
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("entry-result")).to_be_visible()
    assert_accessible(phone)
    with app.app_context():
        entry = db.session.scalars(sa.select(ContestEntry)).one()
        assert entry.submitted_at is not None and entry.prediction == 7 and entry.phone == "+84987654321"
    phone.goto(f"{live_server}/contest/{contest}/results")
    assert_accessible(phone)
