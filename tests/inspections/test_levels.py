"""The levels proposed for a unit's year, and the committee's decision that the lists then follow."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.extensions import db
from learnhub.figures import Rate
from learnhub.inspections.levels import propose_level
from learnhub.inspections.models import Conclusion, Level, LevelDecision
from learnhub.settings import LEVEL_THRESHOLDS, level_thresholds, set_setting
from tests.conftest import csrf_token, login
from tests.inspections.test_evaluation import YEAR, year  # noqa: F401  (the hand-built year, a fixture)

DEFAULTS = dict(LEVEL_THRESHOLDS)


def propose(completed: int, target: float = 0.9, signals: int = 0, criticised: int = 0, thresholds=DEFAULTS):
    inspections = {Conclusion.criticise: criticised} if criticised else {}
    return propose_level(Rate(completed, 100, target), signals, inspections, thresholds)


def test_each_level_and_its_reasons(app: Flask) -> None:
    with app.test_request_context(headers={"Cookie": "lh_lang=en"}):
        excellent = propose(90)
        assert excellent is not None and excellent.level is Level.excellent
        assert excellent.reasons[0] == "Study rate 90% against a target of 90%."
        assert "no sign of formal study and no criticism" in excellent.reasons[-1]

        signalled = propose(95, signals=2)  # above target but with signs of formal study
        assert signalled.level is Level.good and "2 sign(s) of formal study." in signalled.reasons
        criticised = propose(100, criticised=1)
        assert criticised.level is Level.good and "1 inspection(s) concluded with criticism." in criticised.reasons

        completed = propose(85)  # exactly 5 points below target
        assert completed.level is Level.completed and completed.reasons[-1] == "Below target, but within 5 points of it."
        not_completed = propose(84)
        assert not_completed.level is Level.not_completed
        assert not_completed.reasons[-1] == "More than 5 points below target."
        assert propose_level(Rate(0, 0, 0.9), 0, {}, DEFAULTS) is None  # no roster: no proposal


def test_the_thresholds_are_settings(app: Flask) -> None:
    with app.test_request_context():
        assert level_thresholds() == {"excellent_margin": 0.0, "completed_margin": 5.0}
        set_setting("level_completed_margin", 10.0)
        set_setting("level_excellent_margin", 5.0)
        db.session.commit()
        thresholds = level_thresholds()
        assert propose(84, thresholds=thresholds).level is Level.completed
        assert propose(92, thresholds=thresholds).level is Level.good  # excellent needs 95% now
        assert propose(95, thresholds=thresholds).level is Level.excellent


def decide(client, unit_id: int, level: str, reason: str = "Cấp ủy xem xét lại") -> int:
    page = f"/inspections/evaluation?unit={unit_id}&year={YEAR}"
    return client.post("/inspections/evaluation/decision", data={
        "csrf_token": csrf_token(client, page), "unit": unit_id, "year": YEAR, "level": level, "reason": reason,
    }).status_code


def test_the_committee_decides_and_the_lists_follow(app: Flask, client, year: dict) -> None:  # noqa: F811
    login(client, "capuy")
    page = f"/inspections/evaluation?unit={year['root'].id}&year={YEAR}"
    # Z reached its target but rushed: proposed "well completed"; the committee criticises it
    assert decide(client, year["Z"].id, "not_completed", "Học lướt, không thực chất") == 302
    # Y was below target: proposed "not completed"; the committee finds it completed
    assert decide(client, year["Y"].id, "completed", "Có đảng viên ốm dài ngày") == 302
    html = client.get(page).get_data(as_text=True)
    criticise = html[html.index('data-testid="to-criticise"'):]
    assert criticise[:criticise.index("</dd>")].endswith(">Chi bộ Z")
    z_row = html[html.index(f'<tr data-unit="{year["Z"].id}">'):]
    z_row = z_row[:z_row.index("</tr>")]
    assert 'data-level="good"' in z_row and 'data-decided="not_completed"' in z_row
    assert "Học lướt, không thực chất" in z_row

    # recording again changes the decision; each is audited
    assert decide(client, year["Z"].id, "completed", "Đã học lại") == 302
    with app.app_context():
        decisions = db.session.scalars(sa.select(LevelDecision).order_by(LevelDecision.unit_id)).all()
        assert [(d.unit_id, d.year, d.level, d.reason) for d in decisions] == [
            (year["Y"].id, YEAR, Level.completed, "Có đảng viên ốm dài ngày"),
            (year["Z"].id, YEAR, Level.completed, "Đã học lại")]
        entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "evaluation.decide")
                                     .order_by(AuditEntry.id)).all()
        assert len(entries) == 3 and entries[-1].object_id == year["Z"].id
        assert entries[-1].before == {"level": "not_completed", "reason": "Học lướt, không thực chất"}

    # the download shows proposal, decision and reason
    sheet = client.get(f"/inspections/evaluation.csv?unit={year['root'].id}&year={YEAR}").get_data(as_text=True)
    z_line = next(line for line in sheet.splitlines() if line.startswith("Chi bộ Z"))
    assert "Hoàn thành tốt nhiệm vụ" in z_line and "Hoàn thành nhiệm vụ" in z_line and "Đã học lại" in z_line


def test_a_decision_is_scoped_and_checked(app: Flask, client, year: dict) -> None:  # noqa: F811
    out_of_scope = app.test_client()
    login(out_of_scope, "bithu2")  # the committee of cell B
    assert decide(out_of_scope, year["a"].id, "excellent") == 404
    member = app.test_client()
    login(member, "an")
    assert member.post("/inspections/evaluation/decision", data={
        "csrf_token": csrf_token(member, "/"), "unit": year["a"].id, "year": YEAR, "level": "excellent",
        "reason": "x"}).status_code == 403
    login(client, "capuy")
    assert decide(client, year["X"].id, "excellent", reason="  ") == 400  # no reason
    assert decide(client, year["X"].id, "best") == 400  # no such level
    assert decide(client, 10**6, "excellent") == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LevelDecision)) == 0


def test_the_term_pools_its_years_and_shows_the_decided_levels(app: Flask, client, year: dict) -> None:  # noqa: F811
    set_term = YEAR - 1
    with app.app_context():
        set_setting("term_start_year", set_term)
        db.session.commit()
    login(client, "capuy")
    assert decide(client, year["Z"].id, "not_completed", "Học lướt") == 302
    html = client.get(f"/inspections/term?unit={year['root'].id}").get_data(as_text=True)
    y_row = html[html.index(f'<tr data-unit="{year["Y"].id}">'):]
    y_row = y_row[:y_row.index("</tr>")]
    term_rate = y_row[y_row.index('data-testid="term-rate"'):]
    assert "90%" in term_rate and "9/10" in term_rate  # one plan in the term so far: its figures
    z_row = html[html.index(f'<tr data-unit="{year["Z"].id}">'):]
    z_row = z_row[:z_row.index("</tr>")]
    assert 'data-level="not_completed"' in z_row and 'data-mark="criticise"' in z_row
