"""Looking inside a zip before anything unpacks or parses it: entries, unpacked size, compression ratio.

Course zips (``learnhub.authoring.uploads``) and member workbooks (an .xlsx is a zip;
``learnhub.members.importfile``) are checked here, from the zip's central directory alone, before a
byte is decompressed. Python's ``zipfile`` never returns more than an entry's declared size (and
fails on a wrong checksum), so the declared sizes checked here bound what any reader can get out.
"""
from __future__ import annotations

import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# An entry smaller than this is never called a bomb, whatever its ratio: a short file of spaces
# compresses a few hundred times and harms nobody.
RATIO_CHECK_MIN_BYTES = 1024 * 1024
_EOCD = struct.Struct("<4s4H2LH")  # the end of central directory record
_EOCD_SEARCH = _EOCD.size + 65535  # it ends the file, after a comment of at most 64 KB


class ArchiveRefused(ValueError):
    """A zip LearnHub will not open: ``code`` for programs ("not_zip", "too_many_files", "too_large",
    "entry_too_large", "zip_bomb", "encrypted"), ``message`` (English) for logs and the CLI, ``limit``
    the figure that was passed (entries or bytes) for a translated message."""

    def __init__(self, code: str, message: str, limit: int = 0) -> None:
        super().__init__(message)
        self.code, self.message, self.limit = code, message, limit


@dataclass(frozen=True)
class ZipLimits:
    """What a zip may hold. ``max_entry_bytes`` bounds each entry a reader loads whole; entries whose
    names start with one of ``streamed`` are read piece by piece and only count towards the total."""

    max_entries: int
    max_total_bytes: int
    max_ratio: float
    max_entry_bytes: int | None = None
    streamed: tuple[str, ...] = ()


def size_text(n: int) -> str:
    """A byte count for people: "100 MB", "64 KB", "300 bytes"."""
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n} bytes"


def is_bomb(size: int, compressed: int, max_ratio: float) -> bool:
    """Whether ``size`` unpacked bytes from ``compressed`` packed ones is a ratio no honest file has."""
    return size > RATIO_CHECK_MIN_BYTES and size > max_ratio * max(compressed, 1)


def check_entries(infos: Sequence[zipfile.ZipInfo], limits: ZipLimits) -> int:
    """Refuse (``ArchiveRefused``) too many entries, encryption, a bomb-like ratio, an entry or a
    total too large; return the total declared unpacked size."""
    if len(infos) > limits.max_entries:
        raise ArchiveRefused("too_many_files", f"The zip holds more than {limits.max_entries} entries.",
                             limits.max_entries)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ArchiveRefused("encrypted", f"The zip holds an encrypted file: {info.filename!r}.")
        if is_bomb(info.file_size, info.compress_size, limits.max_ratio):
            raise ArchiveRefused("zip_bomb", f"{info.filename!r} unpacks to far more than it holds.")
        if (limits.max_entry_bytes is not None and info.file_size > limits.max_entry_bytes
                and not info.filename.startswith(limits.streamed or ("\0",))):
            raise ArchiveRefused("entry_too_large", f"{info.filename!r} unpacks to more than "
                                 f"{size_text(limits.max_entry_bytes)}.", limits.max_entry_bytes)
        total += info.file_size
        if total > limits.max_total_bytes:
            raise ArchiveRefused("too_large", f"The zip unpacks to more than {size_text(limits.max_total_bytes)}.",
                                 limits.max_total_bytes)
    return total


def declared_entries(path: Path) -> int | None:
    """The entry count the zip's end record declares, read before the central directory is parsed
    (a directory of millions of entries would cost memory just to list); None when not found."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - _EOCD_SEARCH))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        return None
    entries = _EOCD.unpack_from(tail, at)[4]
    return None if entries == 0xFFFF else entries  # 0xFFFF: a zip64 count, left to zipfile


def check_zip_file(path: Path, limits: ZipLimits) -> int:
    """Check the zip at ``path`` from its central directory (nothing is decompressed); return the
    total declared unpacked size. A file that is not a zip is refused with code "not_zip"."""
    entries = declared_entries(path)
    if entries is not None and entries > limits.max_entries:
        raise ArchiveRefused("too_many_files", f"The zip holds more than {limits.max_entries} entries.",
                             limits.max_entries)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise ArchiveRefused("not_zip", "The file is not a zip archive.") from exc
    return check_entries(infos, limits)
