"""pg_dump missing or the server unreachable: one line, and never the password."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from learnhub.backup.archive import create_backup
from learnhub.backup.database import BackupError

PASSWORD = "mat-khau-bi-mat"
UNREACHABLE = f"postgresql+psycopg://learnhub:{PASSWORD}@127.0.0.1:1/learnhub"


def backup_of(url: str, tmp_path: Path) -> str:
    engine = sa.create_engine(url)
    try:
        with pytest.raises(BackupError) as refused:
            create_backup(engine, tmp_path / "x.tar.gz", instance_path=tmp_path, progress=lambda _: None)
    finally:
        engine.dispose()
    assert not (tmp_path / "x.tar.gz").exists()
    return str(refused.value)


def test_pg_dump_missing_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    message = backup_of(UNREACHABLE, tmp_path)
    assert message.startswith("pg_dump not found on PATH") and "\n" not in message


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="the PostgreSQL client is not installed")
def test_an_unreachable_server_never_shows_the_password(tmp_path: Path) -> None:
    message = backup_of(UNREACHABLE, tmp_path)
    assert message.startswith("cannot reach the database:") and "\n" not in message
    assert PASSWORD not in message
