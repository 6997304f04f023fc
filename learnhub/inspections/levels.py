"""The level proposed for a unit's study work in the year ("xếp loại tập thể"), with its reasons.

The four official levels for collectives, from the unit's pooled rate against its pooled target,
the year's inspection conclusions and the formalism signals, judged against the thresholds in
settings (``learnhub.settings.level_thresholds``; defaults in ``LEVEL_THRESHOLDS``, docs/year.md):

- **excellently completed**: rate ≥ target + ``excellent_margin`` points, no formalism signal and
  no inspection concluding in criticism;
- **well completed**: rate ≥ target;
- **completed**: rate ≥ target − ``completed_margin`` points;
- **not completed**: otherwise.

A unit with no roster in the year has no proposal (None).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_pgettext as _lp

from learnhub.figures import EPSILON, Rate, percent
from learnhub.inspections.models import Conclusion, Level

# The levels' names in the context "level": "Completed" alone is also a column of figures.
LEVELS = {
    Level.excellent: _lp("level", "Excellently completed"),
    Level.good: _lp("level", "Well completed"),
    Level.completed: _lp("level", "Completed"),
    Level.not_completed: _lp("level", "Not completed"),
}
LEVEL_TAGS = {Level.excellent: "lh-tag--done", Level.good: "lh-tag--blue", Level.completed: "lh-tag--yellow",
              Level.not_completed: "lh-tag--red"}


@dataclass(frozen=True)
class Proposal:
    """A proposed level and the reasons for it, in the reader's language."""

    level: Level
    reasons: tuple[str, ...]


def propose_level(pooled: Rate, signals: int, inspections: Mapping[Conclusion, int],
                  thresholds: Mapping[str, float]) -> Proposal | None:
    """The level proposed for a unit from its pooled rate, its number of formalism signals and its
    inspections' conclusions, with the reasons; None without a roster or a target."""
    rate, target = pooled.fraction, pooled.target
    if rate is None or target is None:
        return None
    criticised = inspections.get(Conclusion.criticise, 0)
    excellent_at = target + thresholds["excellent_margin"] / 100
    completed_at = target - thresholds["completed_margin"] / 100
    reasons: list[str] = [_("Study rate %(rate)s against a target of %(target)s.",
                            rate=percent(rate), target=percent(target))]
    if signals:
        reasons.append(_("%(n)d sign(s) of formal study.", n=signals))
    if criticised:
        reasons.append(_("%(n)d inspection(s) concluded with criticism.", n=criticised))
    if rate + EPSILON >= excellent_at and not signals and not criticised:
        reasons.append(_("At or above %(rate)s, with no sign of formal study and no criticism.",
                         rate=percent(excellent_at)))
        return Proposal(Level.excellent, tuple(reasons))
    if rate + EPSILON >= target:
        return Proposal(Level.good, tuple(reasons))
    if rate + EPSILON >= completed_at:
        reasons.append(_("Below target, but within %(points)s points of it.",
                         points=f"{thresholds['completed_margin']:g}"))
        return Proposal(Level.completed, tuple(reasons))
    reasons.append(_("More than %(points)s points below target.", points=f"{thresholds['completed_margin']:g}"))
    return Proposal(Level.not_completed, tuple(reasons))

