"""`learnhub db analyze` gives the query planner statistics (SQLite keeps none until asked)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from learnhub.extensions import db


def _has_statistics() -> bool:
    if db.engine.dialect.name == "sqlite":
        tables = db.session.scalars(sa.text("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")).all()
        return bool(tables) and bool(db.session.scalar(
            sa.text("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'user_account'")))
    return db.session.scalar(sa.text(
        "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'user_account'")) is True


def test_analyze_refreshes_the_planners_statistics(app: Flask, town) -> None:
    with app.app_context():
        assert not _has_statistics()
    result = app.test_cli_runner().invoke(args=["db", "analyze"])
    assert result.exit_code == 0, result.output
    assert "statistics refreshed" in result.stderr and result.stdout == ""
    with app.app_context():
        db.session.commit()
        assert _has_statistics()
