"""Everything the plan dashboard shows for a unit, computed in SQL on every visit.

The completion figures, the list of members not yet completed and the formalism signals read the
figures kept per member as study happens (``learnhub.plans.kept``), so the top unit of a province
costs a pass over its roster's kept rows, not over its lessons and answers: nothing is cached.
"""
from __future__ import annotations

from dataclasses import dataclass

from learnhub.auth.models import Category
from learnhub.orgs.models import Unit
from learnhub.plans.completion import Figures, UnitFigures, completion_report, unit_scope
from learnhub.plans.formalism import Signal, formalism_signals
from learnhub.plans.missing import MissingMember, missing_members
from learnhub.plans.models import StudyPlan
from learnhub.plans.modules import first_quiz
from learnhub.quizzes import analysis as quiz_analysis

MISSING_ON_PAGE = 200  # the page names the first few hundred not completed; the download has all


@dataclass(frozen=True)
class DashboardFigures:
    """A unit's dashboard figures as plain immutable values."""

    total: Figures
    by_category: tuple[tuple[Category, Figures], ...]
    units: tuple[UnitFigures, ...]  # the direct sub-units (and the unit's own members)
    missing: tuple[MissingMember, ...]
    comprehension: quiz_analysis.QuizSummary | None
    hardest: tuple[quiz_analysis.HardQuestion, ...]
    signals: tuple[tuple[int, tuple[Signal, ...]], ...]  # (unit id, its signals)

    def signals_of(self, unit_id: int) -> tuple[Signal, ...]:
        """The formalism signals of one sub-unit (none when it has no figures)."""
        return next((signals for uid, signals in self.signals if uid == unit_id), ())

    @property
    def flagged(self) -> tuple[UnitFigures, ...]:
        """The sub-units with at least one formalism signal, listed for inspection."""
        return tuple(u for u in self.units if any(sig.flagged for sig in self.signals_of(u.unit_id)))


def dashboard_figures(plan: StudyPlan, unit: Unit) -> DashboardFigures:
    """The unit's dashboard figures, as of now (one aggregate query per part)."""
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
    )
