"""A large unit's kept dashboard holds plain immutable values, never a database object of one request."""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import threading
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import login, post
from tests.plans.test_completion import BEFORE_DUE, study_all
from tests.plans.test_plan_pages import create

PLAIN = (type(None), bool, int, float, Decimal, str, dt.date, dt.datetime, enum.Enum)  # Decimal: PostgreSQL sums


def _walk(value, path: str = "figures"):
    """Every value reachable from ``value`` with its path; fails on anything mutable or from the ORM."""
    assert sa.inspect(value, raiseerr=False) is None or isinstance(value, PLAIN), f"{path} is a database object"
    yield path, value
    if dataclasses.is_dataclass(value):
        assert type(value).__dataclass_params__.frozen, f"{path} ({type(value).__name__}) can be changed"
        for field in dataclasses.fields(value):
            yield from _walk(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}[{i}]")
    else:
        assert isinstance(value, PLAIN), f"{path} is a {type(value).__name__}, not a plain immutable value"


@pytest.fixture
def kept(monkeypatch):
    """Every unit counts as large, so its figures are kept; nothing kept before or after."""
    from learnhub.plans import dashboard_figures

    monkeypatch.setattr(dashboard_figures, "LIVE_UP_TO", 1)
    dashboard_figures.CACHE.clear()
    yield dashboard_figures
    dashboard_figures.CACHE.clear()


def _figures_in_own_request(app: Flask, kept, plan_id: int, unit_id: int, out: list) -> None:
    from learnhub.extensions import db
    from learnhub.orgs.models import Unit
    from learnhub.plans.models import StudyPlan

    with app.test_request_context():
        plan, unit = db.session.get(StudyPlan, plan_id), db.session.get(Unit, unit_id)
        out.append((kept.dashboard_figures(plan, unit), plan, unit))
        db.session.remove()


def test_two_requests_never_share_a_database_object_through_the_kept_dashboard(
        app: Flask, client, town, make_quiz, kept) -> None:
    from learnhub.extensions import db

    make_quiz(count=6)
    with app.app_context():
        study_all(town["member_a"].id, BEFORE_DUE)  # some study, so that a unit has formalism figures
        db.session.commit()
    login(client, "capuy")
    plan_id = create(client, town)
    post(client, f"/plans/{plan_id}/status", {"status": "open"})  # a draft plan shows no signals
    results: list = []
    for _ in range(2):  # two requests, each in its own thread with its own session
        thread = threading.Thread(target=_figures_in_own_request, args=(app, kept, plan_id, town["root"].id, results))
        thread.start()
        thread.join()
    (first, first_plan, _), (second, second_plan, _) = results
    assert second is first and first.kept  # the second request was served the kept figures
    assert first_plan is not second_plan
    reached = dict(_walk(first))
    kinds = {type(value).__name__ for value in reached.values()}
    assert {"MissingMember", "Signal", "UnitFigures", "Step"} <= kinds, kinds  # the walk saw every part
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.total = first.total  # type: ignore[misc]


def test_the_kept_dashboard_page_shows_this_requests_plan(app: Flask, client, town, make_quiz, kept) -> None:
    """The figures are kept, the plan's own details are read fresh: a new title shows at once."""
    from learnhub.extensions import db
    from learnhub.plans.models import StudyPlan

    make_quiz(count=6)
    login(client, "capuy")
    plan_id = create(client, town)
    client.set_cookie("lh_lang", "en")
    url = f"/plans/{plan_id}?unit={town['root'].id}"
    assert "Figures as of" in client.get(url).get_data(as_text=True)
    with app.app_context():
        plan = db.session.get(StudyPlan, plan_id)
        updated_at = plan.updated_at
        plan.title = "Học tập Nghị quyết mới"
        db.session.flush()
        plan.updated_at = updated_at  # same key: the kept figures are served
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Figures as of" in page and "Học tập Nghị quyết mới" in page
