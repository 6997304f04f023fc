"""QR pages and slips warn while the public address is still 127.0.0.1."""
from __future__ import annotations

import pytest
from flask import Flask

from learnhub.extensions import db
from learnhub.settings import UNCONFIGURED_PUBLIC_URL, public_url_configured, set_setting
from tests.conferences.conftest import english
from tests.conftest import login

NOTICE = 'data-testid="public-url-unconfigured"'


def test_the_public_address_is_configured_unless_it_is_the_default(app: Flask, monkeypatch) -> None:
    with app.app_context():
        monkeypatch.setitem(app.config, "PUBLIC_URL", UNCONFIGURED_PUBLIC_URL)
        assert not public_url_configured()
        set_setting("public_url", "http://127.0.0.1:5000/")
        assert not public_url_configured()
        set_setting("public_url", "https://hoctap.example.vn")
        assert public_url_configured()
        db.session.rollback()
        monkeypatch.setitem(app.config, "PUBLIC_URL", "https://hoctap.example.vn")  # LEARNHUB_PUBLIC_URL on the server
        assert public_url_configured()


@pytest.mark.parametrize("page", ["roster", "screen"])
def test_qr_pages_say_when_the_address_is_not_configured(app: Flask, client, cell_conference, page, monkeypatch) -> None:
    english(client)
    login(client, "bithu1")
    monkeypatch.setitem(app.config, "PUBLIC_URL", UNCONFIGURED_PUBLIC_URL)
    html = client.get(f"/conferences/{cell_conference}/{page}").get_data(as_text=True)
    assert NOTICE in html and "The address members will scan is not configured." in html
    assert "Ask the administrator to set the public address in Settings" in html  # a committee member

    with app.app_context():
        set_setting("public_url", "https://hoctap.example.vn")
        db.session.commit()
    html = client.get(f"/conferences/{cell_conference}/{page}").get_data(as_text=True)
    assert NOTICE not in html and "https://hoctap.example.vn/conferences/check-in/" in html


def test_the_notice_is_in_vietnamese_first(app: Flask, client, cell_conference, monkeypatch) -> None:
    login(client, "bithu1")
    monkeypatch.setitem(app.config, "PUBLIC_URL", UNCONFIGURED_PUBLIC_URL)
    html = client.get(f"/conferences/{cell_conference}/screen").get_data(as_text=True)
    assert "Địa chỉ mà đảng viên quét chưa được cấu hình." in html
