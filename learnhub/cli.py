"""The ``learnhub`` console script: Flask's CLI bound to the app factory."""
from __future__ import annotations

from flask.cli import FlaskGroup

from learnhub import create_app


def main() -> None:
    cli = FlaskGroup(create_app=create_app, help="LearnHub: study directives and resolutions.")
    cli.main(prog_name="learnhub")
