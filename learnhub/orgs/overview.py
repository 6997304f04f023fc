"""A committee member's overview of their units: open plans and rates, follow-ups, reflections and
questions waiting, and the units nobody is responsible for; every figure aggregated in SQL."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from learnhub.auth.models import User
from learnhub.dialogue.threads import Waiting, unanswered
from learnhub.extensions import db
from learnhub.inspections.models import Inspection
from learnhub.inspections.services import open_follow_ups
from learnhub.orgs.models import Unit, UnitAssignment
from learnhub.orgs.services import unit_paths
from learnhub.plans.completion import Figures, completion_report
from learnhub.plans.models import PlanStatus, Reflection, ReflectionStatus, StudyPlan
from learnhub.security import limit_to_scope
from learnhub.settings import local_today

SHOWN = 10


@dataclass(frozen=True)
class PlanRow:
    plan: StudyPlan
    figures: Figures
    waiting_reflections: int


@dataclass
class Overview:
    plans: list[PlanRow] = field(default_factory=list)
    follow_ups: list[Inspection] = field(default_factory=list)
    overdue: int = 0
    questions: list[Waiting] = field(default_factory=list)
    unattended: list[str] = field(default_factory=list)  # paths of units nobody is responsible for


def waiting_reflections(viewer: User) -> dict[int, int]:
    """Submitted reflections not yet reviewed, by plan, of members in the viewer's scope."""
    statement = (sa.select(Reflection.plan_id, sa.func.count(Reflection.id))
                 .join(User, User.id == Reflection.user_id)
                 .where(Reflection.status == ReflectionStatus.submitted))
    rows = db.session.execute(limit_to_scope(statement, User.unit_id, viewer).group_by(Reflection.plan_id))
    return {plan_id: count for plan_id, count in rows}


def unattended_units(viewer: User) -> list[str]:
    """Paths of the live units in the viewer's scope that no committee member is assigned to."""
    assigned = sa.exists().where(UnitAssignment.unit_id == Unit.id)
    statement = sa.select(Unit.id).where(Unit.archived_at.is_(None), ~assigned)
    ids = db.session.scalars(limit_to_scope(statement, Unit.id, viewer)).all()
    if not ids:
        return []
    paths = unit_paths(ids)
    return sorted(paths[unit_id] for unit_id in ids)


def overview(viewer: User, today: dt.date | None = None) -> Overview:
    """The viewer's overview: open plans issued in their scope with their current rate, open follow-ups
    (the earliest due first), reflections and questions waiting, and the units nobody is responsible for."""
    today = today or local_today()
    plans = db.session.scalars(limit_to_scope(
        sa.select(StudyPlan).where(StudyPlan.status == PlanStatus.open), StudyPlan.unit_id, viewer,
    ).order_by(StudyPlan.due_on, StudyPlan.id)).all()
    units = {u.id: u for u in db.session.scalars(sa.select(Unit).where(Unit.id.in_({p.unit_id for p in plans})))}
    waiting = waiting_reflections(viewer)
    result = Overview(
        plans=[PlanRow(p, completion_report(p, units[p.unit_id]).total, waiting.get(p.id, 0)) for p in plans],
        follow_ups=list(db.session.scalars(open_follow_ups(viewer).limit(SHOWN))),
        questions=unanswered(viewer, limit=SHOWN),
        unattended=unattended_units(viewer),
    )
    result.overdue = db.session.scalar(
        sa.select(sa.func.count()).select_from(open_follow_ups(viewer).order_by(None)
                                               .where(Inspection.follow_up_due < today).subquery())
    ) or 0
    return result
