"""Authors and committees see the visits per month of the public modules they look after."""
from __future__ import annotations

import datetime as dt
import re

from flask import Flask

from learnhub.extensions import db
from learnhub.outreach import visits
from learnhub.plans.member_plans import local_today
from tests.conftest import login
from tests.outreach.conftest import update_course


def visit(app: Flask, course_id: int, *days: dt.date) -> None:
    with app.app_context():
        for day in days:
            visits.count_visit(course_id, visits.new_token(), day)
        db.session.commit()


def cells(html: str, testid: str) -> list[str]:
    row = re.search(rf'data-testid="{testid}">(.*?)</tr>', html, re.S)
    assert row, f"no row {testid}"
    return re.findall(r'lh-table__cell--numeric">(?:<strong>)?(\d+)', row.group(1))


def make_modules(app: Flask, town, public_module) -> dict[str, int]:
    ids = {"a": public_module("cua-chi-bo-1"), "b": public_module("cua-chi-bo-2", owner=town["b"])}
    visit(app, ids["a"], dt.date(2026, 1, 3), dt.date(2026, 1, 4), dt.date(2026, 2, 1), dt.date(2025, 5, 1))
    visit(app, ids["b"], dt.date(2026, 2, 9))
    return ids


def test_the_table_counts_visits_per_month_with_totals(app: Flask, client, town, public_module) -> None:
    make_modules(app, town, public_module)
    login(client, "capuy")
    html = client.get("/outreach/visits?year=2026").get_data(as_text=True)
    assert cells(html, "visits-cua-chi-bo-1") == ["2", "1"] + ["0"] * 10 + ["3"]
    assert cells(html, "visits-cua-chi-bo-2") == ["0", "1"] + ["0"] * 10 + ["1"]
    assert cells(html, "visits-total") == ["2", "2"] + ["0"] * 10 + ["4"]
    html = client.get("/outreach/visits?year=2025").get_data(as_text=True)
    assert cells(html, "visits-total")[-1] == "1"


def test_each_viewer_sees_the_modules_in_their_scope(app: Flask, client, town, public_module) -> None:
    make_modules(app, town, public_module)
    expected = {"bithu1": {"cua-chi-bo-1"}, "bithu2": {"cua-chi-bo-2"}, "tuyentruyen": {"cua-chi-bo-1"},
                "capuy": {"cua-chi-bo-1", "cua-chi-bo-2"}, "admin": {"cua-chi-bo-1", "cua-chi-bo-2"}}
    for username, slugs in expected.items():
        viewer = app.test_client()
        login(viewer, username)
        html = viewer.get("/outreach/visits?year=2026").get_data(as_text=True)
        assert set(re.findall(r'data-testid="visits-([a-z0-9-]+)"', html)) - {"table", "total"} == slugs, username
    member = app.test_client()
    login(member, "an")
    assert member.get("/outreach/visits").status_code == 403


def test_a_module_no_longer_public_keeps_its_past_visits(app: Flask, client, town, public_module) -> None:
    ids = make_modules(app, town, public_module)
    update_course(app, "cua-chi-bo-1", public=False)
    login(client, "bithu1")
    html = client.get("/outreach/visits?year=2026").get_data(as_text=True)
    assert cells(html, "visits-cua-chi-bo-1")[-1] == "3" and "/public/cua-chi-bo-1" not in html
    html = client.get("/outreach/visits?year=2024").get_data(as_text=True)  # no visits that year: not listed
    assert "cua-chi-bo-1" not in html and ids


def test_a_bad_year_shows_the_current_year(app: Flask, client, town) -> None:
    login(client, "capuy")
    for year in ("abc", "99999", "-1"):
        response = client.get(f"/outreach/visits?year={year}")
        assert response.status_code == 200 and f'{local_today().year}' in response.get_data(as_text=True)


def test_the_page_runs_a_fixed_number_of_queries(app: Flask, client, town, public_module, count_queries) -> None:
    make_modules(app, town, public_module)
    login(client, "admin")
    with count_queries() as few:
        client.get("/outreach/visits?year=2026")
    for n in range(5):
        public_module(f"them-{n}")
    with count_queries() as many:
        client.get("/outreach/visits?year=2026")
    assert len(many) == len(few)
