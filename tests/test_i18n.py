"""Vietnamese by default, English on request (remembered), dates as dd/mm/yyyy in Hanoi time."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask

from learnhub.i18n import date_filter, datetime_filter
from learnhub.resources import PACKAGE_DIR
from tests.conftest import csrf_token

PO = PACKAGE_DIR / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
POT = PACKAGE_DIR / "translations" / "messages.pot"


def test_a_fresh_visit_is_in_vietnamese(client) -> None:
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Đăng nhập LearnHub" in html and "Tên đăng nhập" in html


def test_switching_to_english_is_remembered(client) -> None:
    token = csrf_token(client)
    response = client.post("/language", data={"lang": "en", "next": "/login", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Sign in to LearnHub" in html
    client.post("/language", data={"lang": "vi", "csrf_token": token})
    assert "Đăng nhập LearnHub" in client.get("/login").get_data(as_text=True)


def test_language_switch_refuses_unknown_languages_and_foreign_redirects(client) -> None:
    token = csrf_token(client)
    response = client.post("/language", data={"lang": "fr", "next": "https://evil.example/", "csrf_token": token})
    assert response.headers["Location"] == "/"
    assert '<html lang="vi">' in client.get("/login").get_data(as_text=True)


def test_the_vietnamese_catalogue_is_complete_and_compiled() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    with POT.open("rb") as handle:
        template = read_po(handle)
    with MO.open("rb") as handle:
        compiled = read_mo(handle)
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert missing == []
    assert {m.id for m in template if m.id} <= {m.id for m in catalog if m.id}
    def entries(messages) -> dict:
        as_key = lambda value: tuple(value) if isinstance(value, list | tuple) else value  # noqa: E731
        return {as_key(m.id): as_key(m.string) for m in messages if m.id}

    assert entries(catalog) == entries(compiled)


def test_every_template_string_is_in_the_template_catalogue() -> None:
    """A string added to the code without running `learnhub translate update` fails here."""
    from babel.messages.extract import extract_from_dir

    root = PACKAGE_DIR.parent
    with POT.open("rb") as handle:
        known = {m.id for m in read_po(handle) if m.id}
    found = set()
    method_map = [("learnhub/**.py", "python"), ("templates/**.html", "jinja2")]
    options_map = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
    keywords = {"_": None, "_l": None, "gettext": None, "ngettext": (1, 2)}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map, keywords=keywords,
        directory_filter=lambda path: not Path(path).name.startswith("."),
    ):
        found.add(message)
    assert {"Skip to main content", "Previous page"} <= found  # base.html and _macros/ were read
    assert found <= known, sorted(m if isinstance(m, str) else m[0] for m in found - known)


def test_dates_are_day_month_year_in_hanoi_time(app: Flask) -> None:
    with app.test_request_context("/"):
        late_evening_utc = dt.datetime(2026, 3, 4, 20, 30, tzinfo=dt.UTC)
        assert date_filter(late_evening_utc) == "05/03/2026"
        assert datetime_filter(late_evening_utc) == "05/03/2026 03:30"
        assert date_filter(dt.date(2016, 5, 15)) == "15/05/2016"


def _errors(html: str) -> list[str]:
    import re

    return [re.sub(r"<[^>]+>[^<]*</span>\s*", "", m) for m in re.findall(r'class="lh-error-message"[^>]*>(.*?)</p>', html)]


def test_wtforms_messages_are_in_the_users_language(app: Flask, town) -> None:
    from tests.conftest import login

    client = app.test_client()
    login(client, "admin")
    url = "/admin/audit?action=" + "a" * 61 + "&since=2026-13-01"
    client.set_cookie("lh_lang", "vi")
    assert _errors(client.get(url).get_data(as_text=True)) == ["Trường này không được dài quá 60 ký tự.",
                                                                "Ngày không hợp lệ."]
    client.set_cookie("lh_lang", "en")
    assert _errors(client.get(url).get_data(as_text=True)) == ["Field cannot be longer than 60 characters.",
                                                                "Not a valid date value."]


def test_every_wtforms_message_has_a_vietnamese_translation() -> None:
    """WTForms ships no Vietnamese: our catalogue carries its messages (learnhub/forms.py lists them)."""
    from wtforms.i18n import messages_path

    with (Path(messages_path()) / "wtforms.pot").open("rb") as handle:
        wtforms = {m.id for m in read_po(handle) if m.id}
    with PO.open("rb") as handle:
        ours = {m.id: m.string for m in read_po(handle) if m.id}
    internal = {"Invalid field name '%s'.", "Choices cannot be None."}  # programming errors, never shown
    missing = [m for m in wtforms - internal if not ours.get(m)]
    assert missing == []


def test_audit_entries_are_shown_in_the_readers_language(app: Flask, town) -> None:
    from learnhub import audit
    from learnhub.extensions import db
    from tests.conftest import login

    with app.app_context():
        audit.record("unit.rename", object_type="unit", object_id=town["a"].id, actor=None,
                     summary=audit.N_("renamed %(before)s to %(name)s"),
                     params={"before": "Chi bộ 1", "name": "Chi bộ Khu phố 1"})
        # a row written before audit messages existed: its English summary, shown as it is
        db.session.add(audit.AuditEntry(actor_name="admin", action="unit.move", object_type="unit",
                                        object_id=town["a"].id, summary="moved Chi bộ Khu phố 1"))
        db.session.commit()
        stored = db.session.scalar(sa.select(audit.AuditEntry).where(audit.AuditEntry.action == "unit.rename"))
        assert stored.summary == "renamed Chi bộ 1 to Chi bộ Khu phố 1"  # searchable, and for the CLI
    client = app.test_client()
    login(client, "admin")
    client.set_cookie("lh_lang", "vi")
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "đã đổi tên Chi bộ 1 thành Chi bộ Khu phố 1" in html and "renamed" not in html
    assert "moved Chi bộ Khu phố 1" in html
    client.set_cookie("lh_lang", "en")
    assert "renamed Chi bộ 1 to Chi bộ Khu phố 1" in client.get("/admin/audit").get_data(as_text=True)


def test_every_audit_message_in_the_code_is_translated() -> None:
    """Each ``audit.N_("...")`` is in the catalogue with a Vietnamese text using the same parameters."""
    import re

    from babel.messages.extract import extract_from_dir

    root = PACKAGE_DIR.parent
    marked = {message for _f, _l, message, _c, _x in extract_from_dir(
        str(root / "learnhub"), [("**.py", "python")], keywords={"N_": None})}
    assert "renamed %(before)s to %(name)s" in marked
    with PO.open("rb") as handle:
        ours = {m.id: m.string for m in read_po(handle) if m.id}
    names = lambda text: sorted(re.findall(r"%\((\w+)\)", text))  # noqa: E731
    problems = [m for m in marked if not ours.get(m) or names(ours[m]) != names(m)]
    assert problems == []
