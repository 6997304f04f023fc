"""A list of ids bound at execution (``learnhub.db.in_ids`` / ``IdList``): the same rows as an IN
list of any length, and on PostgreSQL one statement text whatever the length, so that a kept
statement is prepared once and not planned again for every cell."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from learnhub.db import IdList
from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitKind


def test_a_bound_list_selects_what_an_in_list_does_and_keeps_one_text(app: Flask, make_unit, count_queries) -> None:
    root = make_unit("Đảng bộ Thị trấn", UnitKind.committee)
    cells = [make_unit(f"Chi bộ {i}", parent=root).id for i in range(1, 6)]
    statement = sa.select(Unit.id).where(IdList("wanted").holds(Unit.id)).order_by(Unit.id)
    lists = ([], [cells[0]], cells[1:4], [*cells, root.id, 999_999])
    with app.app_context():
        with count_queries() as sent:
            found = [db.session.scalars(statement, {"wanted": wanted}).all() for wanted in lists]
        expected = [db.session.scalars(sa.select(Unit.id).where(Unit.id.in_(wanted)).order_by(Unit.id)).all()
                    for wanted in lists]
        assert found == expected and found[-1] == sorted([*cells, root.id])
        if db.engine.dialect.name == "postgresql":
            assert len(set(sent)) == 1 and "= ANY" in sent[0]  # one text for 0, 1, 3 and 7 ids
        else:
            assert len(set(sent)) > 1  # SQLite: an IN list as long as the ids
