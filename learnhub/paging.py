"""A page of rows read with LIMIT/OFFSET, with what templates/_macros/pagination.html reads.

``db.paginate`` pages ORM objects; lists of several columns (a conference roster, a contest's
ranking) use ``rows_page`` instead.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from learnhub.extensions import db

Row = TypeVar("Row")


@dataclass(frozen=True)
class RowsPage(Generic[Row]):
    """One page of rows: ``page`` of ``pages``, ``total`` rows in all."""

    rows: list[Row]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def rows_page(statement: sa.Select, convert: Callable[[Any], Row], *, page: int, per_page: int) -> RowsPage[Row]:
    """Page ``page`` of ``statement``'s rows (each passed through ``convert``) and how many rows there are."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())) or 0
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page))
    return RowsPage([convert(row) for row in rows], page, per_page, total)
