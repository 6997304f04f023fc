"""A course folder's ``media/`` files: accepted by their content (magic bytes), never by their name."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from learnhub.courses.problems import Collector

MAX_MEDIA_BYTES = 10 * 1024 * 1024
MEDIA_SIGNATURES: list[tuple[bytes, str, tuple[str, ...]]] = [
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"GIF87a", "image/gif", (".gif",)),
    (b"GIF89a", "image/gif", (".gif",)),
    (b"%PDF-", "application/pdf", (".pdf",)),
]


@dataclass
class MediaSource:
    path: str  # relative to media/, kept exactly as the author named it
    content_type: str
    data: bytes


def sniff_media_type(data: bytes, suffix: str) -> str | None:
    """The content type when the bytes are a known image or PDF and the extension agrees."""
    for signature, content_type, suffixes in MEDIA_SIGNATURES:
        if data.startswith(signature):
            return content_type if suffix in suffixes else None
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp" if suffix == ".webp" else None
    return None


def read_media(folder: Path, out: Collector) -> list[MediaSource]:
    """The accepted files below ``folder/media``; each refused one reported at line 1."""
    media_dir = folder / "media"
    if not media_dir.is_dir():
        return []
    media: list[MediaSource] = []
    for path in sorted(p for p in media_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(media_dir).as_posix()
        data = path.read_bytes()
        if len(data) > MAX_MEDIA_BYTES:
            out.error(path, 1, "media_too_large", mb=MAX_MEDIA_BYTES // (1024 * 1024))
            continue
        content_type = sniff_media_type(data, path.suffix.lower())
        if content_type is None:
            out.error(path, 1, "media_type")
            continue
        media.append(MediaSource(relative, content_type, data))
    return media
