"""Which plans a committee member sees: those that reach any unit in their scope."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitAssignment
from learnhub.plans.models import PlanUnit, StudyPlan
from learnhub.security import scope_unit_ids


def _scope_and_ancestors(scope: sa.Select) -> sa.Select:
    """The units in scope and every unit above them (a plan for the town reaches its cells)."""
    tree = sa.select(Unit.id, Unit.parent_id).where(Unit.id.in_(scope)).cte(recursive=True)
    tree = tree.union(sa.select(Unit.id, Unit.parent_id).where(Unit.id == tree.c.parent_id))
    return sa.select(tree.c.id)


def visible_plans(viewer: User) -> sa.Select[tuple[StudyPlan]]:
    statement = sa.select(StudyPlan).order_by(StudyPlan.due_on.desc(), StudyPlan.id.desc())
    scope = scope_unit_ids(viewer)
    if scope is None:
        return statement
    reach = _scope_and_ancestors(scope)
    return statement.where(
        sa.or_(
            StudyPlan.unit_id.in_(scope),
            sa.exists(sa.select(PlanUnit.id).where(PlanUnit.plan_id == StudyPlan.id, PlanUnit.unit_id.in_(reach))),
        )
    )


def get_plan_or_404(plan_id: int, viewer: User) -> StudyPlan:
    plan = db.session.scalar(visible_plans(viewer).where(StudyPlan.id == plan_id))
    if plan is None:
        abort(404)
    return plan


def default_unit(plan: StudyPlan, viewer: User) -> int:
    """Where the dashboard opens: the issuing unit for those who oversee it, else the viewer's own units."""
    scope = scope_unit_ids(viewer)
    if scope is None or db.session.scalar(sa.select(sa.literal(True)).where(sa.literal(plan.unit_id).in_(scope))):
        return plan.unit_id
    assigned = db.session.scalar(
        sa.select(UnitAssignment.unit_id).where(UnitAssignment.user_id == viewer.id).order_by(UnitAssignment.id)
    )
    return assigned if assigned is not None else plan.unit_id
