"""When a plan counts and when its work happened: the one rule for "due on the report date" and a plan's window.

A plan counts on a date when it is closed by then or its due date has passed (the day after
``due_on``): its figures are final and go into the year's rate, the evaluation and the term view.
A plan still running on that date is shown apart with its current rate and changes nothing.
A plan's window runs from the start of ``opens_on`` to its closing (or the end of ``due_on`` while
it is open); a draft plan has none, so its signals and evaluation read nothing.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute

from learnhub.plans.models import PlanStatus, StudyPlan
from learnhub.settings import local_midnight


def _aware(moment: dt.datetime) -> dt.datetime:
    """A stored timestamp as UTC-aware (SQLite hands them back naive)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def counts_on(plan: StudyPlan, as_of: dt.date) -> bool:
    """Whether the plan's figures are final on ``as_of``: closed by the end of that day, or due before it."""
    if plan.status == PlanStatus.draft:
        return False
    if plan.due_on < as_of:
        return True
    if plan.status != PlanStatus.closed:
        return False
    # A closed plan without a closing time (written before LearnHub recorded it) is final.
    return plan.closed_at is None or _aware(plan.closed_at) < local_midnight(as_of + dt.timedelta(days=1))


def split_on(plans: list[StudyPlan], as_of: dt.date) -> tuple[list[StudyPlan], list[StudyPlan]]:
    """The plans that count on ``as_of`` and those still running then, each in the given order."""
    counted = [plan for plan in plans if counts_on(plan, as_of)]
    return counted, [plan for plan in plans if not counts_on(plan, as_of)]


def day_end(day: dt.date) -> dt.datetime:
    """The end of ``day`` in local time, as UTC (the last day there is ends at the end of time)."""
    if day == dt.date.max:
        return dt.datetime.max.replace(tzinfo=dt.UTC)
    return local_midnight(day + dt.timedelta(days=1))


def window(plan: StudyPlan) -> tuple[dt.datetime, dt.datetime] | None:
    """The plan's window as UTC instants [start, end); None for a draft plan (nothing counts)."""
    if plan.status == PlanStatus.draft:
        return None
    start = local_midnight(plan.opens_on)
    if plan.status == PlanStatus.closed and plan.closed_at is not None:
        return start, _aware(plan.closed_at)
    return start, day_end(plan.due_on)


def inside(column: sa.ColumnElement[Any] | InstrumentedAttribute[Any], plan: StudyPlan) -> sa.ColumnElement[bool]:
    """SQL: ``column`` (a stored timestamp) falls inside the plan's window; false for a draft plan."""
    bounds = window(plan)
    if bounds is None:
        return sa.false()
    return sa.and_(column >= bounds[0], column < bounds[1])
