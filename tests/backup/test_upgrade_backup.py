"""`learnhub db upgrade` backs up a SQLite database before migrating it, and only then."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade

from learnhub.backup.archive import backup_before_upgrade
from learnhub.extensions import db, migrate
from tests.backup.archives import cli, manifest
from tests.backup.conftest import create_schema, make_site

BACKED_UP = re.compile(r"Backed up the database to (\S+) before migrating\.")


def test_a_pending_migration_is_preceded_by_a_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_site(f"sqlite:///{tmp_path / 'site.sqlite'}", tmp_path, monkeypatch)
    with app.app_context():
        script = ScriptDirectory.from_config(migrate.get_config())
        head = script.get_current_head()
        previous = script.get_revision(head).down_revision
        create_schema()
        downgrade(revision=previous)
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO unit (name, kind, created_at, updated_at) "
                "VALUES ('Đảng bộ Thị trấn', 'committee', '2026-01-05 08:00:00', '2026-01-05 08:00:00')"
            ))
        db.engine.dispose()

    first = cli(app, "db", "upgrade")

    assert first.exit_code == 0, first.output
    saved = Path(BACKED_UP.search(first.stderr).group(1))
    assert saved.parent == tmp_path / "backups" and saved.name.startswith("learnhub-before-upgrade-")
    assert saved.stat().st_mode & 0o777 == 0o600
    meta = manifest(saved)
    assert meta["alembic_revision"] == previous and meta["tables"]["unit"] == 1

    again = cli(app, "db", "upgrade")
    assert again.exit_code == 0 and "Backed up" not in again.stderr
    assert list(saved.parent.iterdir()) == [saved]

    undo = cli(app, "restore", str(saved), "--yes")  # the way back from a failed upgrade
    assert undo.exit_code == 0, undo.output
    assert f"at migration {previous}; run `learnhub db upgrade`" in undo.stderr
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == previous
        db.engine.dispose()


def test_no_backup_without_a_database_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_site(f"sqlite:///{tmp_path / 'new.sqlite'}", tmp_path, monkeypatch)
    with app.app_context():
        script = ScriptDirectory.from_config(migrate.get_config())
        for size in (None, 0):  # no file yet, then the empty file a first connection leaves
            if size == 0:
                (tmp_path / "new.sqlite").write_bytes(b"")
            saved = backup_before_upgrade(db.engine, script, folder=tmp_path / "backups",
                                          instance_path=tmp_path, progress=print)
            assert saved is None
        db.engine.dispose()
    assert not (tmp_path / "backups").exists()
