"""`learnhub backup` and `learnhub restore`: a round trip keeps every row, bad archives change nothing."""
from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask

from learnhub.backup import database
from learnhub.courses.models import Course, CourseMedia, LessonProgress
from learnhub.extensions import db, migrate
from learnhub.orgs.models import Unit, UnitKind
from tests.backup.archives import cli, make_archive, manifest, members, rewrite, write
from tests.backup.conftest import MEDIA, create_schema, data_hash, make_site

OTHER_KIND = {"sqlite": ("postgresql", "PostgreSQL", "SQLite"), "postgresql": ("sqlite", "SQLite", "PostgreSQL")}


def kind(app: Flask) -> str:
    with app.app_context():
        return db.engine.url.get_backend_name()


def mutate(app: Flask) -> None:
    """The kind of change a backup exists to undo: rows deleted, renamed and added."""
    with app.app_context():
        db.session.execute(sa.delete(LessonProgress))
        db.session.execute(sa.delete(CourseMedia))
        db.session.execute(sa.update(Course).values(title="Đã sửa nhầm"))
        db.session.add(Unit(name="Chi bộ mới", kind=UnitKind.cell))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def refusal(result) -> str:
    """The one line a refused command ends with (no traceback)."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stderr.strip().splitlines()[-1]


def test_a_round_trip_brings_back_every_row_and_the_media(site: Flask, tmp_path: Path) -> None:
    before = data_hash(site)
    archive = make_archive(site, tmp_path / "site.tar.gz")
    assert archive.stat().st_mode & 0o777 == 0o600
    mutate(site)
    assert data_hash(site) != before

    result = cli(site, "restore", str(archive), "--yes")

    assert result.exit_code == 0, result.output
    assert "Warning" not in result.stderr and "Restored" in result.stderr
    assert data_hash(site) == before
    with site.app_context():
        assert db.session.scalars(sa.select(CourseMedia.data)).one() == MEDIA
        db.session.add(Unit(name="Chi bộ sau khi khôi phục", kind=UnitKind.cell))  # ids continue
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def test_the_manifest_describes_the_archive(site: Flask, tmp_path: Path) -> None:
    archive = make_archive(site, tmp_path / "site.tar.gz")
    files = members(archive)
    meta = manifest(archive)
    with site.app_context():
        head = ScriptDirectory.from_config(migrate.get_config()).get_current_head()
    assert list(files)[0] == "manifest.json"
    assert meta["database"] == kind(site) and meta["alembic_revision"] == head
    assert meta["learnhub_version"] and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["created_at"])
    assert meta["tables"]["user_account"] == 3 and meta["tables"]["course_media"] == 1
    assert set(meta["files"]) == set(files) - {"manifest.json"}
    for name, entry in meta["files"].items():
        assert entry["sha256"] == hashlib.sha256(files[name]).hexdigest()


def _flip_a_byte(files: dict[str, bytes]) -> dict[str, bytes]:
    name = next(n for n in files if n.startswith("database/"))
    data = bytearray(files[name])
    data[len(data) // 2] ^= 0xFF
    return {**files, name: bytes(data)}


BAD_ARCHIVES = {
    "a changed byte": (lambda files: _flip_a_byte(files), "does not match its checksum"),
    "a missing file": (lambda files: {n: d for n, d in files.items() if not n.startswith("database/")}, "missing"),
    "an extra file": (lambda files: {**files, "instance/run.sh": b"rm -rf /"}, "unexpected entry"),
    "no manifest": (lambda files: {n: d for n, d in files.items() if n != "manifest.json"}, "no manifest.json"),
}


@pytest.mark.parametrize("damage", [*BAD_ARCHIVES, "truncation"])
def test_a_damaged_archive_is_refused_and_nothing_changes(site: Flask, tmp_path: Path, damage: str) -> None:
    archive = make_archive(site, tmp_path / "site.tar.gz")
    bad = tmp_path / "bad.tar.gz"
    if damage == "truncation":
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])
        expected = "damaged or truncated"
    else:
        change, expected = BAD_ARCHIVES[damage]
        write(bad, change(members(archive)))
    mutate(site)
    mutated = data_hash(site)

    line = refusal(cli(site, "restore", str(bad), "--yes"))

    assert line.startswith("Error:") and expected in line
    assert data_hash(site) == mutated


def test_restore_asks_first_and_the_default_is_no(site: Flask, tmp_path: Path) -> None:
    before = data_hash(site)
    archive = make_archive(site, tmp_path / "site.tar.gz")
    mutate(site)
    mutated = data_hash(site)

    declined = cli(site, "restore", str(archive), input="\n")
    assert "Restore this backup? [y/N]" in declined.stderr
    assert refusal(declined) == "Error: nothing was restored"
    assert data_hash(site) == mutated

    accepted = cli(site, "restore", str(archive), input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert data_hash(site) == before


def test_an_archive_of_the_other_database_kind_is_refused(site: Flask, tmp_path: Path) -> None:
    other, other_name, this_name = OTHER_KIND[kind(site)]
    archive = make_archive(site, tmp_path / "site.tar.gz")
    member = next(n for n in members(archive) if n.startswith("database/"))
    target = "database/learnhub.pgdump" if other == "postgresql" else "database/learnhub.sqlite"
    foreign = rewrite(archive, tmp_path / "other.tar.gz", rename={member: target}, database=other)
    mutate(site)
    mutated = data_hash(site)

    line = refusal(cli(site, "restore", str(foreign), "--yes"))

    assert f"holds a {other_name} database but this LearnHub uses {this_name}" in line
    assert data_hash(site) == mutated


def test_an_archive_from_a_newer_schema_is_refused(site: Flask, tmp_path: Path) -> None:
    archive = make_archive(site, tmp_path / "site.tar.gz")
    newer = rewrite(archive, tmp_path / "newer.tar.gz", alembic_revision="f00dfeedbeef", learnhub_version="9.0")
    mutate(site)
    mutated = data_hash(site)

    line = refusal(cli(site, "restore", str(newer), "--yes"))

    assert "migration f00dfeedbeef, newer than this LearnHub" in line and "LearnHub 9.0" in line
    assert data_hash(site) == mutated


def test_restore_warns_when_the_server_seems_to_be_running(site: Flask, tmp_path: Path) -> None:
    archive = make_archive(site, tmp_path / "site.tar.gz")
    with site.app_context():
        url = db.engine.url
    if url.get_backend_name() == "sqlite":
        server = sqlite3.connect(url.database)
        server.execute("PRAGMA journal_mode=WAL")
        server.execute("UPDATE unit SET name = name")
        server.commit()
        expected = "site.sqlite-wal exists"
    else:
        server = sa.create_engine(url).connect()
        expected = "1 other connection(s) to the database"
    try:
        result = cli(site, "restore", str(archive), input="n\n")
    finally:
        server.close()
        if isinstance(server, sa.Connection):
            server.engine.dispose()
    assert f"Warning: the server seems to be running ({expected}" in result.stderr
    assert refusal(result) == "Error: nothing was restored"


def test_the_secret_key_comes_back_and_a_changed_config_file_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The instance files do not depend on the database kind: a small SQLite site in both runs.
    site = make_site(f"sqlite:///{tmp_path / 'small.sqlite'}", tmp_path, monkeypatch)
    with site.app_context():
        create_schema()
        db.engine.dispose()
    instance = Path(site.instance_path)
    (instance / "secret_key").write_text("the-old-key\n")
    (instance / "learnhub.cfg").write_text('PUBLIC_URL = "https://hoctap.example.vn"\n')
    archive = make_archive(site, tmp_path / "site.tar.gz")
    assert {"instance/secret_key", "instance/learnhub.cfg"} <= set(members(archive))
    (instance / "secret_key").write_text("a-new-key\n")
    (instance / "learnhub.cfg").write_text('PUBLIC_URL = "https://other.example.vn"\n')

    kept = cli(site, "restore", str(archive), "--yes")

    assert kept.exit_code == 0, kept.output
    assert (instance / "secret_key").read_text() == "the-old-key\n"
    assert (instance / "secret_key").stat().st_mode & 0o777 == 0o600
    assert "other.example.vn" in (instance / "learnhub.cfg").read_text()
    assert f"Kept {instance / 'learnhub.cfg'}" in kept.stderr

    (instance / "learnhub.cfg").unlink()
    assert cli(site, "restore", str(archive), "--yes").exit_code == 0
    assert "hoctap.example.vn" in (instance / "learnhub.cfg").read_text()


def test_backup_failures_exit_with_one_line(site: Flask, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    line = refusal(cli(site, "backup", str(tmp_path / "a-file" / "site.tar.gz")))
    assert line.startswith(f"Error: {tmp_path / 'a-file'}")

    archive = make_archive(site, tmp_path / "site.tar.gz")
    assert refusal(cli(site, "backup", str(archive))) == f"Error: {archive} already exists"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".learnhub")] == []  # no leftovers


def test_a_table_added_since_the_backup_does_not_block_the_restore(site: Flask, tmp_path: Path) -> None:
    before = data_hash(site)
    archive = make_archive(site, tmp_path / "site.tar.gz")
    with site.app_context():
        with db.engine.begin() as connection:  # as a newer migration would leave it
            connection.execute(sa.text(
                "CREATE TABLE login_attempt (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES user_account (id))"
            ))
            connection.execute(sa.text("INSERT INTO login_attempt (id, user_id) SELECT 1, min(id) FROM user_account"))
        db.engine.dispose()

    result = cli(site, "restore", str(archive), "--yes")

    assert result.exit_code == 0, result.output
    assert data_hash(site) == before  # login_attempt is gone


def test_a_failed_postgresql_restore_changes_nothing(
    site: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if kind(site) != "postgresql":
        pytest.skip("PostgreSQL restores in one transaction; SQLite replaces a checked file")
    archive = make_archive(site, tmp_path / "site.tar.gz")
    mutate(site)
    mutated = data_hash(site)
    monkeypatch.setattr(database, "LOCK_TIMEOUT", "200ms")
    with site.app_context():
        server = sa.create_engine(db.engine.url).connect()
    try:
        server.execute(sa.text("SELECT count(*) FROM course"))  # a running server's open transaction

        line = refusal(cli(site, "restore", str(archive), "--yes"))
    finally:
        server.close()
        server.engine.dispose()

    assert "lock timeout" in line and line.endswith("(nothing was changed)")
    assert data_hash(site) == mutated
