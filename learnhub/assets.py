"""Light pages: compressed responses, content-hashed static URLs and their caching (docs/performance.md).

Every `url_for('static', filename=...)` carries the file's content hash (`?v=<hash>`), and a static
response whose URL carries the file's current hash is cached for a year as immutable: a warm page
asks the server for its HTML only. A file whose name already holds its hash (the fonts,
`name.<hash>.woff2`, referred to from CSS by relative URLs) is immutable under that name. Any other
static URL (a stale hash, none at all) keeps `no-cache`: the browser revalidates it with its ETag.
The hash is read again when a file changes (keyed by its mtime and size), so an update served without
a restart never sends new bytes under an old hash.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from stat import S_ISREG
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request, send_from_directory
from flask_compress import Compress

IMMUTABLE = "public, max-age=31536000, immutable"
HASH_LENGTH = 10
HASHED_NAME = re.compile(rf"\.([0-9a-f]{{{HASH_LENGTH}}})\.[A-Za-z0-9]+$")
# Text worth compressing; images, fonts and downloads are compressed already.
COMPRESSED_TYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                    "application/json", "image/svg+xml", "text/plain", "text/csv"]
FAVICON = "favicon.svg"

compress = Compress()
bp = Blueprint("assets", __name__)
_hashes: dict[tuple[str, int, int], str] = {}
_found: dict[tuple[str, str], Path] = {}  # (static folder, name) -> the file, resolved


def static_hash(filename: str) -> str | None:
    """The first HASH_LENGTH hex digits of a static file's SHA-256, or None for no such file."""
    folder = current_app.static_folder or ""
    path = _found.get((folder, filename))
    if path is None:  # resolved once per name; only names of files that exist are kept (bounded)
        root = Path(folder)
        path = (root / filename).resolve()
        if not path.is_relative_to(root.resolve()) or not path.is_file():
            return None
        _found[(folder, filename)] = path
    try:
        stat = path.stat()  # every time: a file changed without a restart gets its new hash at once
    except OSError:
        return None
    if not S_ISREG(stat.st_mode):
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _hashes:
        _hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
    return _hashes[key]


def _name_carries_hash(filename: str) -> bool:
    return HASHED_NAME.search(filename) is not None


def add_static_version(endpoint: str, values: dict[str, Any]) -> None:
    """`url_for('static', ...)` adds `v=<hash>` unless the name already carries its hash."""
    if endpoint != "static" or "v" in values:
        return
    filename = values.get("filename")
    if filename and not _name_carries_hash(filename) and (digest := static_hash(filename)):
        values["v"] = digest


def cache_static(response: Response) -> Response:
    """A year's immutable caching for a static URL naming the file's current content, no-cache otherwise."""
    if request.endpoint != "static" or response.status_code not in (200, 206, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    digest = static_hash(filename)
    named = HASHED_NAME.search(filename)
    if digest and (request.args.get("v") == digest or (named and named.group(1) == digest)):
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/favicon.ico")
def favicon():
    """Browsers that ignore the page's `<link rel="icon">` ask here; they get the same SVG."""
    response = send_from_directory(current_app.static_folder or "", FAVICON, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=604800"
    return response


def init_assets(app: Flask) -> None:
    """Compression (br or gzip; deflate for streamed files) unless COMPRESS_RESPONSES is false, and the
    static URL hashes and caching."""
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "deflate"])  # static files are streamed
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.url_defaults(add_static_version)
    app.after_request(cache_static)  # runs after compression (after_request runs in reverse order)
    if app.config.get("COMPRESS_RESPONSES", True):
        compress.init_app(app)
    app.register_blueprint(bp)
