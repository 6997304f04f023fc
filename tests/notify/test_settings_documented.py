"""Every reminder setting is in the README's configuration table."""
from __future__ import annotations

from pathlib import Path

from learnhub.config import DEFAULTS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
TABLE = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]


def test_the_readme_lists_every_reminder_setting() -> None:
    keys = [key for key in DEFAULTS if key.startswith(("REMINDER_", "NOTIFY_", "SMS_", "ZALO_"))]
    assert len(keys) == 15
    missing = [key for key in keys if f"`LEARNHUB_{key}`" not in TABLE
               and not any(key.startswith(group) and f"`_{key.removeprefix(group)}`" in TABLE
                           for group in ("SMS_GATEWAY_", "ZALO_"))]
    assert missing == []
