"""Text typed into a form is cleaned once, for every form, so no document writer can choke on it."""
from __future__ import annotations

import io

import docx
import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.reports.docx_export import build_docx
from learnhub.reports.yearly import yearly_report
from learnhub.text import clean_text
from tests.conftest import login, post

TYPED = "Chi bo\x00\x01\x07\x08\x0b\x0c\x1b\x1f\u202e\u2066 Khu pho\x7f\x85 1"


def unit_name(app: Flask, unit_id: int) -> str:
    with app.app_context():
        return db.session.get(Unit, unit_id).name


def test_a_unit_name_typed_with_controls_is_stored_clean_and_the_docx_downloads(app: Flask, client, year) -> None:
    login(client, "capuy")
    post(client, f"/units/{year['a'].id}/rename", {"name": TYPED})
    assert unit_name(app, year["a"].id) == "Chi bo Khu pho 1"
    response = client.get(f"/reports/year.docx?unit={year['root'].id}&year=2026")
    assert response.status_code == 200
    units = [[cell.text for cell in row.cells] for row in docx.Document(io.BytesIO(response.data)).tables[-2].rows]
    assert "Chi bo Khu pho 1" in [row[0] for row in units]


def test_the_docx_writer_cleans_a_name_stored_some_other_way(app: Flask, year) -> None:
    with app.app_context():
        db.session.execute(sa.update(Unit).where(Unit.id == year["a"].id).values(name="Chi bộ\x07\x1b\u202e 1"))
        report = yearly_report(year["root"].id, 2026)
        document = docx.Document(io.BytesIO(build_docx(report)))
        db.session.rollback()
    assert "Chi bộ 1" in [row.cells[0].text for row in document.tables[-2].rows]


@pytest.mark.parametrize(("typed", "one_line", "multi_line"), [
    ("Nguye\u0302\u0303n", "Nguyễn", "Nguyễn"),  # decomposed Vietnamese becomes NFC
    ("a\tb\r\nc", "a b c", "a\tb\nc"),  # breaks kept only where the field has lines
    ("x\u202ey\u2069z\ufffe", "xyz", "xyz"),
])
def test_clean_text(typed: str, one_line: str, multi_line: str) -> None:
    assert clean_text(typed) == one_line and clean_text(typed, multiline=True) == multi_line


def test_every_form_is_a_learnhub_form() -> None:
    """A new form that forgets the base class would accept control characters again."""
    import importlib
    import pkgutil

    import flask_wtf

    import learnhub
    from learnhub.forms import FlaskForm

    for module in pkgutil.walk_packages(learnhub.__path__, "learnhub."):
        importlib.import_module(module.name)
    strays = [cls.__qualname__ for cls in _subclasses(flask_wtf.FlaskForm)
              if cls.__module__.startswith("learnhub.") and not issubclass(cls, FlaskForm)]
    assert strays == []


def _subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]


def test_a_plan_due_in_year_9999_is_refused_with_a_message(app: Flask, client, town) -> None:
    from tests.conftest import login, post

    login(client, "bithu1")
    response = post(client, "/plans/new", {"title": "Kế hoạch", "unit": town["a"].id, "target_units": [town["a"].id],
                                           "categories": ["party_member"], "opens_on": "2026-06-01",
                                           "due_on": "9999-12-31", "criteria": ["lessons"], "rule": "all",
                                           "target_percent": "98"})
    assert response.status_code in (200, 400)
    assert "Nhập một ngày trong khoảng năm 1945 đến năm 2100." in response.get_data(as_text=True)
