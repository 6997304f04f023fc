"""Checking what authors upload: media files and course zips (no Flask, no database).

``check_media_upload`` decides by content (magic bytes), never by the name or the browser's
content type, and gives a safe stored name. ``safe_extract_course_zip`` unpacks a course folder
zip (docs/course-format.md) refusing path tricks, links, encryption and zip bombs;
``course_zip_bytes`` builds the same kind of zip, byte for byte reproducible.
"""
from __future__ import annotations

import io
import re
import shutil
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from learnhub.archives import ArchiveRefused, ZipLimits, check_entries, is_bomb
from learnhub.courses.format import SLUG_RE
from learnhub.courses.media_files import (
    MEDIA_SIGNATURES,
    PLAYER_TYPES,
    TRANSCRIPT_SUFFIX,
    max_bytes_for,
    sniff_media_type,
)
from learnhub.text import fold

MAX_NAME_CHARS = 80
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
_CHUNK = 64 * 1024
_IGNORED_NAMES = {"__MACOSX", ".DS_Store"}
_SVG_SUFFIXES = {".svg", ".svgz"}

# (content type, accepted suffixes; the first is canonical), in the order format.py knows them.
_MEDIA_TYPES: list[tuple[str, tuple[str, ...]]] = [
    *((content_type, suffixes) for _, content_type, suffixes in MEDIA_SIGNATURES),
    ("image/webp", (".webp",)),  # sniff_media_type knows WebP too (RIFF....WEBP)
]


