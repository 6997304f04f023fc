"""Sign-in slips: each cut strip carries the address and its QR code; a warning while it is 127.0.0.1."""
from __future__ import annotations

import re

from flask import Flask

from learnhub.extensions import db
from learnhub.settings import UNCONFIGURED_PUBLIC_URL, set_setting
from tests.conftest import login, post

NOTICE = 'data-testid="public-url-unconfigured"'


def english(client):
    client.set_cookie("lh_lang", "en")
    return client


def test_slips_warn_while_the_public_address_is_the_default(app: Flask, client, town, monkeypatch) -> None:
    english(client)
    monkeypatch.setitem(app.config, "PUBLIC_URL", UNCONFIGURED_PUBLIC_URL)
    login(client, "bithu1")
    html = post(client, "/members/slips", {"unit": town["a"].id}).get_data(as_text=True)
    assert NOTICE in html and "The address members will scan is not configured." in html

    with app.app_context():
        set_setting("public_url", "https://hoctap.example.vn")
        db.session.commit()
    html = post(client, "/members/slips", {"unit": town["a"].id}).get_data(as_text=True)
    assert NOTICE not in html and "https://hoctap.example.vn" in html


def test_the_admin_is_shown_where_to_set_the_address(app: Flask, client, town, monkeypatch) -> None:
    english(client)
    monkeypatch.setitem(app.config, "PUBLIC_URL", UNCONFIGURED_PUBLIC_URL)
    login(client, "admin")
    html = post(client, "/members/slips", {"unit": town["a"].id}).get_data(as_text=True)
    assert NOTICE in html and 'href="/admin/settings"' in html


def test_each_cut_strip_carries_the_address_and_its_qr_code(app: Flask, client, town) -> None:
    with app.app_context():
        set_setting("public_url", "https://hoctap.example.vn")
        db.session.commit()
    login(client, "bithu1")
    html = post(client, "/members/slips", {"unit": town["a"].id}).get_data(as_text=True)
    strips = re.findall(r'<tr class="lh-slips__strip" data-testid="slip">(.*?)</tr>', html, re.S)
    assert len(strips) >= 2  # one strip per member of the cell
    for strip in strips:
        assert "https://hoctap.example.vn" in strip and "<svg" in strip
