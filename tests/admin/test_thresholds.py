"""Admins change the formalism thresholds; the dashboards use them at once."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.extensions import db
from learnhub.plans.formalism import current_thresholds
from tests.conftest import login, post

DEFAULTS = {"rushed_fraction": "25", "rushed_share": "30", "attempts_before_pass": "2",
            "first_attempt_pass_rate": "50", "shallow_margin": "10", "returned_share": "20"}


def test_admin_changes_the_thresholds(app: Flask, client, town) -> None:
    login(client, "admin")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'value="30.00"' in page and 'value="10.00"' in page  # shares shown as percentages
    response = post(client, "/admin/settings/thresholds", {**DEFAULTS, "rushed_share": "45", "shallow_margin": "0"})
    assert response.status_code == 302
    with app.app_context():
        thresholds = current_thresholds()
        assert thresholds["rushed_share"] == 0.45 and thresholds["shallow_margin"] == 0.0
        assert thresholds["rushed_fraction"] == 0.25
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "settings.thresholds")).one()
        assert entry.before["rushed_share"] == 0.30 and entry.after["rushed_share"] == 0.45


def test_out_of_range_thresholds_are_refused_and_nothing_changes(app: Flask, client, town) -> None:
    login(client, "admin")
    response = post(client, "/admin/settings/thresholds", {**DEFAULTS, "rushed_share": "150"})
    assert response.status_code == 400
    with app.app_context():
        assert current_thresholds()["rushed_share"] == 0.30
    committee = app.test_client()
    login(committee, "capuy")
    assert post(committee, "/admin/settings/thresholds", DEFAULTS).status_code == 403


def test_admin_changes_the_level_thresholds(app: Flask, client, town) -> None:
    from learnhub.settings import level_thresholds

    login(client, "admin")
    assert 'id="completed_margin"' in client.get("/admin/settings").get_data(as_text=True)
    assert post(client, "/admin/settings/levels", {"excellent_margin": "2", "completed_margin": "500"}).status_code == 400
    assert post(client, "/admin/settings/levels", {"excellent_margin": "2", "completed_margin": "10"}).status_code == 302
    with app.app_context():
        assert level_thresholds() == {"excellent_margin": 2.0, "completed_margin": 10.0}
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "settings.levels")).one()
        assert entry.before["completed_margin"] == 5.0 and entry.after["completed_margin"] == 10.0
    committee = app.test_client()
    login(committee, "capuy")
    assert post(committee, "/admin/settings/levels", {"excellent_margin": "0", "completed_margin": "5"}).status_code == 403