class UploadRefused(ValueError):
    """An upload LearnHub will not take: ``code`` for programs, ``message`` (English) for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CheckedMedia:
    name: str
    content_type: str


# --- media ------------------------------------------------------------------------------------


def detect_media_type(data: bytes) -> tuple[str, tuple[str, ...]] | None:
    """The content type and its suffixes when the bytes are an accepted image or PDF."""
    for content_type, suffixes in _MEDIA_TYPES:
        if sniff_media_type(data, suffixes[0]) == content_type:
            return content_type, suffixes
    return None


def _split_name(filename: str) -> tuple[str, str]:
    """The last path part of an uploaded name, split into stem and lower-case suffix."""
    base = re.split(r"[/\\]", filename.replace("\x00", ""))[-1].strip()
    head, dot, tail = base.rpartition(".")
    if not dot:
        return base, ""
    return head, "." + tail.lower()


def safe_stem(text: str, max_chars: int = MAX_NAME_CHARS) -> str:
    """``text`` folded to ASCII lower case a-z, 0-9 and '-': "Sơ đồ tổ chức" -> "so-do-to-chuc"."""
    folded = fold(unicodedata.normalize("NFC", text))
    stem = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return stem[:max_chars].rstrip("-")


def check_media_upload(filename: str, data: bytes, *, max_bytes: int | None = None) -> CheckedMedia:
    """Accept a PNG, JPEG, GIF, WebP or PDF, an audio or video file (mp3, m4a, ogg, mp4, webm) or a
    UTF-8 .txt transcript whose content agrees with its extension.

    Raises ``UploadRefused`` with code "empty", "too_large", "unsupported_type" (unknown content,
    and every SVG, which can carry script) or "type_mismatch" (the extension names another type).
    The returned name is ``<folded stem>.<canonical extension>``, at most 80 characters. Audio and
    video may be up to the MEDIA_MAX_MB setting, other files 10 MB (``max_bytes`` overrides both).
    """
    stem, suffix = _split_name(filename)
    if not data:
        raise UploadRefused("empty", "The file is empty.")
    limit = max_bytes if max_bytes is not None else max_bytes_for(suffix)
    if len(data) > limit:
        raise UploadRefused("too_large", f"The file is larger than {_size_text(limit)}.")
    if suffix in PLAYER_TYPES or suffix == TRANSCRIPT_SUFFIX:
        content_type = sniff_media_type(data, suffix)
        if content_type is None:
            kind = "a UTF-8 text" if suffix == TRANSCRIPT_SUFFIX else f"{suffix[1:]} audio or video"
            raise UploadRefused("type_mismatch", f"The content is not {kind}, as the extension {suffix!r} says.")
        return CheckedMedia((safe_stem(stem, MAX_NAME_CHARS - len(suffix)) or "file") + suffix, content_type)
    accepted = "PNG, JPEG, GIF or WebP images and PDF files"
    if suffix in _SVG_SUFFIXES:
        raise UploadRefused("unsupported_type", f"SVG images are not accepted: upload {accepted}.")
    detected = detect_media_type(data)
    if detected is None:
        raise UploadRefused("unsupported_type", f"Only {accepted} are accepted (checked by content).")
    content_type, suffixes = detected
    if suffix not in suffixes:
        what = f"The extension {suffix!r}" if suffix else "A file name without an extension"
        raise UploadRefused(
            "type_mismatch",
            f"{what} does not match the content ({content_type}); name it {suffixes[0]}.",
        )
    extension = suffixes[0]
    name = (safe_stem(stem, MAX_NAME_CHARS - len(extension)) or "file") + extension
    return CheckedMedia(name, content_type)


def unique_name(name: str, taken: set[str]) -> str:
    """``name`` or, when taken, ``<stem>-2<ext>``, ``<stem>-3<ext>`` ... (still at most 80 chars)."""
    if name not in taken:
        return name
    head, dot, tail = name.rpartition(".")
    stem, extension = (head, dot + tail) if dot and head else (name, "")
    number = 2
    while True:
        counter = f"-{number}"
        room = max(MAX_NAME_CHARS - len(extension) - len(counter), 1)
        candidate = stem[:room].rstrip("-") + counter + extension
        if candidate not in taken:
            return candidate
        number += 1


def _size_text(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n} bytes"


# --- course zips ------------------------------------------------------------------------------


def _ignored(parts: list[str]) -> bool:
    return any(part in _IGNORED_NAMES for part in parts)


def _member_parts(info: zipfile.ZipInfo) -> list[str]:
    """The checked path parts of a member; refuses anything that could leave the folder."""
    name = info.filename
    bad = UploadRefused("bad_path", f"The zip holds an unsafe path: {name!r}.")
    if (
        not name
        or "\\" in name
        or name.startswith("/")
        or re.match(r"^[A-Za-z]:", name)
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in name)
    ):
        raise bad
    parts = name.rstrip("/").split("/") if info.is_dir() else name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise bad
    return parts


def _check_members(
    zf: zipfile.ZipFile, max_files: int, max_total_bytes: int, max_ratio: float
) -> tuple[str, list[tuple[zipfile.ZipInfo, list[str]]]]:
    """The slug and the members to extract, after checking every header."""
    members: list[tuple[zipfile.ZipInfo, list[str]]] = []
    for info in zf.infolist():
        parts = _member_parts(info)
        if _ignored(parts):
            continue
        members.append((info, parts))
    try:  # entries, encryption, ratio and total size: the checks member workbooks share
        check_entries([info for info, _ in members], ZipLimits(max_files, max_total_bytes, max_ratio))
    except ArchiveRefused as exc:
        raise UploadRefused(exc.code, exc.message) from exc
    if not members:
        raise UploadRefused("no_top_folder", "The zip is empty: it must hold one course folder.")

    if any(len(parts) == 1 and not info.is_dir() for info, parts in members):
        raise UploadRefused(
            "no_top_folder",
            "The zip must hold one course folder (zip the folder itself, not the files in it).",
        )
    tops = sorted({parts[0] for _, parts in members})
    if len(tops) > 1:
        names = ", ".join(tops[:5])
        raise UploadRefused(
            "several_top_folders",
            f"The zip must hold exactly one course folder, not several ({names}).",
        )
    slug = tops[0]
    if not SLUG_RE.match(slug):
        raise UploadRefused(
            "bad_slug",
            f"The folder name {slug!r} must be a slug: a-z, 0-9 and '-', 1-80 characters.",
        )

    files: set[tuple[str, ...]] = set()
    dirs: set[tuple[str, ...]] = set()
    for info, parts in members:
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise UploadRefused("bad_path", f"The zip holds a link: {info.filename!r}.")
        if info.flag_bits & 0x1:
            raise UploadRefused("encrypted", f"The zip holds an encrypted file: {info.filename!r}.")
        dirs.update(tuple(parts[:i]) for i in range(1, len(parts)))
        if info.is_dir():
            dirs.add(tuple(parts))
            continue
        if tuple(parts) in files:
            raise UploadRefused("bad_path", f"The zip holds {info.filename!r} twice.")
        files.add(tuple(parts))
    clash = files & dirs
    if clash:
        raise UploadRefused("bad_path", f"{'/'.join(min(clash))!r} is both a file and a folder.")
    return slug, members


def _extract(
    zf: zipfile.ZipFile,
    members: list[tuple[zipfile.ZipInfo, list[str]]],
    root: Path,
    max_total_bytes: int,
    max_ratio: float,
) -> None:
    """Write the members below ``root``, counting the bytes really unpacked."""
    total = 0
    for info, parts in members:
        target = root.joinpath(*parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with zf.open(info) as source, target.open("xb") as sink:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                total += len(chunk)
                if written > info.file_size or is_bomb(written, info.compress_size, max_ratio):
                    raise UploadRefused(
                        "zip_bomb", f"{info.filename!r} unpacks to far more than it holds."
                    )
                if total > max_total_bytes:
                    raise UploadRefused(
                        "too_large",
                        f"The course unpacks to more than {_size_text(max_total_bytes)}.",
                    )
                sink.write(chunk)


def safe_extract_course_zip(
    data: bytes,
    dest: Path,
    *,
    max_files: int = 500,
    max_total_bytes: int = 100 * 1024 * 1024,
    max_ratio: float = 100,
) -> Path:
    """Unpack a zip holding one course folder into ``dest``; return ``dest / <slug>``.

    Raises ``UploadRefused`` (codes "not_zip", "no_top_folder", "several_top_folders",
    "bad_path", "too_many_files", "too_large", "zip_bomb", "encrypted", "bad_slug") and leaves
    nothing in ``dest`` then. ``__MACOSX/`` and ``.DS_Store`` entries are skipped. Raises
    ``FileExistsError`` when ``dest / <slug>`` already exists (the caller picks a fresh ``dest``).
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise UploadRefused("not_zip", "The file is not a zip archive.") from exc
    with zf:
        slug, members = _check_members(zf, max_files, max_total_bytes, max_ratio)
        dest.mkdir(parents=True, exist_ok=True)
        final = dest / slug
        if final.exists():
            raise FileExistsError(final)
        staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=dest))
        try:
            try:
                _extract(zf, members, staging, max_total_bytes, max_ratio)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
                raise UploadRefused(
                    "not_zip", f"The zip is damaged or uses an unsupported method ({exc})."
                ) from exc
            except (FileExistsError, NotADirectoryError, IsADirectoryError) as exc:
                raise UploadRefused("bad_path", "The zip holds clashing paths.") from exc
            (staging / slug).mkdir(exist_ok=True)
            (staging / slug).rename(final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return final


def course_zip_bytes(folder: Path) -> bytes:
    """A reproducible zip of a course folder: ``<folder name>/...``, files only, sorted paths,
    1980-01-01 timestamps, deflated. Links and hidden (dot) files and folders are left out."""
    top = folder.name
    files = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(part.startswith(".") or part in _IGNORED_NAMES for part in relative.parts):
            continue
        if path.is_symlink() or not path.is_file():
            continue
        files.append((relative.as_posix(), path))
    files.sort(key=lambda item: item[0])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, path in files:
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            zf.writestr(info, path.read_bytes(), compresslevel=9)
    return buffer.getvalue()
