"""Rotation: 14 daily and 8 weekly archives kept, everything else in the folder left alone."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Flask

from learnhub.backup.rotation import prune
from tests.backup.archives import cli

START = dt.date(2026, 1, 1)  # a Thursday; 2026-03-01 is a Sunday


def name(day: dt.date, time: str = "190000") -> str:
    return f"learnhub-{day:%Y%m%d}-{time}.tar.gz"


def test_keeps_the_newest_of_each_of_14_days_and_8_weeks(tmp_path: Path) -> None:
    days = [START + dt.timedelta(days=n) for n in range(90)]  # up to Tuesday 2026-03-31
    for day in days:
        (tmp_path / name(day)).write_text("")
    earlier_the_same_day = [name(days[-1], "010000"), name(days[-1], "080000")]
    others = ["learnhub-before-upgrade-20260101-000000.tar.gz", "notes.txt", "learnhub-2026.tar.gz"]
    for extra in earlier_the_same_day + others:
        (tmp_path / extra).write_text("")

    removed = prune(tmp_path, daily=14, weekly=8)

    daily = {name(dt.date(2026, 3, 31) - dt.timedelta(days=n)) for n in range(14)}  # 18 to 31 March
    weekly = {name(dt.date(2026, m, d)) for m, d in [(3, 15), (3, 8), (3, 1), (2, 22), (2, 15)]}  # Sundays
    assert {p.name for p in tmp_path.iterdir()} == daily | weekly | set(others)
    assert len(removed) == 90 + 2 - 19 and set(earlier_the_same_day) <= {p.name for p in removed}


def test_backup_rotates_its_folder_after_writing(site: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    old = [folder / name(dt.date(2025, 1, d)) for d in (1, 2, 3)]
    for path in old:
        path.write_text("")

    result = cli(site, "backup", "--keep-daily", "2", "--keep-weekly", "0")

    assert result.exit_code == 0, result.output
    left = sorted(p.name for p in folder.iterdir())
    assert len(left) == 2 and left[0] == old[2].name  # the new archive and the newest old one
    assert f"Deleted {old[0].name}" in result.stderr and f"Deleted {old[1].name}" in result.stderr


def test_rotation_that_would_delete_everything_is_refused(site: Flask) -> None:
    result = cli(site, "backup", "--keep-daily", "0", "--keep-weekly", "0")
    assert result.exit_code == 2 and "cannot both be 0" in result.stderr
