"""Reading and rewriting archives in tests: tampering, other kinds, newer migrations."""
from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path
from typing import Any

from flask import Flask


def cli(app: Flask, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def make_archive(app: Flask, path: Path) -> Path:
    result = cli(app, "backup", str(path))
    assert result.exit_code == 0, result.output
    return path


def members(path: Path) -> dict[str, bytes]:
    """Every file of the archive, in order, the manifest first."""
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}


def manifest(path: Path) -> dict[str, Any]:
    return json.loads(members(path)["manifest.json"])


def write(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def rewrite(path: Path, target: Path, *, rename: dict[str, str] | None = None, **changes: Any) -> Path:
    """A copy whose manifest has ``changes`` and whose checksums are right again: the archive of
    another site, not a damaged one."""
    files = members(path)
    meta = json.loads(files.pop("manifest.json"))
    meta.update(changes)
    files = {(rename or {}).get(name, name): data for name, data in files.items()}
    meta["files"] = {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                     for name, data in files.items()}
    return write(target, {"manifest.json": json.dumps(meta).encode(), **files})
