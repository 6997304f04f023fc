"""Checking a member file before it is parsed: its size, a workbook's zip, a CSV's lines.

A workbook (.xlsx) is a zip: its entries, unpacked size and compression ratio are checked from the
central directory (``learnhub.archives``, shared with course zips) before openpyxl sees a byte, so a
small file that would unpack to gigabytes is refused at once. A CSV is read line by line, each line
bounded, so a file without line breaks or with NUL bytes is refused rather than held whole.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from flask_babel import lazy_gettext as _l

from learnhub.archives import ArchiveRefused, ZipLimits, check_zip_file, size_text

MAX_FILE_BYTES = 64 * 1024 * 1024  # a 100,000-member list is about 4 MB as .xlsx and 7 MB as .csv
# A 100,000-member worksheet unpacks to about 40 MB; openpyxl streams worksheets but loads the other
# parts (shared strings, styles) whole, so those are kept small.
XLSX_LIMITS = ZipLimits(max_entries=200, max_total_bytes=128 * 1024 * 1024, max_ratio=100,
                        max_entry_bytes=32 * 1024 * 1024, streamed=("xl/worksheets/",))
MAX_LINE_CHARS = 64 * 1024


class MemberFileError(ValueError):
    """The whole file cannot be read; args[0] is the (lazy) message."""


def check_member_file(path: Path, suffix: str) -> None:
    """Refuse (MemberFileError) a file too large, or a workbook whose zip is not a member list's."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise MemberFileError(_l("the file is larger than %(size)s: split the list into smaller files",
                                 size=size_text(MAX_FILE_BYTES)))
    if suffix == ".xlsx":
        try:
            check_zip_file(path, XLSX_LIMITS)
        except ArchiveRefused as refused:
            raise MemberFileError(_refusal(refused)) from refused


def _refusal(refused: ArchiveRefused) -> str:
    """The workbook's refusal in the reader's language."""
    size = size_text(refused.limit)
    messages = {
        "not_zip": _l("the file could not be read as an Excel workbook"),
        "too_many_files": _l("the workbook holds more than %(count)d parts: it is not a member list",
                             count=refused.limit),
        "too_large": _l("the workbook unpacks to more than %(size)s: split the list into smaller files", size=size),
        "entry_too_large": _l("a part of the workbook unpacks to more than %(size)s: split the list into "
                              "smaller files", size=size),
        "zip_bomb": _l("the workbook unpacks to far more than its own size, as no spreadsheet does: it was refused"),
        "encrypted": _l("the workbook is protected by a password: save it without one"),
    }
    return messages.get(refused.code, messages["not_zip"])


def bounded_lines(handle: IO[str]) -> Iterator[str]:
    """The lines of a text file, refusing (MemberFileError) a line longer than MAX_LINE_CHARS or a
    NUL character, so memory never holds more than one bounded line."""
    number = 0
    while line := handle.readline(MAX_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise MemberFileError(_l("line %(line)d is longer than %(max)d characters: is this a member list?",
                                     line=number, max=MAX_LINE_CHARS))
        if "\x00" in line:
            raise MemberFileError(_l("line %(line)d holds a NUL character: in Excel use 'Save as… CSV UTF-8'",
                                     line=number))
        yield line
