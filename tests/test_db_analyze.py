"""`learnhub db analyze` gives the query planner statistics (SQLite keeps none until asked)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from learnhub.extensions import db


def _statistics() -> object:
    """What the planner knows of the member table: SQLite's row of sqlite_stat1, or when
    PostgreSQL last analysed it (earlier tests of the session may have left either)."""
    if db.engine.dialect.name == "sqlite":
        if not db.session.scalars(sa.text("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")).all():
            return None
        return db.session.scalar(sa.text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'user_account' LIMIT 1"))
    return db.session.scalar(sa.text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'user_account'"))


def test_analyze_refreshes_the_planners_statistics(app: Flask, town) -> None:
    with app.app_context():
        if db.engine.dialect.name == "sqlite" and _statistics() is not None:
            db.session.execute(sa.text("DELETE FROM sqlite_stat1"))
            db.session.commit()
        before = _statistics()
    result = app.test_cli_runner().invoke(args=["db", "analyze"])
    assert result.exit_code == 0, result.output
    assert "statistics refreshed" in result.stderr and result.stdout == ""
    with app.app_context():
        db.session.commit()
        after = _statistics()
        assert after is not None and after != before
