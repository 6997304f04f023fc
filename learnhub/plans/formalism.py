"""Formalism signals ("hình thức, chiếu lệ") per unit of a plan, each with its figure and threshold.

The default thresholds come from docs/metrics.md (settings.FORMALISM_THRESHOLDS); admins change them
on the settings page, which stores them as "formalism_<name>" settings. Every figure is an SQL aggregate grouped by the direct sub-unit.
Only work inside the plan's window counts (``learnhub.plans.window``): a draft plan shows no signal.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from learnhub.courses.models import Lesson, LessonProgress
from learnhub.extensions import db
from learnhub.figures import number, percent
from learnhub.plans.completion import rollup_to_children
from learnhub.plans.models import Reflection, ReflectionSimilarity, ReflectionStatus, StudyPlan
from learnhub.plans.modules import plan_course_ids
from learnhub.plans.window import inside, window
from learnhub.quizzes.models import AttemptStatus, Quiz, QuizAttempt
from learnhub.settings import formalism_thresholds as current_thresholds  # the thresholds in force


@dataclass(frozen=True)
class Signal:
    name: str  # rushed, guessing, shallow, copied, returned
    value: float | None
    threshold: float
    flagged: bool

    @property
    def shown(self) -> str:
        """The figure against its threshold, as the dashboard prints it in the reader's language:
        shares as percentages, the quiz margin in points, copied reflections as a count of pairs."""
        if self.name == "rushed":
            return _("%(v)s of lessons studied too fast; threshold %(t)s", v=percent(self.value), t=percent(self.threshold))
        if self.name == "returned":
            return _("%(v)s of reflections returned; threshold %(t)s", v=percent(self.value), t=percent(self.threshold))
        if self.name == "guessing":
            rate, threshold = _("first-attempt pass rate"), _("threshold")
            return f"{rate} {percent(self.value)}; {threshold} {percent(self.threshold)}"
        if self.name == "shallow":
            return shallow_shown(self.value or 0.0, self.threshold)
        pairs = int(self.value or 0)
        return ngettext("%(n)s pair", "%(n)s pairs", pairs, n=number(pairs, "#,##0"))


def shallow_shown(margin: float, threshold: float) -> str:
    """The mean best score against the pass score in words, never a negative distance:
    "10 points below the pass score" rather than "-10 points above"."""
    t = number(threshold, "#,##0")
    if margin > 0:
        return _("mean score %(m)s points above the pass score; threshold %(t)s", m=number(margin), t=t)
    if margin < 0:
        return _("mean score %(m)s points below the pass score; threshold %(t)s", m=number(-margin), t=t)
    return _("mean score equal to the pass score; threshold %(t)s", t=t)


def _by_top(rows) -> dict[int, tuple]:
    return {row[0]: tuple(row[1:]) for row in rows}


def member_formalism(plan: StudyPlan, only: Callable[[Any], list[sa.ColumnElement[bool]]],
                     rushed_fraction: float | None = None) -> tuple[sa.Subquery, sa.Subquery, sa.Subquery]:
    """Each member's formalism inputs, from the work done inside the plan's window: ``reading``
    (lessons studied, and of them ``fast``: read in less than the rushed fraction of their minutes),
    ``attempts`` (number of the first passing attempt, ``first_ok`` 1 when attempt 1 passed, the
    ``best`` percent) and ``reviewed`` (the reflection submitted, ``returned`` 1 when sent back).
    ``only`` limits each to some members (``learnhub.plans.completion.member_filter``). The one home
    of these figures: the signals aggregate them and the kept figures copy them."""
    if rushed_fraction is None:
        rushed_fraction = current_thresholds()["rushed_fraction"]
    reading = (
        sa.select(LessonProgress.user_id, sa.func.count(LessonProgress.id).label("studied"),
                  sa.func.sum(sa.case((LessonProgress.seconds_spent < Lesson.minutes * 60 * rushed_fraction, 1),
                                      else_=0)).label("fast"))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(Lesson.course_id.in_(plan_course_ids(plan)), inside(LessonProgress.studied_at, plan),
               *only(LessonProgress.user_id))
        .group_by(LessonProgress.user_id).subquery()
    )
    attempts = (
        sa.select(QuizAttempt.user_id,
                  sa.func.min(sa.case((QuizAttempt.passed.is_(True), QuizAttempt.number))).label("first_pass"),
                  sa.func.max(sa.case((sa.and_(QuizAttempt.number == 1, QuizAttempt.passed.is_(True)), 1), else_=0)).label("first_ok"),
                  sa.func.max(QuizAttempt.percent).label("best"))
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .where(Quiz.course_id.in_(plan_course_ids(plan)), QuizAttempt.status == AttemptStatus.submitted,
               inside(QuizAttempt.submitted_at, plan), *only(QuizAttempt.user_id))
        .group_by(QuizAttempt.user_id).subquery()
    )
    reviewed = (
        sa.select(Reflection.user_id, sa.case((Reflection.status == ReflectionStatus.returned, 1), else_=0).label("returned"))
        .where(Reflection.plan_id == plan.id, Reflection.status != ReflectionStatus.draft,
               inside(Reflection.submitted_at, plan), *only(Reflection.user_id)).subquery()
    )
    return reading, attempts, reviewed


def formalism_signals(plan: StudyPlan, unit_id: int) -> dict[int, list[Signal]]:
    """Signals for each direct sub-unit of ``unit_id`` (and the unit's own members), from the work
    done inside the plan's window; none for a draft plan. The sums kept per unit of the roster's
    kept rows (``learnhub.plans.kept``, each a copy of ``member_formalism``'s figures), rolled up to
    each sub-unit: averages are sums over counts."""
    if window(plan) is None:
        return {}
    from learnhub.plans.kept import kept_sums  # kept.py copies member_formalism's figures

    t = current_thresholds()
    sums = kept_sums(plan)
    rollup = rollup_to_children(unit_id)
    columns = ("studied_in_window", "rushed_in_window", "attempted", "first_pass_sum", "first_pass_count",
               "first_passed", "best_sum", "best_count", "reflections", "returned")
    totals = {
        top: dict(zip(columns, values, strict=True)) for top, *values in db.session.execute(
            sa.select(rollup.c.top, *(sa.func.sum(sums.c[name]) for name in columns))
            .select_from(sums.join(rollup, rollup.c.unit_id == sums.c.unit_id))
            .group_by(rollup.c.top))
    }

    def mean(top: int, total: str, count: str) -> float | None:
        return float(totals[top][total]) / float(totals[top][count]) if totals[top][count] else None

    pass_score = db.session.scalar(sa.select(sa.func.max(Quiz.settings["pass_score"].as_float()))
                                   .where(Quiz.course_id.in_(plan_course_ids(plan))))
    rushed = {top: (v["studied_in_window"], v["rushed_in_window"]) for top, v in totals.items() if v["studied_in_window"]}
    quiz = {top: (mean(top, "first_pass_sum", "first_pass_count"), mean(top, "first_passed", "attempted"),
                  mean(top, "best_sum", "best_count"), pass_score) for top, v in totals.items() if v["attempted"]}
    reflections = {top: (v["reflections"], v["returned"]) for top, v in totals.items() if v["reflections"]}
    # A pair counts once in each sub-unit holding one of its authors (a copy across cells counts in both).
    copied = _by_top(db.session.execute(
        sa.select(rollup.c.top, sa.func.count(sa.distinct(ReflectionSimilarity.id)))
        .join(ReflectionSimilarity, sa.or_(ReflectionSimilarity.unit_id == rollup.c.unit_id,
                                           ReflectionSimilarity.first_unit_id == rollup.c.unit_id))
        .where(ReflectionSimilarity.plan_id == plan.id)
        .group_by(rollup.c.top)
    ))
    tops = set(rushed) | set(quiz) | set(reflections) | set(copied)
    result: dict[int, list[Signal]] = {}
    for top in tops:
        signals = []
        studied, fast = rushed.get(top, (0, 0))
        if studied:
            share = (fast or 0) / studied
            signals.append(Signal("rushed", share, t["rushed_share"], share > t["rushed_share"]))
        if top in quiz:
            before_pass, first_ok, best, pass_score = quiz[top]
            guessing = (before_pass is not None and before_pass > t["attempts_before_pass"]) or (
                first_ok is not None and first_ok < t["first_attempt_pass_rate"])
            signals.append(Signal("guessing", float(first_ok) if first_ok is not None else None,
                                  t["first_attempt_pass_rate"], bool(guessing)))
            if best is not None and pass_score is not None:
                margin = float(best) - float(pass_score)
                signals.append(Signal("shallow", margin, t["shallow_margin"], margin < t["shallow_margin"]))
        if top in reflections:
            total, returned = reflections[top]
            share = (returned or 0) / total if total else 0.0
            signals.append(Signal("returned", share, t["returned_share"], share > t["returned_share"]))
        pairs = copied.get(top, (0,))[0]
        if pairs:
            signals.append(Signal("copied", float(pairs), 0, True))
        result[top] = signals
    return result
