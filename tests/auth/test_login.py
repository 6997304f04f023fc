"""Signing in and out: one message for every failure, CSRF enforced, safe redirects."""
from __future__ import annotations

from flask import Flask

from learnhub.auth.models import Role
from tests.conftest import PASSWORD, csrf_token, login, post

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def test_anonymous_home_leads_to_sign_in(client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


def test_protected_page_asks_to_sign_in_and_returns_there(client, make_user, make_course) -> None:
    make_course()
    response = client.get("/courses/nghi-quyet-thu/")
    assert response.status_code == 302
    assert "/login?next=/courses/nghi-quyet-thu/" in response.headers["Location"]
    make_user(username="an")
    token = csrf_token(client)
    response = client.post(
        "/login?next=/courses/nghi-quyet-thu/",
        data={"username": "an", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/courses/nghi-quyet-thu/"


def test_sign_in_and_sign_out(client, make_user) -> None:
    make_user(username="an", full_name="Nguyễn Văn An")
    response = login(client, "an")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Nguyễn Văn An" in client.get("/").get_data(as_text=True)
    response = post(client, "/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # signed out again


def test_username_is_not_case_sensitive(client, make_user) -> None:
    make_user(username="an")
    assert login(client, "  AN ").status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_message(client, make_user) -> None:
    make_user(username="an")
    wrong_password = login(client, "an", "sai-mat-khau").get_data(as_text=True)
    unknown_user = login(client, "khong-ai", "sai-mat-khau").get_data(as_text=True)
    assert WRONG in wrong_password and WRONG in unknown_user
    assert client.get("/").status_code == 302


def test_inactive_account_cannot_sign_in(client, make_user) -> None:
    make_user(username="nghi", active=False)
    assert WRONG in login(client, "nghi").get_data(as_text=True)


def test_sign_in_without_csrf_token_is_refused(client, make_user) -> None:
    make_user(username="an")
    response = client.post("/login", data={"username": "an", "password": PASSWORD})
    assert response.status_code == 400
    assert "Tải lại trang" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_sign_out_needs_post_with_token(client, make_user) -> None:
    make_user(username="an")
    login(client, "an")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_next_cannot_leave_the_site(client, make_user) -> None:
    make_user(username="an")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        token = csrf_token(client)
        response = client.post(f"/login?next={target}", data={"username": "an", "password": PASSWORD, "csrf_token": token})
        assert response.headers["Location"] == "/"
        post(client, "/logout")


def test_remember_me_sets_a_lasting_http_only_cookie(client, make_user) -> None:
    make_user(username="an")
    login(client, "an", remember="y")
    cookie = client.get_cookie("learnhub_remember")
    assert cookie is not None and cookie.http_only and cookie.expires is not None


def test_passwords_are_stored_hashed(app: Flask, make_user) -> None:
    user = make_user(role=Role.admin)
    assert PASSWORD not in (user.password_hash or "")
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
