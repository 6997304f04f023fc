"""Numbers from the address: ids in paths and numeric query arguments, bounded before they reach the database.

Every id column is an INTEGER, which PostgreSQL caps at 2**31 - 1; a larger number (or one beyond
SQLite's 2**63 - 1, or a date beyond year 9999) would make the database or ``datetime`` raise instead of
the page saying "not found" or "bad request".
"""
from __future__ import annotations

import datetime as dt
import re

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1  # the largest value of an INTEGER column on PostgreSQL (and so of any id LearnHub makes)
FIRST_YEAR, LAST_YEAR = 1945, 2100  # the widest span of years any page offers (inspections go back to 1945)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only: one spelling per date
MAX_PAGE = 100_000  # far beyond any list LearnHub shows, far below an offset the database refuses


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a whole number from 0 to MAX_ID, else the route does not match (404)."""

    regex = r"[0-9]+"  # not \d, which also takes other scripts' digits: one spelling per address

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = 0, max: int | None = MAX_ID,  # noqa: A002
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def whole_number(text: str | None, *, high: int = MAX_ID) -> int | None:
    """A number a form sent as text (a hidden base revision, minutes being typed): ASCII digits from 0
    to ``high``, else None. Not ``str.isdigit``, which also takes "²" (that ``int`` refuses) and
    other scripts' digits, nor numbers beyond the database's integers."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(high))) or int(text) > high:
        return None
    return int(text)


def query_int(name: str, *, low: int, high: int, ignore_bad: bool = False) -> int | None:
    """``?name=`` as a whole number from ``low`` to ``high``; None when absent or empty; 400 for anything
    else (None with ``ignore_bad``, for pages that fall back to a default)."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(high))) or not low <= int(raw) <= high:
        if ignore_bad:
            return None
        abort(400)
    return int(raw)


def query_id(name: str) -> int | None:
    """``?name=`` as the id of a row (``?unit=``, ``?plan=``): 1 to MAX_ID, None when absent, 400 otherwise."""
    return query_int(name, low=1, high=MAX_ID)


def query_year(name: str = "year", *, ignore_bad: bool = False) -> int | None:
    """``?year=`` from FIRST_YEAR to LAST_YEAR, None when absent, 400 otherwise (None with ``ignore_bad``)."""
    return query_int(name, low=FIRST_YEAR, high=LAST_YEAR, ignore_bad=ignore_bad)


def parse_date(text: str) -> dt.date | None:
    """``YYYY-MM-DD`` as a date from FIRST_YEAR to LAST_YEAR; None for anything else."""
    text = text.strip()
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def query_date(name: str) -> dt.date | None:
    """``?name=`` as a date YYYY-MM-DD (``?as_of=``): None when absent or empty, 400 otherwise."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    day = parse_date(raw)
    if day is None:
        abort(400)
    return day


def query_page() -> int:
    """``?page=`` for ``db.paginate(page=...)``: 1 when absent, 400 beyond MAX_PAGE or not a number."""
    return query_int("page", low=1, high=MAX_PAGE) or 1


def init_numbers(app: Flask) -> None:
    """Make ``<int:...>`` the bounded IdConverter in every route registered after this call."""
    app.url_map.converters["int"] = IdConverter
