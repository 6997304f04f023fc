"""Shared form helpers."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms.fields.choices import SelectChoice


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs, in the form WTForms 3.3+ expects."""
    return [SelectChoice(value, label) for value, label in pairs]
