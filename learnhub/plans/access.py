"""Who may see a study plan, change it, write a reflection under it or review one, and read notifications.

A plan is seen by committee members whose scope holds its issuing unit or reaches one of its target
units (a plan for the town reaches its cells); only the issuing committee changes it. A member writes
a reflection under a plan whose roster holds them; those who oversee the member review it (never
their own). Notifications are their addressee's only.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from learnhub.auth.models import User
from learnhub.courses.access import plannable_courses
from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.notifications import Notification
from learnhub.orgs.models import Unit, UnitAssignment
from learnhub.plans.completion import member_progress
from learnhub.plans.models import PlanStatus, PlanUnit, Reflection, ReflectionStatus, StudyPlan
from learnhub.security import (
    ancestor_ids,
    can_oversee,
    first_or_404,
    get_or_404,
    get_unit_in_scope_or_404,
    in_scope,
    in_scope_among,
    scope_tops,
    scope_unit_ids,
)


def visible_plans(viewer: User) -> sa.Select[tuple[StudyPlan]]:
    """The plans ``viewer`` may see, the latest due first, as a Select to filter further."""
    statement = sa.select(StudyPlan).order_by(StudyPlan.due_on.desc(), StudyPlan.id.desc())
    scope = scope_unit_ids(viewer)
    if scope is None:
        return statement
    reach = ancestor_ids(scope)
    return statement.where(
        sa.or_(
            StudyPlan.unit_id.in_(scope),
            sa.exists(sa.select(PlanUnit.id).where(PlanUnit.plan_id == StudyPlan.id, PlanUnit.unit_id.in_(reach))),
        )
    )


def may_change_plan(viewer: User, plan: StudyPlan) -> bool:
    """Edit, open or close a plan: the issuing committee (its scope holds the plan's unit)."""
    return in_scope(viewer, plan.unit_id)


def may_see_plan(viewer: User, plan: StudyPlan) -> bool:
    """visible_plans for one plan, read upwards from the plan's units: its issuing or a target unit
    in scope, or a target unit above the scope (above one of its top units). A province secretary's
    scope is never listed to judge one plan (14 to 20 ms a page at 1,000,000 members)."""
    if scope_unit_ids(viewer) is None:
        return True
    targets = [target.unit_id for target in plan.target_units]
    if in_scope_among(viewer, [plan.unit_id, *targets]):
        return True
    tops = scope_tops(viewer)
    if not (tops and targets):
        return False
    above_tops = ancestor_ids(sa.select(Unit.id).where(Unit.id.in_(tops)))
    return bool(db.session.scalar(
        sa.select(sa.func.count()).select_from(Unit).where(Unit.id.in_(targets), Unit.id.in_(above_tops))))


def get_plan_or_404(plan_id: int, viewer: User) -> StudyPlan:
    """A plan the viewer may see (may_see_plan), else 404."""
    return get_or_404(StudyPlan, plan_id, lambda plan: may_see_plan(viewer, plan))


def get_plannable_course_or_404(course_id: int, viewer: User) -> Course:
    """A module the viewer may put in a plan, published or not (courses.access.plannable_courses), else 404."""
    return first_or_404(plannable_courses(viewer).where(Course.id == course_id))


def get_changeable_plan_or_404(plan_id: int, viewer: User) -> StudyPlan:
    """A plan the viewer may change (may_change_plan), else 404."""
    plan = get_plan_or_404(plan_id, viewer)
    if not may_change_plan(viewer, plan):
        abort(404)
    return plan


def on_roster(plan: StudyPlan, user: User) -> bool:
    """Whether ``user`` must study under ``plan`` (the completion roster, frozen once closed)."""
    progress = member_progress(plan, member=user.id)
    return db.session.scalar(sa.select(progress.c.user_id).where(progress.c.user_id == user.id)) is not None


def get_own_plan_or_404(plan_id: int, member: User) -> StudyPlan:
    """A plan the member must study under (on_roster); a draft plan is not shown to members yet."""
    plan = db.session.get(StudyPlan, plan_id)
    if plan is None or plan.status == PlanStatus.draft or not on_roster(plan, member):
        abort(404)
    return plan


def may_review_reflection(viewer: User, author: User) -> bool:
    """Accept or return a reflection: those who oversee its author, never the author themselves."""
    return author.id != viewer.id and can_oversee(viewer, author)


def may_read_reflection(viewer: User, author: User) -> bool:
    """Read a submitted reflection: those who oversee its author (drafts stay private)."""
    return can_oversee(viewer, author)


def get_reflection_or_404(plan_id: int, reflection_id: int, viewer: User) -> tuple[StudyPlan, Reflection, User]:
    """A submitted (or reviewed) reflection under a plan the viewer sees, of a member they may read
    (may_read_reflection), else 404; drafts stay private."""
    plan = get_plan_or_404(plan_id, viewer)
    reflection = db.session.get(Reflection, reflection_id)
    if reflection is None or reflection.plan_id != plan.id or reflection.status == ReflectionStatus.draft:
        abort(404)
    author = db.session.get(User, reflection.user_id)
    if author is None or not may_read_reflection(viewer, author):
        abort(404)
    return plan, reflection, author


def default_unit(plan: StudyPlan, viewer: User) -> int:
    """Where the dashboard opens: the issuing unit for those who oversee it, else the viewer's own units."""
    if may_change_plan(viewer, plan):
        return plan.unit_id
    assigned = db.session.scalar(
        sa.select(UnitAssignment.unit_id).where(UnitAssignment.user_id == viewer.id).order_by(UnitAssignment.id)
    )
    return assigned if assigned is not None else plan.unit_id


def get_dashboard_unit_or_404(plan: StudyPlan, unit_id: int | None, viewer: User) -> Unit:
    """The unit whose figures a plan's pages show: the one asked for (404 outside the viewer's
    scope), else default_unit."""
    return get_unit_in_scope_or_404(unit_id or default_unit(plan, viewer), viewer)


def own_notifications(viewer: User) -> sa.Select[tuple[Notification]]:
    """The notifications addressed to ``viewer``: nobody reads another's."""
    return sa.select(Notification).where(Notification.user_id == viewer.id)
