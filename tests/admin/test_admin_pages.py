"""Admin pages: the organisation's settings and the audit log with its filters."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from learnhub.audit import AuditEntry
from learnhub.auth.models import Role
from learnhub.extensions import db
from learnhub.settings import get_setting
from tests.conftest import login, persist, post

UTC = dt.UTC
DEFAULTS = {"organisation_name": "LearnHub", "public_url": "http://localhost", "authoring_review_required": False,
            "term_start_year": 2025}
NEW = {"organisation_name": "Đảng bộ Thị trấn", "public_url": "https://hoctap.example.vn", "authoring_review_required": True,
       "term_start_year": 2020}


@pytest.fixture
def signed_in(app, make_user):
    """A fresh client signed in as a new user of ``role``."""

    def make(role: Role = Role.admin, username: str | None = None):
        user = make_user(role, username=username)
        client = app.test_client()
        assert login(client, user.username).status_code == 302
        return client

    return make


def saved_settings(app) -> dict[str, str]:
    with app.app_context():
        return {key: get_setting(key) for key in DEFAULTS}


def entries(app, action: str | None = None) -> list[AuditEntry]:
    with app.app_context():
        statement = sa.select(AuditEntry).order_by(AuditEntry.id)
        if action:
            statement = statement.where(AuditEntry.action == action)
        rows = list(db.session.scalars(statement))
        db.session.expunge_all()
    return rows


def test_settings_page_shows_the_current_values(signed_in) -> None:
    response = signed_in().get("/admin/settings")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="LearnHub"' in html and 'value="http://localhost"' in html


def test_saving_settings_persists_them_and_audits_before_and_after(app, signed_in) -> None:
    client = signed_in(username="quantri")
    data = {"organisation_name": f"  {NEW['organisation_name']} ", "public_url": NEW["public_url"], "authoring_review_required": "y",
            "term_start_year": "2020"}
    response = post(client, "/admin/settings", data)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/settings"
    assert saved_settings(app) == NEW
    [entry] = entries(app, "settings.change")
    assert (entry.actor_name, entry.before, entry.after) == ("quantri", DEFAULTS, NEW)
    assert f'value="{NEW["organisation_name"]}"' in client.get("/admin/settings").get_data(as_text=True)

    post(client, "/admin/settings", {"organisation_name": "Đảng bộ Xã", "public_url": NEW["public_url"], "term_start_year": "2020"})
    assert saved_settings(app)["organisation_name"] == "Đảng bộ Xã"
    assert entries(app, "settings.change")[-1].before == NEW


@pytest.mark.parametrize(
    "changes",
    [
        {"public_url": "hoctap.example.vn"},
        {"public_url": "không phải địa chỉ"},
        {"public_url": ""},
        {"organisation_name": "   "},
        {"term_start_year": "1900"},
        {"term_start_year": "năm nay"},
        {"term_start_year": ""},
    ],
    ids=["no-scheme", "not-a-url", "empty-url", "blank-name", "term-too-early", "term-not-a-year", "term-empty"],
)
def test_invalid_settings_are_refused_and_nothing_is_saved(app, signed_in, changes) -> None:
    response = post(signed_in(), "/admin/settings", {**NEW, **changes})
    assert response.status_code == 400  # the form again, with its errors
    assert saved_settings(app) == DEFAULTS
    assert entries(app, "settings.change") == []


@pytest.mark.parametrize("role", [Role.member, Role.propagandist, Role.committee])
def test_admin_pages_are_admin_only(app, signed_in, role) -> None:
    client = signed_in(role)
    assert client.get("/admin/settings").status_code == 403
    assert client.get("/admin/audit").status_code == 403
    assert post(client, "/admin/settings", NEW).status_code == 403
    assert saved_settings(app) == DEFAULTS


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    for url in ("/admin/settings", "/admin/audit"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_saving_settings_without_csrf_token_is_refused(app, signed_in) -> None:
    assert signed_in().post("/admin/settings", data=NEW).status_code == 400
    assert saved_settings(app) == DEFAULTS


def log(app, action: str, actor: str, at: dt.datetime, summary: str) -> AuditEntry:
    return persist(app, AuditEntry(at=at, actor_name=actor, action=action, object_type="unit", object_id=None,
                                   summary=summary))


@pytest.fixture
def logged(app) -> None:
    """Four entries around midnight in Hanoi (UTC+7) between 1 and 3 May 2024."""
    log(app, "unit.create", "an", dt.datetime(2024, 5, 1, 16, 59, tzinfo=UTC), "muc-1-thang-5-cuoi-ngay")
    log(app, "unit.rename", "binh", dt.datetime(2024, 5, 1, 17, 0, tzinfo=UTC), "muc-2-thang-5-dau-ngay")
    log(app, "settings.change", "an", dt.datetime(2024, 5, 2, 16, 59, 59, tzinfo=UTC), "muc-2-thang-5-cuoi-ngay")
    log(app, "assignment.add", "command line", dt.datetime(2024, 5, 2, 17, 0, tzinfo=UTC), "muc-3-thang-5-dau-ngay")


ALL = {"muc-1-thang-5-cuoi-ngay", "muc-2-thang-5-dau-ngay", "muc-2-thang-5-cuoi-ngay", "muc-3-thang-5-dau-ngay"}


def listed(client, query: str = "") -> set[str]:
    response = client.get(f"/admin/audit{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return {summary for summary in ALL if summary in html}


def test_audit_log_lists_entries_newest_first(signed_in, logged) -> None:
    html = signed_in().get("/admin/audit").get_data(as_text=True)
    positions = [html.index(s) for s in ("muc-3-thang-5-dau-ngay", "muc-2-thang-5-cuoi-ngay", "muc-1-thang-5-cuoi-ngay")]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("?action=unit.", {"muc-1-thang-5-cuoi-ngay", "muc-2-thang-5-dau-ngay"}),
        ("?action=unit.ren", {"muc-2-thang-5-dau-ngay"}),
        ("?action=settings", {"muc-2-thang-5-cuoi-ngay"}),
        pytest.param("?action=unit_", set(), id="underscore-is-not-a-wildcard"),
        pytest.param("?action=%25", set(), id="percent-is-not-a-wildcard"),
        ("?actor=an", {"muc-1-thang-5-cuoi-ngay", "muc-2-thang-5-cuoi-ngay"}),
        ("?actor=+BINH+", {"muc-2-thang-5-dau-ngay"}),
        ("?actor=a", set()),
        ("?actor=an&action=settings", {"muc-2-thang-5-cuoi-ngay"}),
    ],
)
def test_audit_log_filters_by_action_prefix_and_actor(signed_in, logged, query, expected) -> None:
    assert listed(signed_in(), query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?since=2024-05-02&until=2024-05-02", {"muc-2-thang-5-dau-ngay", "muc-2-thang-5-cuoi-ngay"}),
        ("?since=2024-05-02", {"muc-2-thang-5-dau-ngay", "muc-2-thang-5-cuoi-ngay", "muc-3-thang-5-dau-ngay"}),
        ("?until=2024-05-01", {"muc-1-thang-5-cuoi-ngay"}),
        ("?since=2024-05-03", {"muc-3-thang-5-dau-ngay"}),
        ("?since=2024-05-04", set()),
        ("?since=2024-05-02&until=2024-05-02&actor=an", {"muc-2-thang-5-cuoi-ngay"}),
    ],
)
def test_audit_log_filters_by_day_in_hanoi_time(signed_in, logged, query, expected) -> None:
    assert listed(signed_in(), query) == expected


def test_audit_log_shows_entries_written_by_the_pages(app, signed_in) -> None:
    client = signed_in(username="quantri")
    post(client, "/admin/settings", NEW)
    html = client.get("/admin/audit?action=settings.change&actor=quantri").get_data(as_text=True)
    assert "settings.change" in html and "quantri" in html and "hoctap.example.vn" in html
