"""Restoring an archive: verify it, refuse what does not fit, warn, confirm, then replace."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from learnhub.backup import database
from learnhub.backup.archive import (
    DATABASE_MEMBERS,
    INSTANCE_FILES,
    Progress,
    VerifiedArchive,
    check_restorable,
    verify_archive,
)
from learnhub.backup.database import SQLITE, BackupError, Snapshot

Confirm = Callable[[VerifiedArchive, str | None], bool]


def server_activity(engine: sa.Engine) -> str | None:
    """A reason to think the server is running on this database, or None."""
    engine.dispose()  # our own connections must not count
    if database.database_kind(engine.url) == SQLITE:
        return database.sqlite_activity(database.sqlite_path(engine.url))
    return database.postgresql_activity(engine)


def restore_backup(
    engine: sa.Engine, path: Path, *, instance_path: Path, script: ScriptDirectory,
    confirm: Confirm, progress: Progress,
) -> dict[str, Any] | None:
    """Replace the database (and restore the instance settings) from the archive at ``path``.

    Every check runs before ``confirm(archive, activity)`` is asked; nothing changes unless it
    answers yes. Returns the archive's manifest, or None when not confirmed.
    """
    try:
        return _restore(engine, path, instance_path=instance_path, script=script, confirm=confirm,
                        progress=progress)
    except OSError as exc:
        raise BackupError(f"{exc.filename or path}: {exc.strerror or exc}") from None


def _restore(
    engine: sa.Engine, path: Path, *, instance_path: Path, script: ScriptDirectory,
    confirm: Confirm, progress: Progress,
) -> dict[str, Any] | None:
    kind = database.database_kind(engine.url)
    target = database.sqlite_path(engine.url) if kind == SQLITE else None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
    # Beside the SQLite file, so the restored copy replaces it with one rename.
    with tempfile.TemporaryDirectory(dir=target.parent if target else None, prefix=".learnhub-restore-") as work:
        progress(f"Checking {path} ...")
        archive = verify_archive(path, Path(work))
        check_restorable(archive.manifest, kind=kind, script=script)
        dump = archive.files[DATABASE_MEMBERS[kind]]
        if target is not None:
            _check_counts(database.check_sqlite(dump), archive.manifest, after=False)
        if not confirm(archive, server_activity(engine)):
            return None
        if target is not None:
            engine.dispose()
            database.replace_sqlite(dump, target)
        else:
            progress("Loading the dump with pg_restore and psql in one transaction ...")
            _check_counts(database.restore_postgresql(engine, dump), archive.manifest, after=True)
        restore_instance_files(archive, instance_path, progress)
    return archive.manifest


def _check_counts(snapshot: Snapshot, manifest: dict[str, Any], *, after: bool) -> None:
    if snapshot.tables == manifest["tables"]:
        return
    wrong = sorted(set(snapshot.tables) ^ set(manifest["tables"])) or sorted(
        name for name in snapshot.tables if snapshot.tables[name] != manifest["tables"][name]
    )
    state = "restored, but" if after else "nothing was changed:"
    raise BackupError(f"{state} the database's rows differ from the manifest in {', '.join(wrong[:5])}")


def restore_instance_files(archive: VerifiedArchive, instance_path: Path, progress: Progress) -> None:
    """Put back the secret key (the restored database's sessions and links need it) and a missing
    config file; a config file that differs is kept, since it may name this machine's database."""
    for name in INSTANCE_FILES:
        source = archive.files.get(f"instance/{name}")
        if source is None:
            continue
        target = instance_path / name
        data = source.read_bytes()
        if target.is_file() and target.read_bytes() == data:
            continue
        if name != "secret_key" and target.exists():
            progress(f"Kept {target}: the archive's copy differs "
                     f"(see it with: tar -xzf {archive.path} instance/{name})")
            continue
        instance_path.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=instance_path, prefix=f".{name}-")  # mode 600
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(partial, target)
        progress(f"Restored {target}.")
        if name == "secret_key" and os.environ.get("LEARNHUB_SECRET_KEY"):
            progress("LEARNHUB_SECRET_KEY is set: the key in the environment is used, not this file.")
