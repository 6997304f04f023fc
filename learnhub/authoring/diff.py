"""A line diff of two revisions, as rows a template can show as a table."""
from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "same", "removed" or "added"
    old_line: int | None
    new_line: int | None
    text: str


def diff_rows(old: str, new: str, context: int = 3) -> list[DiffRow | None]:
    """Changed lines with ``context`` unchanged lines around them; None marks skipped lines."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[DiffRow | None] = []
    for group in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_grouped_opcodes(context):
        if rows:
            rows.append(None)
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(DiffRow("same", i + 1, j1 + k + 1, a[i]) for k, i in enumerate(range(i1, i2)))
                continue
            if tag in ("replace", "delete"):
                rows.extend(DiffRow("removed", i + 1, None, a[i]) for i in range(i1, i2))
            if tag in ("replace", "insert"):
                rows.extend(DiffRow("added", None, j + 1, b[j]) for j in range(j1, j2))
    return rows
