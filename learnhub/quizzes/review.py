"""Review options, as Moodle's: what a member sees after an attempt (score, which questions were
right, the right answers, feedback), set per quiz for three moments: while attempts remain, after
the last attempt, and after the study plan closed (its due date passed)."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from learnhub.auth.models import User
from learnhub.extensions import db


class Shown(StrEnum):
    score = "score"  # the percentage, the points and passed / not passed
    correctness = "correctness"  # which questions were right, partly right or wrong
    answers = "answers"  # the right answers
    feedback = "feedback"  # the explanation written for the question


class Phase(StrEnum):
    attempts_remain = "while_attempts_remain"
    last_attempt = "after_last_attempt"
    closed = "after_close"


EVERYTHING = frozenset(Shown)
RESULT = frozenset({Shown.score, Shown.correctness})
Options = dict[Phase, frozenset[Shown]]

# The default never hands out the right answers while the member may still use them.
DEFAULT: Options = {Phase.attempts_remain: RESULT, Phase.last_attempt: EVERYTHING, Phase.closed: EVERYTHING}
# The single words of earlier quiz files. "always" and "after_pass" showed the right answers after
# any attempt (so for the next one too); both now mean the default.
LEGACY: dict[str, Options] = {
    "always": DEFAULT,
    "after_pass": DEFAULT,
    "never": {phase: RESULT for phase in Phase},
}
WANTED = ("always, after_pass, never, or a mapping of while_attempts_remain, after_last_attempt and "
          "after_close to lists of score, correctness, answers and feedback")


def review_problem(value: Any) -> str | None:
    """What is wrong with a quiz's ``review`` setting (None when it is valid)."""
    if isinstance(value, str):
        return None if value in LEGACY else f"unknown review mode '{value[:40]}'"
    if not isinstance(value, dict) or not value:
        return "not a mode or a mapping"
    for key, shown in value.items():
        if key not in set(Phase):
            return f"unknown moment '{str(key)[:40]}'"
        if not isinstance(shown, list) or not all(isinstance(s, str) and s in set(Shown) for s in shown):
            return f"'{key}' must be a list of score, correctness, answers and feedback"
        if len(set(shown)) != len(shown):
            return f"'{key}' names something twice"
    return None


def valid_review(value: Any) -> bool:
    """Whether ``value`` is a valid ``review`` setting."""
    return review_problem(value) is None


def review_options(value: Any) -> Options:
    """The options of a ``review`` setting; moments a mapping leaves out keep the default."""
    if isinstance(value, str):
        return LEGACY.get(value, DEFAULT)
    if not valid_review(value):
        return DEFAULT
    return {phase: frozenset(Shown(s) for s in value[phase.value]) if phase.value in value else DEFAULT[phase]
            for phase in Phase}


def legacy_review(value: Any) -> str:
    """The setting as the attempt row keeps it (a single word; "custom" for a mapping)."""
    return value if isinstance(value, str) else "custom"


def review_yaml(value: Any) -> list[str]:
    """The ``review`` setting as front-matter lines (quiz.md writes it back with this)."""
    if isinstance(value, str):
        return [f"review: {value}"]
    return ["review:", *(f"  {phase.value}: [{', '.join(value[phase.value])}]" for phase in Phase
                         if phase.value in value)]


def phase(attempts_left: int | None, in_progress: bool, closed: bool) -> Phase:
    """The moment a member is in: the plan closed, no attempt left (none under way), or neither."""
    if closed:
        return Phase.closed
    if attempts_left == 0 and not in_progress:
        return Phase.last_attempt
    return Phase.attempts_remain


def shown(settings: dict[str, Any], moment: Phase) -> frozenset[Shown]:
    """What the quiz shows members at ``moment``."""
    return review_options(settings.get("review"))[moment]


def plans_closed(user: User, course_id: int, today: dt.date) -> bool:
    """Whether the member studied the course in a plan and every such plan is closed or past due
    (``plans.window.counts_on``, the rule the year's figures use)."""
    from sqlalchemy.orm import joinedload

    from learnhub.plans.member_plans import member_rows
    from learnhub.plans.models import PlanStatus, StudyPlan
    from learnhub.plans.modules import plans_covering
    from learnhub.plans.window import counts_on

    plans = db.session.scalars(
        sa.select(StudyPlan).where(plans_covering(course_id), StudyPlan.status != PlanStatus.draft)
        .options(joinedload(StudyPlan.modules))
    ).unique().all()
    rows = member_rows(plans, user.id)  # the roster rule lives in member_progress
    mine = [plan for plan in plans if plan.id in rows]
    return bool(mine) and all(counts_on(plan, today) for plan in mine)
