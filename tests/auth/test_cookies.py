"""The session and remember-me cookies: HttpOnly and SameSite=Lax always; Secure with the
"__Host-" prefix (path /, no Domain) over HTTPS."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from learnhub import create_app
from learnhub.extensions import db, limiter
from tests.conftest import PASSWORD, csrf_token


def set_cookies(response) -> dict[str, list[str]]:
    """Set-Cookie headers by cookie name, each as its lower-cased attributes."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        name_value, *attributes = [part.strip() for part in header.split(";")]
        cookies[name_value.split("=", 1)[0]] = [attribute.lower() for attribute in attributes]
    return cookies


def sign_in(client: FlaskClient, **extra: str):
    token = csrf_token(client)
    return client.post("/login", data={"username": "an", "password": PASSWORD, "csrf_token": token, **extra})


def test_cookies_over_http(client, town) -> None:
    cookies = set_cookies(sign_in(client, remember="y"))
    for name in ("learnhub", "learnhub_remember"):
        assert "httponly" in cookies[name] and "samesite=lax" in cookies[name] and "path=/" in cookies[name]
        assert "secure" not in cookies[name]  # a browser would drop it on plain HTTP
        assert not any(attribute.startswith("domain") for attribute in cookies[name])


@pytest.fixture
def https_app(database_url: str, app: Flask) -> Iterator[Flask]:
    """A second app on the test database, configured as served over HTTPS."""
    secure = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "HTTPS": True,
                         "SECRET_KEY": "tests-only-secret"})
    yield secure
    with secure.app_context():
        db.session.remove()
        db.engine.dispose()
    limiter.init_app(app)  # the limiter is shared: give it back to the main test app


def test_cookies_over_https_are_secure_host_cookies(https_app: Flask, town) -> None:
    client = https_app.test_client()
    client.environ_base.update({"wsgi.url_scheme": "https", "HTTP_REFERER": "https://localhost/login"})
    response = sign_in(client, remember="y")
    assert response.status_code == 302
    cookies = set_cookies(response)
    assert set(cookies) == {"__Host-learnhub", "__Host-learnhub_remember"}
    for attributes in cookies.values():
        assert {"secure", "httponly", "samesite=lax", "path=/"} <= set(attributes)
        assert not any(attribute.startswith("domain") for attribute in attributes)
    assert client.get("/").status_code == 200
    assert https_app.config["PREFERRED_URL_SCHEME"] == "https"


def test_a_configured_name_is_prefixed_once(database_url: str, app: Flask) -> None:
    secure = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "HTTPS": True,
                         "SECRET_KEY": "x", "SESSION_COOKIE_NAME": "__Host-hoctap"})
    assert secure.config["SESSION_COOKIE_NAME"] == "__Host-hoctap"
    with secure.app_context():
        db.engine.dispose()
    limiter.init_app(app)
