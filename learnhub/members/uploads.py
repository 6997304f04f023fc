"""Uploaded member files kept between the preview and the confirmation, then deleted."""
from __future__ import annotations

import json
import secrets
import time
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

MAX_AGE_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_upload(file: FileStorage, *, owner_id: int, unit_id: int) -> str:
    """Store the file under a random name (never the user's) and return its token."""
    _remove_stale()
    token = secrets.token_urlsafe(16)
    filename = file.filename or "members"
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    file.save(_folder() / f"{token}{suffix}")
    meta = {"owner": owner_id, "unit": unit_id, "filename": filename, "suffix": suffix}
    (_folder() / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def load_upload(token: str, owner_id: int) -> tuple[Path, dict] | None:
    """The stored file and its details, only for the person who uploaded it."""
    if not token.replace("-", "").replace("_", "").isalnum():
        return None
    meta_path = _folder() / f"{token}.json"
    if not meta_path.is_file():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("owner") != owner_id:
        return None
    return _folder() / f"{token}{meta['suffix']}", meta


def delete_upload(token: str) -> None:
    for path in _folder().glob(f"{token}.*"):
        path.unlink(missing_ok=True)


def _remove_stale() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _folder().iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
