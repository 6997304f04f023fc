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
    module: str = ""  # the module's title, when the plan covers several

    @property
    def members_turn(self) -> bool:
        """Whether the member can do it (a reflection awaiting review waits on the committee)."""
        return self.kind != StepKind.in_review

    @property
    def text(self) -> str:
        """The step as a member reads it, in the current language."""
        if self.kind == StepKind.lessons:
            if self.module:
                return _("%(module)s: %(n)d lessons to study", module=self.module, n=self.count)
            return _("%(n)d lessons to study", n=self.count)
        if self.kind == StepKind.quiz and self.module:
            return _("%(module)s: pass the quiz", module=self.module)
        return {
            StepKind.quiz: _("pass the quiz"),
            StepKind.conference: _("attend a conference of the plan"),
            StepKind.reflection: _("write and submit the reflection"),
            StepKind.returned: _("revise the returned reflection and submit it again"),
            StepKind.in_review: _("the reflection awaits review"),
        }[self.kind]


def step_columns(progress: sa.Subquery) -> list[sa.ColumnElement[Any]]:
    """The columns of ``member_progress`` that ``remaining_steps`` reads (with each module's own)."""
    return [progress.c.lessons_done, progress.c.lessons_total, progress.c.passed_at, progress.c.attended_at,
            progress.c.reflection_status, progress.c.completed_at,
            *(column for column in progress.c if column.name.startswith("mod"))]


def _module_steps(plan: StudyPlan, row: Any, criterion: Criterion) -> list[Step]:
    """A plan of several modules lists what is left module by module, in the plan's order."""
    steps = []
    mapping = row._mapping
    for i, module in enumerate(plan.modules):
        if f"mod{i}_done" not in mapping:
            continue
        title = module.course.title
        done, total = mapping[f"mod{i}_done"], mapping[f"mod{i}_total"]
        if criterion == Criterion.lessons and done < total:
            steps.append(Step(StepKind.lessons, total - done, module=title))
        elif criterion == Criterion.quiz and mapping[f"mod{i}_quiz"] and mapping[f"mod{i}_passed"] is None:
            steps.append(Step(StepKind.quiz, module=title))
    return steps


def remaining_steps(plan: StudyPlan, row: Any) -> tuple[Step, ...]:
    """The steps of the plan's criteria that ``row`` (a member's progress) has not done, in the
    order of the criteria; none once completed. Under an "any of" rule, any one step completes."""
    if row.completed_at is not None:
        return ()
    steps: list[Step] = []
    several = len(plan.modules) > 1
    for criterion in (Criterion(c) for c in plan.criteria):
        if criterion == Criterion.lessons and row.lessons_done < row.lessons_total:
            steps.extend(several and _module_steps(plan, row, criterion)
                         or [Step(StepKind.lessons, row.lessons_total - row.lessons_done)])
        elif criterion == Criterion.quiz and row.passed_at is None:
            steps.extend(several and _module_steps(plan, row, criterion) or [Step(StepKind.quiz)])
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
