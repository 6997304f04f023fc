"""`learnhub translate ...`: keep the Vietnamese catalogue in step with the code (wraps pybabel)."""
from __future__ import annotations

import subprocess
import sys

import click
from flask.cli import AppGroup

from learnhub.resources import PACKAGE_DIR

ROOT = PACKAGE_DIR.parent
TRANSLATIONS = PACKAGE_DIR / "translations"
POT = TRANSLATIONS / "messages.pot"

translate_cli = AppGroup("translate", help="Update and compile the interface translations.")


def _pybabel(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT)
    if result.returncode != 0:
        raise click.ClickException(f"pybabel {args[0]} failed")


@translate_cli.command("update")
def update() -> None:
    """Extract every interface string and merge it into the catalogues."""
    # --ignore-dirs: read templates/_macros too (pybabel skips "_*" folders by default).
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "_lp:1c,2", "--no-location", "--sort-output", "--ignore-dirs", ".*",
             "-o", str(POT), ".")
    _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-fuzzy-matching", "--ignore-obsolete")


@translate_cli.command("compile")
def compile_catalogues() -> None:
    """Compile the catalogues to the .mo files the app reads."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")
