"""Recording inspections and their follow-ups, and the queries behind the lists; every change audited."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from learnhub import audit
from learnhub.auth.models import User
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.inspections.access import inspections_in_scope
from learnhub.inspections.models import Conclusion, Inspection
from learnhub.orgs.models import Unit
from learnhub.plans.models import StudyPlan
from learnhub.security import limit_to_scope, subtree_ids

FIELDS = ("unit_id", "plan_id", "held_on", "inspectors", "findings", "conclusion", "follow_up", "follow_up_due")


class InspectionRefused(ValueError):
    """An inspection or follow-up change that breaks a rule; the message names it."""


def _state(inspection: Inspection) -> dict[str, Any]:
    """The inspection as plain JSON values, for the audit log."""
    values = {name: getattr(inspection, name) for name in (*FIELDS, "follow_up_done_at", "follow_up_note")}
    return {k: v.isoformat() if isinstance(v, dt.date) else (v.value if isinstance(v, Conclusion) else v)
            for k, v in values.items()}


def _check(held_on: dt.date, follow_up: str, follow_up_due: dt.date | None) -> None:
    if follow_up and follow_up_due is None:
        raise InspectionRefused("a follow-up needs its due date")
    if follow_up_due is not None and (not follow_up or follow_up_due < held_on):
        raise InspectionRefused("a due date needs a follow-up, on or after the inspection date")


def create_inspection(*, unit: Unit, plan: StudyPlan | None, held_on: dt.date, inspectors: str, findings: str,
                      conclusion: Conclusion, follow_up: str = "", follow_up_due: dt.date | None = None,
                      by: User | None = None) -> Inspection:
    """Record an inspection of ``unit``; only flushes."""
    follow_up = follow_up.strip()
    _check(held_on, follow_up, follow_up_due)
    inspection = Inspection(
        unit_id=unit.id, plan_id=plan.id if plan else None, held_on=held_on, inspectors=inspectors.strip(),
        findings=findings.strip(), conclusion=conclusion, follow_up=follow_up,
        follow_up_due=follow_up_due if follow_up else None, created_by_id=by.id if by else None,
    )
    db.session.add(inspection)
    db.session.flush()
    audit.record("inspection.create", object_type="inspection", object_id=inspection.id,
                 summary=audit.N_("recorded an inspection of %(name)s on %(held_on)s"), params={"name": unit.name, "held_on": f"{held_on:%d/%m/%Y}"}, after=_state(inspection))
    return inspection


def update_inspection(inspection: Inspection, *, unit: Unit, plan: StudyPlan | None, held_on: dt.date,
                      inspectors: str, findings: str, conclusion: Conclusion, follow_up: str = "",
                      follow_up_due: dt.date | None = None) -> None:
    """Change an inspection; a follow-up that is removed loses its done mark too. Only flushes."""
    follow_up = follow_up.strip()
    _check(held_on, follow_up, follow_up_due)
    before = _state(inspection)
    inspection.unit_id, inspection.plan_id, inspection.held_on = unit.id, plan.id if plan else None, held_on
    inspection.inspectors, inspection.findings = inspectors.strip(), findings.strip()
    inspection.conclusion, inspection.follow_up = conclusion, follow_up
    inspection.follow_up_due = follow_up_due if follow_up else None
    if not follow_up:
        inspection.follow_up_done_at, inspection.follow_up_note = None, ""
    db.session.flush()
    audit.record("inspection.update", object_type="inspection", object_id=inspection.id,
                 summary=audit.N_("changed the inspection of %(name)s on %(held_on)s"), params={"name": unit.name, "held_on": f"{held_on:%d/%m/%Y}"},
                 before=before, after=_state(inspection))


def delete_inspection(inspection: Inspection) -> None:
    """Delete a mistaken record; the audit log keeps what it said."""
    audit.record("inspection.delete", object_type="inspection", object_id=inspection.id,
                 summary=audit.N_("deleted the inspection of %(held_on)s"), params={"held_on": f"{inspection.held_on:%d/%m/%Y}"}, before=_state(inspection))
    db.session.delete(inspection)
    db.session.flush()


def complete_follow_up(inspection: Inspection, note: str, when: dt.datetime | None = None) -> None:
    """Mark the follow-up done with a note on what was done; refused without a follow-up or twice."""
    if not inspection.follow_up:
        raise InspectionRefused("this inspection has no follow-up")
    if inspection.follow_up_done_at is not None:
        raise InspectionRefused("the follow-up is already done")
    before = _state(inspection)
    inspection.follow_up_done_at = when or utcnow()
    inspection.follow_up_note = note.strip()
    db.session.flush()
    audit.record("inspection.follow_up_done", object_type="inspection", object_id=inspection.id,
                 summary=audit.N_("marked the follow-up done"), params={}, before=before, after=_state(inspection))


def visible_inspections(viewer: User, *, unit_id: int | None = None, year: int | None = None,
                        conclusion: Conclusion | None = None) -> sa.Select[tuple[Inspection]]:
    """Inspections of units in the viewer's scope, newest first, optionally of a unit's subtree,
    a year, a conclusion."""
    statement = inspections_in_scope(viewer)
    if unit_id is not None:
        statement = statement.where(Inspection.unit_id.in_(subtree_ids(sa.select(sa.literal(unit_id)))))
    if year is not None:
        statement = statement.where(Inspection.held_on >= dt.date(year, 1, 1), Inspection.held_on <= dt.date(year, 12, 31))
    if conclusion is not None:
        statement = statement.where(Inspection.conclusion == conclusion)
    return statement.order_by(Inspection.held_on.desc(), Inspection.id.desc())


def open_follow_ups(viewer: User) -> sa.Select[tuple[Inspection]]:
    """Follow-ups not yet done in the viewer's scope, the earliest due first."""
    return limit_to_scope(
        sa.select(Inspection).where(Inspection.follow_up != "", Inspection.follow_up_done_at.is_(None)),
        Inspection.unit_id, viewer,
    ).order_by(Inspection.follow_up_due, Inspection.id)
