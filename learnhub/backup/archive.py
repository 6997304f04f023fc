"""Backup archives: one ``.tar.gz`` holding ``manifest.json``, the database and the instance settings.

The manifest lists the SHA-256 of every other file; a restore checks them all before it changes
anything. The checksums catch damage and truncation, not a forger (the archive is not signed).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from learnhub.backup import database
from learnhub.backup.database import KIND_NAMES, SQLITE, BackupError

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/learnhub.sqlite", "postgresql": "database/learnhub.pgdump"}
# The instance folder's settings: without its secret key a restored site signs everyone out and
# breaks links already sent. Member-import uploads there are temporary and left out.
INSTANCE_FILES = ("learnhub.cfg", "secret_key")
KNOWN_MEMBERS = {*DATABASE_MEMBERS.values(), *(f"instance/{name}" for name in INSTANCE_FILES)}
CHUNK = 1024 * 1024

Progress = Callable[[str], None]


@dataclass(frozen=True)
class VerifiedArchive:
    """An archive whose every file matched the manifest, extracted into a private folder."""

    path: Path
    manifest: dict[str, Any]
    files: dict[str, Path]


def learnhub_version() -> str:
    """The installed LearnHub's version."""
    try:
        return metadata.version("learnhub")
    except metadata.PackageNotFoundError:
        return "unknown"


