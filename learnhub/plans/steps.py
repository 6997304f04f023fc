"""What a member still has to do for a plan: the one list the member's home page, the dashboard,
the downloads and the reminders all show.

The figures come from one row of ``learnhub.plans.completion.member_progress`` (computed in SQL for
the whole roster at once); ``remaining_steps`` turns a row into the steps without a query.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from learnhub.plans.models import Criterion, ReflectionStatus, StudyPlan


class StepKind(StrEnum):
    lessons = "lessons"  # lessons left to study
    quiz = "quiz"  # the quiz to pass
    conference = "conference"  # a conference of the plan to attend
    reflection = "reflection"  # the reflection to write and submit
    returned = "returned"  # the reflection returned: to revise and submit again
    in_review = "in_review"  # the reflection submitted, awaiting the committee's review


@dataclass(frozen=True)
class Step:
    kind: StepKind
    count: int = 0  # lessons left, for StepKind.lessons

    @property
    def members_turn(self) -> bool:
        """Whether the member can do it (a reflection awaiting review waits on the committee)."""
        return self.kind != StepKind.in_review

    @property
    def text(self) -> str:
        """The step as a member reads it, in the current language."""
        if self.kind == StepKind.lessons:
            return _("%(n)d lessons to study", n=self.count)
        return {
            StepKind.quiz: _("pass the quiz"),
            StepKind.conference: _("attend a conference of the plan"),
            StepKind.reflection: _("write and submit the reflection"),
            StepKind.returned: _("revise the returned reflection and submit it again"),
            StepKind.in_review: _("the reflection awaits review"),
        }[self.kind]


def step_columns(progress: sa.Subquery) -> list[sa.ColumnElement[Any]]:
    """The columns of ``member_progress`` that ``remaining_steps`` reads."""
    return [progress.c.lessons_done, progress.c.lessons_total, progress.c.passed_at, progress.c.attended_at,
            progress.c.reflection_status, progress.c.completed_at]


def remaining_steps(plan: StudyPlan, row: Any) -> tuple[Step, ...]:
    """The steps of the plan's criteria that ``row`` (a member's progress) has not done, in the
    order of the criteria; none once completed. Under an "any of" rule, any one step completes."""
    if row.completed_at is not None:
        return ()
    steps = []
    for criterion in (Criterion(c) for c in plan.criteria):
        if criterion == Criterion.lessons and row.lessons_done < row.lessons_total:
            steps.append(Step(StepKind.lessons, row.lessons_total - row.lessons_done))
        elif criterion == Criterion.quiz and row.passed_at is None:
            steps.append(Step(StepKind.quiz))
        elif criterion == Criterion.conference and row.attended_at is None:
            steps.append(Step(StepKind.conference))
        elif criterion == Criterion.reflection and row.reflection_status != ReflectionStatus.accepted:
            steps.append(Step({ReflectionStatus.submitted: StepKind.in_review,
                               ReflectionStatus.returned: StepKind.returned}.get(row.reflection_status,
                                                                                 StepKind.reflection)))
    return tuple(steps)


def members_turn(steps: Iterable[Step]) -> bool:
    """Whether any step is the member's to do: a member only awaiting a review is not reminded."""
    return any(step.members_turn for step in steps)


def describe(steps: Iterable[Step]) -> str:
    """The steps as one line ("còn 3 bài chưa học; làm bài kiểm tra đạt")."""
    return "; ".join(step.text for step in steps)
