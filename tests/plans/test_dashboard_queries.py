"""The dashboard's number of queries does not grow with members or units."""
from __future__ import annotations

from flask import Flask

from learnhub.auth.models import Category
from learnhub.orgs.models import UnitKind
from tests.conftest import login
from tests.plans.test_plan_pages import create


def test_dashboard_queries_do_not_grow_with_the_organisation(app: Flask, client, town, make_quiz, make_unit,
                                                             make_user, count_queries) -> None:
    make_quiz(count=6)
    login(client, "capuy")
    plan_id = create(client, town)
    client.get(f"/plans/{plan_id}")  # warm up (first-use queries such as the translations)
    with count_queries() as small:
        assert client.get(f"/plans/{plan_id}").status_code == 200
    for n in range(6):
        cell = make_unit(f"Chi bộ Mới {n}", UnitKind.cell, parent=town["root"])
        for m in range(5):
            make_user(unit=cell, full_name=f"Người Số {n}{m}", category=Category.civil_servant)
    with count_queries() as large:
        html = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "Chi bộ Mới 5" in html
    assert len(large) <= len(small), (len(small), len(large))  # never grows with members or units
