"""Shared form helpers."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from learnhub.numbers import FIRST_YEAR, LAST_YEAR, MAX_ID


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs, in the form WTForms 3.3+ expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def coerce_id(value: Any) -> int:
    """``coerce=`` for a SelectField of ids: a number beyond the database's range is "not a valid choice"."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError(value)
    return number


class WithinYears:
    """A date from FIRST_YEAR to LAST_YEAR: one the database, the time zones and the reports can all hold."""

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            raise ValidationError(_("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))
