"""Everything the plan dashboard shows for a unit, computed in SQL, and kept for a few minutes
when the unit is large.

A province's top unit has a hundred thousand members: its figures take seconds to compute and
change by a fraction of a percent a minute, so they are kept for ``FRESH_FOR`` and the page says
when they were computed, with a link to recompute now. A unit up to ``LIVE_UP_TO`` members (every
cell, commune and town) is always computed live. The cache is a ``cachetools.TTLCache`` per worker
process, bounded, holding only immutable plain values (numbers, names, dates: never a database
object, which belongs to one request's session); the page adds this request's own plan and unit.
Changing the plan (its ``updated_at``) or its status makes a new key. Downloads are always live.
"""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, replace

from cachetools import TTLCache

from learnhub.auth.models import Category
from learnhub.db import utcnow
from learnhub.orgs.models import Unit
from learnhub.plans.completion import (
    Figures,
    MissingMember,
    UnitFigures,
    completion_report,
    missing_members,
    unit_scope,
)
from learnhub.plans.formalism import Signal, formalism_signals
from learnhub.plans.models import StudyPlan
from learnhub.plans.modules import first_quiz
from learnhub.quizzes import analysis as quiz_analysis

LIVE_UP_TO = 20_000  # members on the unit's roster; larger units are kept for FRESH_FOR
FRESH_FOR = dt.timedelta(minutes=5)
KEPT = 32  # dashboards kept per worker
MISSING_ON_PAGE = 200  # the page names the first few hundred not completed; the download has all


@dataclass(frozen=True)
class DashboardFigures:
    """A unit's dashboard figures as plain immutable values, safe to share between requests and threads."""

    total: Figures
    by_category: tuple[tuple[Category, Figures], ...]
    units: tuple[UnitFigures, ...]  # the direct sub-units (and the unit's own members)
    missing: tuple[MissingMember, ...]
    comprehension: quiz_analysis.QuizSummary | None
    hardest: tuple[quiz_analysis.HardQuestion, ...]
    signals: tuple[tuple[int, tuple[Signal, ...]], ...]  # (unit id, its signals)
    computed_at: dt.datetime
    kept: bool = False  # a large unit's figures, served for FRESH_FOR

    def signals_of(self, unit_id: int) -> tuple[Signal, ...]:
        """The formalism signals of one sub-unit (none when it has no figures)."""
        return next((signals for uid, signals in self.signals if uid == unit_id), ())

    @property
    def flagged(self) -> tuple[UnitFigures, ...]:
        """The sub-units with at least one formalism signal, listed for inspection."""
        return tuple(u for u in self.units if any(sig.flagged for sig in self.signals_of(u.unit_id)))


def _clock() -> float:
    return utcnow().timestamp()


# The kept dashboards of this worker (CACHE.clear() forgets them all).
CACHE: TTLCache[tuple, DashboardFigures] = TTLCache(maxsize=KEPT, ttl=FRESH_FOR.total_seconds(), timer=_clock)
_lock = threading.Lock()  # a TTLCache is not thread-safe; the values it holds are


def dashboard_figures(plan: StudyPlan, unit: Unit, *, recompute: bool = False) -> DashboardFigures:
    """The dashboard's figures for ``unit``: a large unit's from the last few minutes unless
    ``recompute``; anyone else's computed now."""
    key = (plan.id, plan.status, plan.updated_at, unit.id)
    if not recompute:
        with _lock:
            kept = CACHE.get(key)
        if kept is not None:
            return kept
    figures = compute(plan, unit, utcnow())
    if figures.total.required > LIVE_UP_TO:
        figures = replace(figures, kept=True)
        with _lock:
            CACHE[key] = figures
    return figures


def compute(plan: StudyPlan, unit: Unit, now: dt.datetime) -> DashboardFigures:
    """The unit's figures computed now (one aggregate query per part)."""
    report = completion_report(plan, unit)
    quiz = first_quiz(plan)
    scope = unit_scope(unit.id)
    signals = formalism_signals(plan, unit.id)
    return DashboardFigures(
        total=report.total, by_category=tuple(report.by_category.items()), units=tuple(report.units),
        missing=tuple(missing_members(plan, unit, limit=MISSING_ON_PAGE)),
        comprehension=quiz_analysis.summary(quiz, scope) if quiz else None,
        hardest=tuple(quiz_analysis.hardest(quiz, scope)) if quiz else (),
        signals=tuple((unit_id, tuple(unit_signals)) for unit_id, unit_signals in signals.items()),
        computed_at=now,
    )

