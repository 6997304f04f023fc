"""A course folder's ``media/`` files: accepted by their content (magic bytes), never by their name.

Images and PDFs as before; audio (mp3, m4a, ogg) and video (mp4, webm), each needing a transcript
beside it (``bai-noi.mp3`` → ``bai-noi.txt``, UTF-8 text) that the lesson shows under the player.
Audio and video may be up to the MEDIA_MAX_MB setting (LEARNHUB_MEDIA_MAX_MB); other files 10 MB.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flask import current_app, has_app_context

from learnhub.courses.problems import Collector
from learnhub.markdown import PLAYER_TYPES, TRANSCRIPT_SUFFIX, transcript_name

__all__ = ["PLAYER_TYPES", "TRANSCRIPT_SUFFIX", "transcript_name"]  # kept here too for the course feature

MAX_MEDIA_BYTES = 10 * 1024 * 1024
DEFAULT_PLAYER_MAX_MB = 16  # audio and video, unless the MEDIA_MAX_MB setting says otherwise
MAX_TRANSCRIPT_BYTES = 200 * 1024
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


def is_player(name: str) -> bool:
    """Whether a media name is audio or video (shown as a player with its transcript)."""
    return PurePosixPath(name).suffix.lower() in PLAYER_TYPES


def player_max_bytes() -> int:
    """The largest audio or video file accepted (the MEDIA_MAX_MB setting, in MB)."""
    mb = current_app.config.get("MEDIA_MAX_MB", DEFAULT_PLAYER_MAX_MB) if has_app_context() else DEFAULT_PLAYER_MAX_MB
    return int(mb) * 1024 * 1024


def max_bytes_for(suffix: str) -> int:
    """The size limit of a media file with this (lower-case) extension."""
    return player_max_bytes() if suffix in PLAYER_TYPES else MAX_MEDIA_BYTES


def _is_mp3(data: bytes) -> bool:
    # An ID3 tag, or an MPEG audio frame sync (11 bits set, layer bits not 00).
    return data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0
                                         and data[1] & 0x06 != 0)


def sniff_player_type(data: bytes, suffix: str) -> str | None:
    """The content type of audio or video whose bytes agree with the extension, else None."""
    checks = {
        ".mp3": _is_mp3(data),
        ".m4a": data[4:8] == b"ftyp",
        ".mp4": data[4:8] == b"ftyp",
        ".ogg": data.startswith(b"OggS"),
        ".webm": data.startswith(b"\x1a\x45\xdf\xa3"),
    }
    return PLAYER_TYPES[suffix] if checks.get(suffix) else None


def sniff_transcript(data: bytes) -> str | None:
    """``text/plain; charset=utf-8`` for a UTF-8 text without NUL bytes, else None."""
    if b"\x00" in data or len(data) > MAX_TRANSCRIPT_BYTES:
        return None
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return "text/plain; charset=utf-8"


def sniff_media_type(data: bytes, suffix: str) -> str | None:
    """The content type when the bytes are a known image, PDF, audio, video or transcript and the
    extension agrees."""
    if suffix in PLAYER_TYPES:
        return sniff_player_type(data, suffix)
    if suffix == TRANSCRIPT_SUFFIX:
        return sniff_transcript(data)
    for signature, content_type, suffixes in MEDIA_SIGNATURES:
        if data.startswith(signature):
            return content_type if suffix in suffixes else None
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp" if suffix == ".webp" else None
    return None


def transcripts_of(files: Iterable[tuple[str, bytes]]) -> dict[str, str]:
    """The transcripts among (path, data) media files: ``{"bai-noi.txt": text}``, for the renderer."""
    found: dict[str, str] = {}
    for path, data in files:
        if path.lower().endswith(TRANSCRIPT_SUFFIX):
            try:
                found[path] = data.decode("utf-8-sig").replace("\r\n", "\n")
            except UnicodeDecodeError:
                continue
    return found


def read_media(folder: Path, out: Collector) -> list[MediaSource]:
    """The accepted files below ``folder/media``; each refused one reported at line 1."""
    media_dir = folder / "media"
    if not media_dir.is_dir():
        return []
    media: list[MediaSource] = []
    for path in sorted(p for p in media_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(media_dir).as_posix()
        data = path.read_bytes()
        suffix = path.suffix.lower()
        limit = max_bytes_for(suffix)
        if len(data) > limit:
            out.error(path, 1, "media_too_large", mb=limit // (1024 * 1024))
            continue
        content_type = sniff_media_type(data, suffix)
        if content_type is None:
            out.error(path, 1, "media_player_content" if suffix in PLAYER_TYPES else "media_type")
            continue
        media.append(MediaSource(relative, content_type, data))
    return media
