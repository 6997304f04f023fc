"""The password rules: 8 to 128 characters taken whole, nothing common or obvious, everywhere a
password is set."""
from __future__ import annotations

import gzip

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.auth import passwords
from learnhub.auth.models import User
from learnhub.auth.passwords import WeakPassword, password_problem
from learnhub.extensions import db
from learnhub.members.services import generate_temporary_password
from learnhub.orgs.models import UnitKind
from tests.conftest import PASSWORD, csrf_token, login, post


def test_the_vendored_list_holds_common_passwords_with_its_licence() -> None:
    with gzip.open(passwords.COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        entries = [line.strip() for line in handle]
    assert len(entries) >= 10_000 and {"123456", "password", "iloveyou", "qwerty123"} <= set(entries)
    licence = passwords.COMMON_PASSWORDS_FILE.with_name("COMMON-PASSWORDS-LICENSE.txt").read_text()
    assert "Django Software Foundation" in licence and "Royce Williams" in licence


@pytest.mark.parametrize("password, problem", [
    ("1234567", "too_short"),
    ("x1" * 64 + "z", "too_long"),
    ("password", "common"), ("Password1", "common"), ("iloveyou", "common"), ("qwerty123", "common"),
    ("hoctap123", "common"), ("Học tập 1", "common"), ("matkhau@1", "common"), ("LEARNHUB", "common"),
    ("aaaaaaaaaa", "too_simple"), ("abababab", "too_simple"),
])
def test_weak_passwords_are_refused(password: str, problem: str) -> None:
    assert password_problem(password) == problem


@pytest.mark.parametrize("password", [
    "hoctap2026",  # the demo's password: not in any common list
    PASSWORD, "sen no trong ao", "Tr4ng-an-99", "hoa sen " * 16,  # 128 characters
    "  dấu cách ở đầu và cuối  ",
])
def test_good_passwords_are_accepted(password: str) -> None:
    assert password_problem(password) is None


def test_the_username_is_refused_with_or_without_a_few_digits() -> None:
    for password in ("an.nguyenvan", "AnNguyenVan", "annguyenvan123", "navneyugnna"):
        assert password_problem(password, "an.nguyenvan") == "same_as_username", password
    assert password_problem("an.nguyenvan", "bithu1") is None


def test_generated_first_passwords_always_pass() -> None:
    assert all(password_problem(generate_temporary_password()) is None for _ in range(2000))


def test_long_passwords_are_never_truncated(app: Flask, client, make_user) -> None:
    long = "mot cau dai de nho " * 6 + "xong"  # 118 characters
    make_user(username="an", password=long)
    assert login(client, "an", long[:72]).status_code == 200  # bcrypt would have cut here
    assert login(client, "an", long[:-1]).status_code == 200
    assert login(client, "an", long).status_code == 302


def test_set_password_is_the_last_guard(app: Flask, ctx, make_user) -> None:
    user = db.session.get(User, make_user(username="an").id)
    with pytest.raises(WeakPassword) as refused:
        user.set_password("12345678")
    assert refused.value.problem == "common"
    assert refused.value.message() == "the password is too common or too easy to guess"


def test_the_change_form_explains_a_common_password(app: Flask, client, make_user) -> None:
    make_user(username="an")
    client.set_cookie("lh_lang", "en")
    login(client, "an")
    token = csrf_token(client, "/account/password")
    for new, message in [("password1", "This password is too common"), ("an123", "Use at least 8 characters."),
                         ("x" * 129, "at most 128"), ("aaaaaaaaaa", "more than two different characters")]:
        response = client.post("/account/password", data={"csrf_token": token, "current_password": PASSWORD,
                                                           "new_password": new, "confirm": new})
        assert response.status_code == 400 and message in response.get_data(as_text=True), new
    wrong = client.post("/account/password", data={"csrf_token": token, "current_password": "not-the-password",
                                                   "new_password": "a-good-new-passphrase", "confirm": "a-good-new-passphrase"})
    assert wrong.status_code == 400 and "The current password is not correct." in wrong.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.username == "an")).one()
        assert user.check_password(PASSWORD)


def test_the_reset_link_form_applies_the_same_rules(app: Flask, client, make_user) -> None:
    from learnhub.auth.reset_tokens import make_token

    user = make_user(username="an")
    with app.app_context():
        token = make_token(db.session.get(User, user.id))
    client.set_cookie("lh_lang", "en")
    page = post(client, f"/password/reset/{token}", {"new_password": "matkhau123", "confirm": "matkhau123"})
    assert "This password is too common" in page.get_data(as_text=True)
    done = post(client, f"/password/reset/{token}", {"new_password": "hoa sen tháng năm", "confirm": "hoa sen tháng năm"})
    assert done.status_code == 302
    assert login(client, "an", "hoa sen tháng năm").status_code == 302


def test_users_create_refuses_a_common_password_with_one_line(app: Flask, make_unit) -> None:
    make_unit("Đảng bộ Thị trấn", UnitKind.committee)
    runner = app.test_cli_runner()
    for password, message in [("qwerty123", "too common"), ("quantri1", "too common"), ("admin2026x", None)]:
        result = runner.invoke(args=["users", "create", "admin2026x", "--unit", "Đảng bộ Thị trấn"],
                               input=password + "\n")
        if message:
            assert result.exit_code == 2 and message in result.stderr, result.output
        else:
            assert result.exit_code == 2 and "must not be the username" in result.stderr
    assert runner.invoke(args=["users", "create", "admin2", "--unit", "Đảng bộ Thị trấn"],
                         input="hoctap2026\n").exit_code == 0
