"""Writing plans: create, change, open and close, delete a draft, copy for next year; the web and the CLI call these."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from learnhub import audit
from learnhub.auth.models import Category
from learnhub.conferences.models import Conference
from learnhub.courses.models import Course
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.inspections.models import Inspection
from learnhub.numbers import MAX_ID
from learnhub.orgs.models import Unit
from learnhub.plans.models import (
    DEFAULT_TARGET_RATE,
    Audience,
    Criterion,
    PlanCourse,
    PlanSnapshot,
    PlanStatus,
    PlanTask,
    PlanUnit,
    Reflection,
    StudyForm,
    StudyPlan,
)
from learnhub.plans.modules import plan_course_ids, plan_courses, unpublished
from learnhub.quizzes.models import Quiz, asks_questions
from learnhub.settings import local_today

DEFAULT_CATEGORIES = (Category.party_member, Category.civil_servant)
# Criteria whose records exist: every lesson studied, the quiz passed, a conference of the plan
# attended (learnhub.conferences) and the reflection accepted.
MEASURED = {Criterion.lessons, Criterion.quiz, Criterion.conference, Criterion.reflection}


class PlanRefused(ValueError):
    """A plan that cannot be saved as given; the message (in the user's language) names the rule."""


class NumberTaken(PlanRefused):
    """The document number is already used by the issuing unit in that year."""


def _check(*, opens_on: dt.date, due_on: dt.date, criteria: Sequence[Criterion], categories: Sequence[Category],
           audiences: Sequence[Audience], target_units: Sequence[Unit], target_rate: float) -> None:
    """The rules every saved plan keeps; raises PlanRefused naming the first one broken."""
    if due_on < opens_on:
        raise PlanRefused(_l("The due date must not be before the opening date."))
    if not criteria or not set(criteria) <= MEASURED:
        raise PlanRefused(_l("Choose what completes the plan: lessons, the quiz, a conference or the reflection."))
    if not categories and Audience.propagandists not in audiences:
        raise PlanRefused(_l("Choose who must study: at least one category, or propagandists."))
    if not target_units:
        raise PlanRefused(_l("Choose at least one unit"))
    if not 0 < target_rate <= 1:
        raise PlanRefused(_l("The target rate is a fraction between 0 and 1."))


def _check_number(unit_id: int, issued_on: dt.date, number: str | None, plan_id: int | None = None) -> None:
    """A document number is unique per issuing unit and year (the database holds the same rule)."""
    if not number:
        return
    taken = sa.select(StudyPlan.id).where(StudyPlan.unit_id == unit_id, StudyPlan.issued_year == issued_on.year,
                                          StudyPlan.number == number)
    if plan_id is not None:
        taken = taken.where(StudyPlan.id != plan_id)
    if db.session.scalar(taken.limit(1)) is not None:
        raise _taken(number, issued_on)


def _taken(number: str, issued_on: dt.date) -> NumberTaken:
    return NumberTaken(_l("The unit already issued a plan numbered %(number)s in %(year)d.",
                          number=number, year=issued_on.year))


def _flush_numbered(plan: StudyPlan) -> None:
    """Flush the plan: when another save took its number a moment ago, the database's unique rule
    refuses it and the author is told as by _check_number (the caller rolls back)."""
    number, issued_on = plan.number, plan.issued_on  # read before: a failed flush expires the plan
    try:
        db.session.flush()
    except IntegrityError:
        if not number:
            raise
        raise _taken(number, issued_on) from None


def _modules(courses: Sequence[Course]) -> list[PlanCourse]:
    seen: list[int] = []
    for course in courses:
        if course.id not in seen:
            seen.append(course.id)
    if not seen:
        raise PlanRefused(_l("Choose at least one study module."))
    return [PlanCourse(course_id=course_id, position=i) for i, course_id in enumerate(seen)]


def _tasks(tasks: Sequence[tuple[Unit, str]]) -> list[PlanTask]:
    return [PlanTask(unit_id=unit.id, task=text.strip(), position=i)
            for i, (unit, text) in enumerate((u, t) for u, t in tasks if t.strip())]


def create_plan(
    *,
    unit: Unit,
    title: str,
    opens_on: dt.date,
    due_on: dt.date,
    target_units: list[Unit],
    courses: Sequence[Course] = (),
    course: Course | None = None,
    criteria: tuple[Criterion, ...] = (Criterion.lessons, Criterion.quiz),
    all_required: bool = True,
    categories: tuple[Category, ...] = DEFAULT_CATEGORIES,
    audiences: tuple[Audience, ...] = (),
    target_rate: float = DEFAULT_TARGET_RATE,
    form: StudyForm = StudyForm.online,
    number: str | None = None,
    issued_on: dt.date | None = None,
    purpose: str = "",
    requirements: str = "",
    content: str = "",
    presenters: str = "",
    time_of_day: str = "",
    place: str = "",
    decoration: str = "",
    tasks: Sequence[tuple[Unit, str]] = (),
    responsible_id: int | None = None,
    include_exempted: bool = False,
) -> StudyPlan:
    """Add a draft plan covering ``courses`` (``course`` is shorthand for one); only flushes.

    A draft may cover modules that are not published yet: opening it needs every one published."""
    _check(opens_on=opens_on, due_on=due_on, criteria=criteria, categories=categories, audiences=audiences,
           target_units=target_units, target_rate=target_rate)
    issued_on = issued_on or local_today()
    number = (number or "").strip() or None
    _check_number(unit.id, issued_on, number)
    plan = StudyPlan(
        unit_id=unit.id, title=title.strip(), number=number, issued_on=issued_on, purpose=purpose,
        requirements=requirements, content=content, form=form, presenters=presenters, time_of_day=time_of_day,
        place=place, decoration=decoration, categories=[c.value for c in categories],
        audiences=[a.value for a in audiences], include_exempted=include_exempted,
        opens_on=opens_on, due_on=due_on, criteria=[c.value for c in criteria], all_required=all_required,
        target_rate=target_rate, responsible_id=responsible_id,
        target_units=[PlanUnit(unit_id=u.id) for u in target_units],
        modules=_modules(list(courses) + ([course] if course is not None else [])), tasks=_tasks(tasks),
    )
    db.session.add(plan)
    _flush_numbered(plan)
    audit.record("plan.create", object_type="plan", object_id=plan.id, summary=audit.N_("created plan %(title)s"), params={"title": plan.title})
    return plan


def set_status(plan: StudyPlan, status: PlanStatus) -> None:
    """Open or close a plan. Opening needs every module published; closing freezes its roster and
    results; reopening thaws them."""
    from learnhub.plans.completion import take_snapshot

    before = plan.status
    if status == PlanStatus.draft and before != PlanStatus.draft:  # a draft may change its modules and be deleted
        raise PlanRefused(_l("An opened plan cannot become a draft again: its members' study is on record."))
    if status != PlanStatus.draft and before == PlanStatus.draft:
        hidden = unpublished(plan_courses(plan))
        if hidden:
            raise PlanRefused(_l("The plan cannot be opened: the module “%(title)s” is not published yet.",
                                 title=hidden[0].title))
        if plan.all_required and Criterion.quiz.value in plan.criteria and not db.session.scalar(
                sa.select(sa.exists(sa.select(Quiz.id).where(Quiz.course_id.in_(plan_course_ids(plan)), asks_questions())))):
            raise PlanRefused(_l("The plan cannot be opened: it asks for the quiz and none of its modules has one. "
                                 "Untick “quiz” or give a module a quiz."))
    if status == PlanStatus.closed and before != PlanStatus.closed:
        take_snapshot(plan)  # taken while the plan still reads live figures
        plan.closed_at = utcnow()
    if status != PlanStatus.closed and before == PlanStatus.closed:
        db.session.execute(sa.delete(PlanSnapshot).where(PlanSnapshot.plan_id == plan.id),
                           execution_options={"kept": "noted"})  # the status change rebuilds the kept figures
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


def update_plan(plan: StudyPlan, *, target_units: list[Unit], courses: Sequence[Course] | None = None,
                tasks: Sequence[tuple[Unit, str]] | None = None, **values: Any) -> None:
    """Change a plan that is not closed (a closed plan's figures are frozen); only flushes.

    A draft's modules may change too; an open plan keeps its modules (its members are studying them)."""
    if plan.status == PlanStatus.closed:
        raise PlanRefused(_l("A closed plan cannot be changed."))
    if values.get("issued_on") is None:
        values.pop("issued_on", None)  # left blank: the plan keeps its date
    criteria = values.pop("criteria")
    categories = values.pop("categories")
    audiences = values.pop("audiences", tuple(Audience(a) for a in plan.audiences or []))
    _check(opens_on=values["opens_on"], due_on=values["due_on"], criteria=criteria, categories=categories,
           audiences=audiences, target_units=target_units, target_rate=values.get("target_rate", plan.target_rate))
    if "number" in values:
        values["number"] = (values["number"] or "").strip() or None
    _check_number(plan.unit_id, values.get("issued_on", plan.issued_on), values.get("number", plan.number), plan.id)
    wanted_modules = _modules(courses) if courses is not None else None
    if wanted_modules is not None and plan.status != PlanStatus.draft and \
            [m.course_id for m in wanted_modules] != [m.course_id for m in plan.modules]:
        raise PlanRefused(_l("Only a draft plan's modules can be changed."))
    before = {"title": plan.title, "due_on": plan.due_on.isoformat(), "criteria": list(plan.criteria),
              "courses": [m.course_id for m in plan.modules]}
    for key, value in values.items():
        setattr(plan, key, value)
    _flush_numbered(plan)
    plan.criteria = [c.value for c in criteria]
    plan.categories = [c.value for c in categories]
    plan.audiences = [a.value for a in audiences]
    wanted = {u.id for u in target_units}
    plan.target_units = [t for t in plan.target_units if t.unit_id in wanted] + [
        PlanUnit(unit_id=unit_id) for unit_id in wanted - {t.unit_id for t in plan.target_units}
    ]
    if wanted_modules is not None and [m.course_id for m in wanted_modules] != before["courses"]:
        plan.modules = []
        db.session.flush()  # the old rows go first: (plan, course) is unique
        plan.modules = wanted_modules
    if tasks is not None:
        plan.tasks = []
        db.session.flush()
        plan.tasks = _tasks(tasks)
    db.session.flush()
    audit.record("plan.update", object_type="plan", object_id=plan.id, summary=audit.N_("changed plan %(title)s"), params={"title": plan.title},
                 before=before, after={"title": plan.title, "due_on": plan.due_on.isoformat(),
                                       "criteria": list(plan.criteria), "courses": [m.course_id for m in plan.modules]})


def delete_plan(plan: StudyPlan) -> None:
    """Delete a draft plan with its modules, units and tasks; only flushes.

    An open or closed plan is a record of who studied: it is never deleted. Nor is a draft that
    conferences, inspections or reflections refer to."""
    if plan.status != PlanStatus.draft:
        raise PlanRefused(_l("Only a draft plan can be deleted; this one has been opened."))
    for model in (Conference, Inspection, Reflection):
        if db.session.scalar(sa.select(model.id).where(model.plan_id == plan.id).limit(1)) is not None:
            raise PlanRefused(_l("The plan cannot be deleted: conferences, inspections or reflections refer to it."))
    summary = {"title": plan.title, "number": plan.number, "courses": [m.course_id for m in plan.modules]}
    plan_id = plan.id
    db.session.delete(plan)
    db.session.flush()
    audit.record("plan.delete", object_type="plan", object_id=plan_id, summary=audit.N_("deleted draft plan %(title)s"),
                 params={"title": summary["title"]}, before=summary)


def next_year(day: dt.date) -> dt.date:
    """The same day a year later (29 February becomes 28 February); the last day there is stays."""
    if day.year >= dt.MAXYEAR:
        return day
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


COPIED = ("title", "purpose", "requirements", "content", "form", "presenters", "time_of_day", "place", "decoration",
          "categories", "audiences", "include_exempted", "criteria", "all_required", "target_rate", "responsible_id")


def copy_for_next_year(plan: StudyPlan) -> StudyPlan:
    """A new draft of the same unit with the plan's fields, modules, target units and tasks, its
    dates a year later and no number yet; only flushes."""
    copy = StudyPlan(
        unit_id=plan.unit_id, number=None, issued_on=next_year(plan.issued_on), opens_on=next_year(plan.opens_on),
        due_on=next_year(plan.due_on), status=PlanStatus.draft,
        **{name: (list(getattr(plan, name)) if name in ("categories", "audiences", "criteria") else getattr(plan, name))
           for name in COPIED},
        target_units=[PlanUnit(unit_id=t.unit_id) for t in plan.target_units],
        modules=[PlanCourse(course_id=m.course_id, position=m.position) for m in plan.modules],
        tasks=[PlanTask(unit_id=t.unit_id, task=t.task, position=t.position) for t in plan.tasks],
    )
    db.session.add(copy)
    db.session.flush()
    audit.record("plan.copy", object_type="plan", object_id=copy.id,
                 summary=audit.N_("copied plan %(title)s for next year"), params={"title": plan.title},
                 before={"plan_id": plan.id}, after={"plan_id": copy.id, "opens_on": copy.opens_on.isoformat()})
    return copy
