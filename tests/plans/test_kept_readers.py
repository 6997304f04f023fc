"""Every report that reads the kept figures shows what the from-scratch computation shows: the
dashboard (rates, sub-units, the not-completed list and what each lacks, formalism signals), the
downloads, the overview, the yearly report, the evaluation, the reminders and the certificates,
on the hand-built organisation and on the demo's town."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.plans.models import PlanStatus, StudyPlan
from tests.plans.test_completion import org  # noqa: F401  (the fixture)

FORMALISM = ("studied_in_window", "rushed_in_window", "attempted_in_window", "first_pass_number",
             "first_attempt_passed", "best_percent", "reflection_in_window", "reflection_returned")


def scratch_progress(plan: StudyPlan, within: int | None = None) -> sa.Subquery:
    """What ``kept_progress`` reads, computed from the raw rows instead: ``member_progress`` (the
    completion rule) with each member's formalism figures as ``learnhub.plans.kept`` computes them."""
    from learnhub.plans.completion import member_progress
    from learnhub.plans.kept import computed

    progress = member_progress(plan, within=within)
    fresh = computed(plan).subquery()
    return (sa.select(progress, *(fresh.c[name] for name in FORMALISM))
            .join(fresh, fresh.c.user_id == progress.c.user_id).subquery("progress"))


def _plain(value: Any) -> Any:
    """Reports as comparable plain values: dataclasses as dicts, numbers compared approximately
    (PostgreSQL's averages of decimals and of floats differ in the last digits)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return pytest.approx(float(value), rel=1e-9, abs=1e-9)
    if isinstance(value, StudyPlan | Unit):
        return value.id
    return value


def _figures(plan: StudyPlan, unit: Unit, *, reports: bool) -> dict[str, Any]:
    """Every figure a committee sees for the plan at the unit, as plain values (with ``reports``,
    also the unit's yearly report and evaluation of the plan's year, and the plan's certificates)."""
    from learnhub.notify.sender import to_remind
    from learnhub.plans.completion import as_json, completion_report
    from learnhub.plans.formalism import formalism_signals
    from learnhub.plans.missing import missing_members

    figures = {
        "completion": as_json(completion_report(plan, unit)),
        "missing": _plain(missing_members(plan, unit)),
        "missing, first 3": _plain(missing_members(plan, unit, limit=3)),
        "signals": _plain(formalism_signals(plan, unit.id)),
        "reminders": _plain(list(to_remind(plan, unit.id))),
    }
    if reports:
        figures |= _reports(plan, unit)
    return figures


def _reports(plan: StudyPlan, unit: Unit) -> dict[str, Any]:
    from learnhub.contests.certificates import issue_plan_certificates
    from learnhub.contests.models import Certificate
    from learnhub.inspections.evaluation import evaluate_units
    from learnhub.reports.yearly import as_json, yearly_report

    figures = {
        "yearly": _plain(as_json(yearly_report(unit.id, plan.due_on.year, as_of=plan.due_on))),
        "evaluation": _plain(evaluate_units(unit.id, plan.due_on.year, as_of=plan.due_on + dt.timedelta(days=1))),
    }
    savepoint = db.session.begin_nested()
    issue_plan_certificates(plan, today=plan.due_on)
    figures["certificates"] = sorted(db.session.execute(
        sa.select(Certificate.user_id, Certificate.name).where(Certificate.plan_id == plan.id)).tuples().all())
    savepoint.rollback()
    return figures


@pytest.fixture
def compare(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Check that the figures read from the kept rows equal those computed from scratch."""
    from learnhub.contests import certificates
    from learnhub.inspections import evaluation
    from learnhub.notify import sender
    from learnhub.plans import kept

    def check(plan: StudyPlan, unit: Unit, reports: bool = True) -> None:
        from_kept = _figures(plan, unit, reports=reports)
        with monkeypatch.context() as patched:
            for module in (kept, evaluation, sender, certificates):
                patched.setattr(module, "kept_progress", scratch_progress)
            from_scratch = _figures(plan, unit, reports=reports)
        for name, expected in from_scratch.items():
            assert from_kept[name] == expected, f"{name} of plan {plan.id} at unit {unit.id}"

    return check


def _units_to_check(root_id: int) -> list[Unit]:
    """The top unit and each of its direct sub-units."""
    return list(db.session.scalars(sa.select(Unit).where(sa.or_(Unit.id == root_id, Unit.parent_id == root_id))
                                   .order_by(Unit.id)))


def test_the_kept_figures_equal_the_computed_ones_on_the_hand_built_organisation(
        app: Flask, org: dict, compare) -> None:  # noqa: F811
    """Each state of the plan, and study recorded while it is open, read in the same transaction."""
    from learnhub.plans.services import set_status
    from tests.plans.test_completion import BEFORE_DUE, pass_quiz, study_all

    with app.app_context():
        plan = db.session.get(StudyPlan, org["plan"])
        for status in (PlanStatus.draft, PlanStatus.open, PlanStatus.closed):
            if plan.status != status:
                set_status(plan, status)
            for unit in _units_to_check(org["town"].id):
                compare(plan, unit)
            if status == PlanStatus.open:  # a cell catches up before the plan closes
                study_all(org["people"]["b_none"].id, BEFORE_DUE)
                pass_quiz(org["people"]["a1_none"].id, BEFORE_DUE)
                compare(plan, db.session.get(Unit, org["town"].id))
        db.session.rollback()


def test_the_kept_figures_equal_the_computed_ones_on_the_demo(fresh_app: Flask, compare) -> None:
    from learnhub.demo.services import ROOT_NAME

    assert fresh_app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with fresh_app.test_request_context():
        root = db.session.scalar(sa.select(Unit).where(Unit.name == ROOT_NAME))
        plans = db.session.scalars(sa.select(StudyPlan).order_by(StudyPlan.id)).all()
        assert {plan.status for plan in plans} >= {PlanStatus.open, PlanStatus.closed}
        for plan in plans:  # the top unit (with its reports) and two cells: each plan's rows of every kind
            for unit in _units_to_check(root.id)[:3]:
                compare(plan, unit, reports=unit.id == root.id)
