"""Conference times follow the TIMEZONE setting: the form reads them in it, the year's figures count by it."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from learnhub.conferences.figures import held_conferences
from learnhub.conferences.models import Conference
from learnhub.extensions import db
from tests.conferences.conftest import english, make_conference
from tests.conferences.test_planning import form_data
from tests.conftest import login, post

TOKYO = dt.timezone(dt.timedelta(hours=9))  # no daylight saving: a fixed offset to check against


def test_the_conference_form_reads_times_in_the_configured_time_zone(app: Flask, client, town, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "TIMEZONE", "Asia/Tokyo")
    login(english(client), "bithu1")
    assert post(client, "/conferences/new", form_data(town)).status_code == 302
    with app.app_context():
        conference = db.session.scalars(sa.select(Conference)).one()
        assert conference.starts_at == dt.datetime(2026, 12, 1, 8, 0, tzinfo=TOKYO)  # 23:00 UTC the day before
        conference_id = conference.id
    edit = client.get(f"/conferences/{conference_id}/edit").get_data(as_text=True)
    assert 'value="2026-12-01T08:00"' in edit  # shown back in the same zone


def test_the_years_conferences_start_at_midnight_in_the_configured_time_zone(app: Flask, town, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "TIMEZONE", "Asia/Tokyo")
    with app.app_context():
        new_year = make_conference(town["root"].id, [town["root"].id],
                                   starts_at=dt.datetime(2026, 1, 1, 0, 30, tzinfo=TOKYO).astimezone(dt.UTC))
        held = db.session.scalars(held_conferences(town["root"].id, dt.date(2026, 1, 1), dt.date(2026, 12, 31),
                                                   now=dt.datetime(2026, 7, 1, tzinfo=dt.UTC))).all()
        assert held == [new_year]


def test_only_settings_builds_a_time_zone() -> None:
    package = Path(__file__).resolve().parents[2] / "learnhub"
    builders = [str(path.relative_to(package)) for path in package.rglob("*.py")
                if "ZoneInfo(" in path.read_text(encoding="utf-8")]
    assert builders == ["settings.py"]
