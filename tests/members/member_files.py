"""A whole member list read at once through MemberFileStream (what the importer streams), for tests."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from learnhub.members.filecheck import MemberFileError
from learnhub.members.importfile import MemberFileStream, MemberRow, RowProblem


@dataclass
class ParsedMemberFile:
    rows: list[MemberRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    total_rows: int = 0


def read_member_file(
    path: Path, filename: str | None = None, progress: Callable[[int], None] | None = None
) -> ParsedMemberFile:
    """Every row and problem the stream yields, and the columns it found; a file that cannot be
    read at all is one problem on line 1, as the import page shows it."""
    stream = MemberFileStream(path, filename, progress)
    parsed = ParsedMemberFile()
    try:
        with closing(iter(stream)) as items:
            for item in items:
                (parsed.rows if isinstance(item, MemberRow) else parsed.problems).append(item)
    except MemberFileError as error:
        return ParsedMemberFile(problems=[RowProblem(1, None, error.args[0])])
    parsed.columns, parsed.ignored_columns = stream.columns, stream.ignored_columns
    parsed.total_rows = stream.total_rows
    return parsed
