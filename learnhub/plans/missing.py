"""Who has not completed a plan yet and what each still lacks: the dashboard's list, its download
and the reminders. The kept figures (``learnhub.plans.kept``) find and order them; what each lacks,
module by module (``learnhub.plans.steps``), is computed from the raw rows of the members listed only.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from learnhub.db import IdList, kept_statement
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.plans.completion import member_progress
from learnhub.plans.kept import kept_progress, plan_shape
from learnhub.plans.models import StudyPlan
from learnhub.plans.steps import Step, remaining_steps, step_columns

STEPS_CHUNK = 1000  # members whose remaining steps one statement computes


@dataclass(frozen=True)
class MissingMember:
    user_id: int
    full_name: str
    unit_id: int
    lessons_done: int
    lessons_total: int
    quiz_passed: bool
    steps: tuple[Step, ...]  # what the member still has to do (learnhub.plans.steps)


def missing_members(plan: StudyPlan, unit: Unit, limit: int | None = None) -> list[MissingMember]:
    """Roster members who have not completed yet, with what each still lacks, in name order
    (the first ``limit`` of them: a page shows a few hundred, the download has everyone).

    The kept rows find and order them; what each lacks, module by module, is computed from the
    raw rows of the members listed only."""
    kept = kept_progress(plan, within=unit.id)
    listed = list(db.session.scalars(
        sa.select(kept.c.user_id).where(kept.c.completed_at.is_(None))
        .order_by(kept.c.unit_id, kept.c.sort_key, kept.c.user_id).limit(limit)))
    found: dict[int, Any] = {}
    # A page's few hundred: from their own raw rows. The download's tens of thousands: one pass over
    # the subtree costs less than dozens of chunks, each climbing from its members' units.
    if len(listed) > STEPS_CHUNK:
        found = {r.user_id: r for r in db.session.execute(_steps(member_progress(plan, within=unit.id)))}
    elif listed:
        statement = kept_statement(("missing_steps", *plan_shape(plan)), lambda: _steps(
            member_progress(plan, members=IdList("members"))))
        found = {r.user_id: r for r in db.session.execute(statement, {"members": listed})}
    rows = [found[user_id] for user_id in listed if user_id in found]
    return [MissingMember(r.user_id, r.full_name, r.unit_id, r.lessons_done, r.lessons_total, r.passed_at is not None,
                          remaining_steps(plan, r)) for r in rows]


def _steps(progress: sa.Subquery) -> sa.Select:
    """The not-completed rows of ``progress`` with what each lacks (``learnhub.plans.steps``)."""
    return (sa.select(progress.c.user_id, progress.c.full_name, progress.c.unit_id, *step_columns(progress))
            .where(progress.c.completed_at.is_(None)))


def progress_of_members(plan: StudyPlan, user_ids: Sequence[int], within: int | None = None) -> Iterator[sa.Subquery]:
    """``member_progress`` of these members, a chunk of ``STEPS_CHUNK`` at a time: the steps of the
    members a page or a reminder run lists, computed from the raw rows of those members only."""
    for start in range(0, len(user_ids), STEPS_CHUNK):
        yield member_progress(plan, within=within, members=user_ids[start:start + STEPS_CHUNK])
