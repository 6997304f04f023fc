"""Where LearnHub finds its top-level folders, in a source checkout and in an installed wheel."""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_SOURCE_ROOT = PACKAGE_DIR.parent


def resource_dir(name: str) -> Path:
    """Return the folder ``name`` (templates, migrations, courses).

    A source checkout keeps them beside the package; the wheel build maps them
    into ``learnhub/_bundled/`` (see pyproject.toml), so both layouts work.
    """
    source = _SOURCE_ROOT / name
    if (_SOURCE_ROOT / "pyproject.toml").is_file() and source.is_dir():
        return source
    return PACKAGE_DIR / "_bundled" / name
