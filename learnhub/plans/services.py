"""Creating plans and changing their status; the web and the CLI call these."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from learnhub import audit
from learnhub.auth.models import Category
from learnhub.courses.models import Course
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.numbers import MAX_ID
from learnhub.orgs.models import Unit
from learnhub.plans.models import (
    DEFAULT_TARGET_RATE,
    Criterion,
    PlanSnapshot,
    PlanStatus,
    PlanUnit,
    StudyForm,
    StudyPlan,
)

DEFAULT_CATEGORIES = (Category.party_member, Category.civil_servant)
# Criteria whose records exist: every lesson studied, the quiz passed, a conference of the plan
# attended (learnhub.conferences) and the reflection accepted.
MEASURED = {Criterion.lessons, Criterion.quiz, Criterion.conference, Criterion.reflection}


class PlanRefused(ValueError):
    """A plan that cannot be saved as given; the message names the rule."""


def create_plan(
    *,
    unit: Unit,
    course: Course,
    title: str,
    opens_on: dt.date,
    due_on: dt.date,
    target_units: list[Unit],
    criteria: tuple[Criterion, ...] = (Criterion.lessons, Criterion.quiz),
    all_required: bool = True,
    categories: tuple[Category, ...] = DEFAULT_CATEGORIES,
    target_rate: float = DEFAULT_TARGET_RATE,
    form: StudyForm = StudyForm.online,
    number: str = "",
    purpose: str = "",
    requirements: str = "",
    presenters: str = "",
    place: str = "",
    responsible_id: int | None = None,
    include_exempted: bool = False,
) -> StudyPlan:
    """Add a draft plan; only flushes."""
    if due_on < opens_on:
        raise PlanRefused("the due date is before the opening date")
    if not criteria or not set(criteria) <= MEASURED:
        raise PlanRefused("the completion rule needs lessons, the quiz, a conference or the reflection")
    if not categories or not target_units:
        raise PlanRefused("a plan needs target units and categories")
    if not 0 < target_rate <= 1:
        raise PlanRefused("the target rate is a fraction between 0 and 1")
    plan = StudyPlan(
        unit_id=unit.id, course_id=course.id, title=title.strip(), number=number, purpose=purpose,
        requirements=requirements, form=form, presenters=presenters, place=place,
        categories=[c.value for c in categories], include_exempted=include_exempted,
        opens_on=opens_on, due_on=due_on, criteria=[c.value for c in criteria], all_required=all_required,
        target_rate=target_rate, responsible_id=responsible_id,
        target_units=[PlanUnit(unit_id=u.id) for u in target_units],
    )
    db.session.add(plan)
    db.session.flush()
    audit.record("plan.create", object_type="plan", object_id=plan.id, summary=audit.N_("created plan %(title)s"), params={"title": plan.title})
    return plan


def set_status(plan: StudyPlan, status: PlanStatus) -> None:
    """Open or close a plan. Closing freezes its roster and results; reopening thaws them."""
    from learnhub.plans.completion import take_snapshot

    before = plan.status
    if status == PlanStatus.closed and before != PlanStatus.closed:
        take_snapshot(plan)  # taken while the plan still reads live figures
        plan.closed_at = utcnow()
    if status != PlanStatus.closed and before == PlanStatus.closed:
        db.session.execute(sa.delete(PlanSnapshot).where(PlanSnapshot.plan_id == plan.id))
        plan.closed_at = None
    plan.status = status
    audit.record("plan.status", object_type="plan", object_id=plan.id, summary=audit.N_("%(title)s: %(value)s"), params={"title": plan.title, "value": status.value},
                 before={"status": before.value}, after={"status": status.value})


def find_plan(spec: str) -> StudyPlan | None:
    """A plan by id, or by its exact title when that is unambiguous."""
    if spec.isascii() and spec.isdigit():
        return db.session.get(StudyPlan, int(spec)) if len(spec) <= 10 and int(spec) <= MAX_ID else None
    found = db.session.scalars(sa.select(StudyPlan).where(StudyPlan.title == spec)).all()
    return found[0] if len(found) == 1 else None


def update_plan(plan: StudyPlan, *, target_units: list[Unit], **values) -> None:
    """Change a plan that is not closed (a closed plan's figures are frozen); only flushes."""
    if plan.status == PlanStatus.closed:
        raise PlanRefused("a closed plan cannot be changed")
    if values["due_on"] < values["opens_on"]:
        raise PlanRefused("the due date is before the opening date")
    criteria = values.pop("criteria")
    categories = values.pop("categories")
    if not criteria or not set(criteria) <= MEASURED or not categories or not target_units:
        raise PlanRefused("a plan needs a completion rule, target units and categories")
    before = {"title": plan.title, "due_on": plan.due_on.isoformat(), "criteria": list(plan.criteria)}
    for key, value in values.items():
        setattr(plan, key, value)
    plan.criteria = [c.value for c in criteria]
    plan.categories = [c.value for c in categories]
    wanted = {u.id for u in target_units}
    plan.target_units = [t for t in plan.target_units if t.unit_id in wanted] + [
        PlanUnit(unit_id=unit_id) for unit_id in wanted - {t.unit_id for t in plan.target_units}
    ]
    db.session.flush()
    audit.record("plan.update", object_type="plan", object_id=plan.id, summary=audit.N_("changed plan %(title)s"), params={"title": plan.title},
                 before=before, after={"title": plan.title, "due_on": plan.due_on.isoformat(),
                                       "criteria": list(plan.criteria)})
