"""Rotation: keep the newest archive of each recent day and of each recent week, delete the rest."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

# Only archives named by `learnhub backup` itself; anything else in the folder is never touched
# (the automatic `learnhub-before-upgrade-...` archives included).
ARCHIVE_NAME = re.compile(r"^learnhub-(\d{8}-\d{6})\.tar\.gz$")


def archive_times(folder: Path) -> dict[Path, dt.datetime]:
    """The rotated archives in ``folder`` with the UTC time in their names."""
    found: dict[Path, dt.datetime] = {}
    for path in folder.iterdir():
        match = ARCHIVE_NAME.match(path.name)
        if match and path.is_file():
            try:
                found[path] = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=dt.UTC)
            except ValueError:
                continue
    return found


def archives_to_keep(times: dict[Path, dt.datetime], *, daily: int, weekly: int) -> set[Path]:
    """The newest archive of each of the last ``daily`` days that have one, and of each of the
    last ``weekly`` ISO weeks that have one (the two sets overlap)."""
    keep: set[Path] = set()
    days: set[dt.date] = set()
    weeks: set[tuple[int, int]] = set()
    for path, at in sorted(times.items(), key=lambda item: item[1], reverse=True):
        day, week = at.date(), at.isocalendar()[:2]
        if day not in days and len(days) < daily:
            days.add(day)
            keep.add(path)
        if week not in weeks and len(weeks) < weekly:
            weeks.add(week)
            keep.add(path)
    return keep


def prune(folder: Path, *, daily: int, weekly: int) -> list[Path]:
    """Delete the rotated archives in ``folder`` that the policy does not keep; return them."""
    times = archive_times(folder)
    keep = archives_to_keep(times, daily=daily, weekly=weekly)
    removed = sorted(set(times) - keep, key=lambda path: times[path])
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
