"""Settings: environment, instance files, the generated secret key, SQLite's connection settings."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from learnhub import create_app
from learnhub.extensions import db


def test_secret_key_is_generated_once_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARNHUB_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("LEARNHUB_SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second and len(first) >= 64
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    other = tmp_path / "other"
    monkeypatch.setenv("LEARNHUB_INSTANCE_PATH", str(other))
    assert create_app().config["SECRET_KEY"] != first  # no fixed default anywhere


def test_environment_and_instance_file_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARNHUB_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "learnhub.cfg").write_text('PUBLIC_URL = "https://hoctap.example.vn"\nSECRET_KEY = "from-file"\n')
    monkeypatch.setenv("LEARNHUB_SECRET_KEY", "from-env")
    monkeypatch.setenv("LEARNHUB_DATABASE_URL", f"sqlite:///{tmp_path}/other.sqlite")
    app = create_app()
    assert app.config["PUBLIC_URL"] == "https://hoctap.example.vn"
    assert app.config["SECRET_KEY"] == "from-env"  # the environment wins over the file
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/other.sqlite"


def test_default_database_is_sqlite_in_the_instance_folder_with_wal_and_foreign_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEARNHUB_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("LEARNHUB_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/learnhub.sqlite"
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(sa.text("PRAGMA busy_timeout")).scalar() >= 5000
        db.engine.dispose()