def archive_name(now: dt.datetime, prefix: str = "learnhub") -> str:
    """``learnhub-YYYYMMDD-HHMMSS.tar.gz`` in UTC: names sort by time and rotation reads them."""
    return f"{prefix}-{now.astimezone(dt.UTC):%Y%m%d-%H%M%S}.tar.gz"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _private_file(path: Path) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def _plain(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def create_backup(
    engine: sa.Engine, destination: Path, *, instance_path: Path, progress: Progress,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Write the database and the instance settings to ``destination`` (mode 600) and return the
    manifest. The file appears whole or not at all: it is written beside its name, then renamed."""
    kind = database.database_kind(engine.url)
    destination = destination.absolute()
    if destination.exists():
        raise BackupError(f"{destination} already exists")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        work_dir = tempfile.TemporaryDirectory(dir=destination.parent, prefix=".learnhub-backup-")
    except OSError as exc:
        raise BackupError(f"{destination.parent}: {exc.strerror or exc}") from None
    with work_dir as work:
        copy = Path(work) / Path(DATABASE_MEMBERS[kind]).name
        if kind == SQLITE:
            source = database.sqlite_path(engine.url)
            progress(f"Copying the SQLite database {source} ...")
            snapshot = database.copy_sqlite(source, copy)
        else:
            progress(f"Dumping the PostgreSQL database {engine.url.database} with pg_dump ...")
            snapshot = database.dump_postgresql(engine, copy)
        files = {DATABASE_MEMBERS[kind]: copy}
        for name in INSTANCE_FILES:
            if (instance_path / name).is_file():  # copied, so the checksum and the archive agree
                files[f"instance/{name}"] = Path(shutil.copyfile(instance_path / name, Path(work) / name))
        manifest = {
            "format": FORMAT,
            "application": "LearnHub",
            "learnhub_version": learnhub_version(),
            "created_at": (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "database": kind,
            "alembic_revision": snapshot.revision,
            "tables": snapshot.tables,
            "files": {name: {"sha256": _sha256(path), "size": path.stat().st_size} for name, path in files.items()},
        }
        partial = Path(work) / "archive.partial"
        try:
            _write_tar(partial, manifest, files)
            os.replace(partial, destination)
        except OSError as exc:
            raise BackupError(f"{destination}: {exc.strerror or exc}") from None
    return manifest


def _write_tar(path: Path, manifest: dict[str, Any], files: dict[str, Path]) -> None:
    # The manifest goes first so a reader knows what to expect before the large files.
    with os.fdopen(_private_file(path), "wb") as raw:
        with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
            body = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
            info = _plain(tarfile.TarInfo(MANIFEST))
            info.size, info.mtime = len(body), int(dt.datetime.now(dt.UTC).timestamp())
            tar.addfile(info, io.BytesIO(body))
            for name, source in files.items():
                tar.add(source, arcname=name, recursive=False, filter=_plain)
        raw.flush()
        os.fsync(raw.fileno())


def verify_archive(path: Path, work: Path) -> VerifiedArchive:
    """Extract the archive into ``work`` checking every file against the manifest; any damage,
    truncation, missing or unexpected file refuses the archive before anything is restored."""
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            manifest, first = _read_manifest(tar, path)
            expected = manifest["files"]
            extracted: dict[str, Path] = {}
            for member in tar:
                if member is first:
                    continue
                name = member.name
                if name not in expected or name in extracted or not member.isfile():
                    raise BackupError(f"{path}: unexpected entry {name!r}: not an archive made by `learnhub backup`")
                target = work / Path(name).name
                extracted[name] = target
                source = tar.extractfile(member)
                assert source is not None
                digest, size = hashlib.sha256(), 0
                with source, os.fdopen(_private_file(target), "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                if digest.hexdigest() != expected[name]["sha256"] or size != expected[name]["size"]:
                    raise BackupError(f"{path}: {name} does not match its checksum: the archive was changed or damaged")
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{path}: damaged or truncated archive ({exc})") from None
    missing = sorted(set(expected) - set(extracted))
    if missing:
        raise BackupError(f"{path}: {', '.join(missing)} missing: the archive is incomplete")
    return VerifiedArchive(path, manifest, extracted)


def _read_manifest(tar: tarfile.TarFile, path: Path) -> tuple[dict[str, Any], tarfile.TarInfo]:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise BackupError(f"{path}: no {MANIFEST} first: not an archive made by `learnhub backup`")
    handle = tar.extractfile(first)
    assert handle is not None
    try:
        manifest = json.loads(handle.read(CHUNK).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError(f"{path}: {MANIFEST} cannot be read") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"{path}: archive format {found!r} is not one this LearnHub reads ({FORMAT})")
    files = manifest.get("files")
    kind = manifest.get("database")
    if (
        kind not in DATABASE_MEMBERS or not isinstance(files, dict) or DATABASE_MEMBERS[kind] not in files
        or not set(files) <= KNOWN_MEMBERS or not isinstance(manifest.get("tables"), dict)
        or not all(isinstance(v, dict) and {"sha256", "size"} <= set(v) for v in files.values())
    ):
        raise BackupError(f"{path}: {MANIFEST} is incomplete or lists unexpected files")
    return manifest, first


def check_restorable(manifest: dict[str, Any], *, kind: str, script: ScriptDirectory) -> None:
    """Refuse an archive of the other database kind, or one made by a newer LearnHub's schema."""
    if manifest["database"] != kind:
        raise BackupError(
            f"the archive holds a {KIND_NAMES[manifest['database']]} database but this LearnHub uses "
            f"{KIND_NAMES[kind]}: restore it where LEARNHUB_DATABASE_URL names a {KIND_NAMES[manifest['database']]} database"
        )
    known = {revision.revision for revision in script.walk_revisions()}
    for revision in (manifest.get("alembic_revision") or "").split():
        if revision not in known:
            raise BackupError(
                f"the archive's database is at migration {revision}, newer than this LearnHub "
                f"(made by LearnHub {manifest.get('learnhub_version', '?')}): install that version to restore it"
            )


def describe(archive: VerifiedArchive) -> str:
    """One line saying what the archive holds."""
    manifest = archive.manifest
    rows = sum(manifest["tables"].values())
    return (
        f"{archive.path.name}: {KIND_NAMES[manifest['database']]} database made {manifest.get('created_at')} "
        f"by LearnHub {manifest.get('learnhub_version')}, migration {manifest.get('alembic_revision')}, "
        f"{len(manifest['tables'])} tables, {rows} rows"
    )


def backup_before_upgrade(
    engine: sa.Engine, script: ScriptDirectory, *, folder: Path, instance_path: Path, progress: Progress,
) -> Path | None:
    """Back up a SQLite database that has migrations pending; None when there is nothing to keep
    (another database, no file or an empty one yet, or already at the newest migration)."""
    if engine.url.get_backend_name() != SQLITE:
        return None
    path = database.sqlite_path(engine.url)
    if not path.is_file() or path.stat().st_size == 0 or not database.pending_migrations(engine, script):
        return None
    now = dt.datetime.now(dt.UTC)
    destination = folder / archive_name(now, prefix="learnhub-before-upgrade")
    create_backup(engine, destination, instance_path=instance_path, progress=progress, now=now)
    return destination
