"""The study rate (completed ÷ roster, judged against a target), its pooling, and how figures are printed.

Every rate LearnHub shows is a ``Rate``: the plan dashboard, the year's overview, the yearly report
and the evaluation only add rates together with ``pool`` and print them with ``percent``. Numbers
and percentages are printed by Babel in the reader's language (2.438 and 97,5% in Vietnamese,
2,438 and 97.5% in English), on pages, in documents, in downloads and on the command line.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from babel.numbers import format_decimal as babel_decimal
from babel.numbers import format_percent as babel_percent
from flask_babel import get_locale

from learnhub.exports import Percent

EPSILON = 1e-9  # a rate equal to its target meets it, whatever the floating-point rounding
PERCENT_PATTERN = "#,##0.#%"  # one decimal at most, as the dashboards have always rounded
NO_RATE = "–"


@dataclass(frozen=True)
class Rate:
    """``completed`` out of ``roster``, with the target rate it is judged against (None when none applies)."""

    completed: int = 0
    roster: int = 0
    target: float | None = None

    @property
    def fraction(self) -> float | None:
        """Completed ÷ roster; None for an empty roster (not 0%, not 100%)."""
        return self.completed / self.roster if self.roster else None

    @property
    def rate(self) -> float | None:
        """The fraction, under the name the pages, documents and JSON use."""
        return self.fraction

    @property
    def meets_target(self) -> bool | None:
        """Whether the rate reaches the target; None without a roster or a target (nothing to judge)."""
        if not self.roster or self.target is None:
            return None
        return self.completed + EPSILON >= self.target * self.roster

    @property
    def sort_key(self) -> float:
        """For sorting by rate, lowest first; rates without a roster last."""
        return self.fraction if self.fraction is not None else 2.0


def pool(rates: Iterable[Rate]) -> Rate:
    """Several rates as one: Σ completed ÷ Σ roster, against the targets weighted by their rosters
    (Σ target × roster ÷ Σ roster), so that meeting every target meets the pooled one. The target
    is None when any rate with a roster has none."""
    rates = [rate for rate in rates if rate.roster]
    roster = sum(rate.roster for rate in rates)
    completed = sum(rate.completed for rate in rates)
    targets = [rate.target for rate in rates]
    if not roster or None in targets:
        return Rate(completed, roster, None)
    at_target = sum((target or 0.0) * rate.roster for target, rate in zip(targets, rates, strict=True))
    return Rate(completed, roster, at_target / roster)


def _locale(locale: str | None) -> str:
    return locale or str(get_locale() or "vi")


def percent(value: Rate | float | None, locale: str | None = None) -> str:
    """A rate or a fraction as a percentage in the reader's language ("97,5%" / "97.5%"); "–" for none."""
    fraction = value.fraction if isinstance(value, Rate) else value
    if fraction is None:
        return NO_RATE
    return babel_percent(fraction, PERCENT_PATTERN, locale=_locale(locale))


def score(points: float | None, locale: str | None = None) -> str:
    """A quiz score kept on a 0..100 scale (an attempt's percent, a mean score) printed as ``percent``."""
    return percent(None if points is None else points / 100, locale)


def number(value: float | None, pattern: str = "#,##0.#", locale: str | None = None) -> str:
    """A number in the reader's language ("2.438" / "2,438", "1,5" / "1.5"); "–" for none."""
    if value is None:
        return NO_RATE
    return babel_decimal(value, pattern, locale=_locale(locale))



def percent_cell(value: Rate | float | None) -> Percent | None:
    """A rate as a spreadsheet cell: a number the spreadsheet shows as a percentage; empty for none."""
    fraction = value.fraction if isinstance(value, Rate) else value
    return None if fraction is None else Percent(fraction)
