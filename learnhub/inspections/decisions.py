"""The committee's decided level for a unit's study work in a year, recorded with its reason and audited."""
from __future__ import annotations

import sqlalchemy as sa

from learnhub.audit import N_, record
from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.inspections.models import Level, LevelDecision
from learnhub.orgs.models import Unit


def decide_level(unit: Unit, year: int, level: Level, reason: str, by: User) -> LevelDecision:
    """Record (or change) the committee's level for ``unit`` in ``year``; audited. The caller checks scope."""
    decision = db.session.scalars(
        sa.select(LevelDecision).where(LevelDecision.unit_id == unit.id, LevelDecision.year == year)).first()
    before = None if decision is None else {"level": decision.level.value, "reason": decision.reason}
    if decision is None:
        decision = LevelDecision(unit_id=unit.id, year=year, level=level, reason=reason, decided_by_id=by.id)
        db.session.add(decision)
    else:
        decision.level, decision.reason, decision.decided_by_id = level, reason, by.id
    db.session.flush()
    record("evaluation.decide", object_type="unit", object_id=unit.id,
           summary=N_("decided the level of %(unit)s for %(year)s: %(level)s"),
           params={"unit": unit.name, "year": year, "level": level.value},
           before=before, after={"level": level.value, "reason": reason}, actor=by)
    return decision
