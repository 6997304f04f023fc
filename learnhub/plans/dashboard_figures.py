"""Everything the plan dashboard shows for a unit, computed in SQL, and kept for a few minutes
when the unit is large.

A province's top unit has a hundred thousand members: its figures take seconds to compute and
change by a fraction of a percent a minute, so they are kept for ``FRESH_FOR`` and the page says
when they were computed, with a link to recompute now. A unit up to ``LIVE_UP_TO`` members (every
cell, commune and town) is always computed live. The cache is per worker process and bounded;
changing the plan (its ``updated_at``) or its status makes a new key. Downloads are always live.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import sqlalchemy as sa

from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.plans.completion import (
    CompletionReport,
    MissingMember,
    completion_report,
    missing_members,
    unit_scope,
)
from learnhub.plans.formalism import Signal, formalism_signals
from learnhub.plans.models import StudyPlan
from learnhub.quizzes import analysis as quiz_analysis
from learnhub.quizzes.models import Quiz

LIVE_UP_TO = 20_000  # members on the unit's roster; larger units are kept for FRESH_FOR
FRESH_FOR = dt.timedelta(minutes=5)
KEPT = 32  # dashboards kept per worker
MISSING_ON_PAGE = 200  # the page names the first few hundred not completed; the download has all


@dataclass
class DashboardFigures:
    report: CompletionReport
    missing: list[MissingMember]
    comprehension: quiz_analysis.QuizSummary | None
    hardest: list[quiz_analysis.HardQuestion]
    signals: dict[int, list[Signal]]
    computed_at: dt.datetime
    kept: bool = False  # a large unit's figures, served for FRESH_FOR
    flagged: list = field(default_factory=list)


_kept: OrderedDict[tuple, DashboardFigures] = OrderedDict()
_lock = threading.Lock()


def dashboard_figures(plan: StudyPlan, unit: Unit, *, recompute: bool = False,
                      now: dt.datetime | None = None) -> DashboardFigures:
    """The dashboard's figures for ``unit``: a large unit's from the last few minutes unless
    ``recompute``; anyone else's computed now."""
    now = now or utcnow()
    key = (plan.id, plan.status, plan.updated_at, unit.id)
    with _lock:
        kept = _kept.get(key)
    if kept is not None and not recompute and now - kept.computed_at < FRESH_FOR:
        # Rebound to this request's session: the report refers to the plan and the unit.
        kept.report.plan, kept.report.unit = plan, unit
        return kept
    figures = compute(plan, unit, now)
    if figures.report.total.required > LIVE_UP_TO:
        figures.kept = True
        with _lock:
            _kept[key] = figures
            _kept.move_to_end(key)
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    return figures


def compute(plan: StudyPlan, unit: Unit, now: dt.datetime) -> DashboardFigures:
    report = completion_report(plan, unit)
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.course_id == plan.course_id))
    scope = unit_scope(unit.id)
    signals = formalism_signals(plan, unit.id)
    return DashboardFigures(
        report=report, missing=missing_members(plan, unit, limit=MISSING_ON_PAGE),
        comprehension=quiz_analysis.summary(quiz, scope) if quiz else None,
        hardest=quiz_analysis.hardest(quiz, scope) if quiz else [],
        signals=signals, computed_at=now,
        flagged=[u for u in report.units if any(sig.flagged for sig in signals.get(u.unit_id, []))],
    )


def forget_all() -> None:
    """Drop every kept dashboard (tests, and an administrator who wants live figures everywhere)."""
    with _lock:
        _kept.clear()
