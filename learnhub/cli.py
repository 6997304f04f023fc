"""The ``learnhub`` console script: Flask's CLI bound to the app factory, every refusal in one line."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import click
from flask.cli import FlaskGroup

from learnhub import create_app


def is_refusal(error: BaseException) -> bool:
    """A rule said no (LearnHub's own *Refused/*Error exceptions, a bad value, a file that cannot be
    read): the person at the terminal needs the reason, not a traceback. Anything else is a bug and
    keeps its traceback."""
    return isinstance(error, ValueError | OSError | OverflowError) or type(error).__module__.startswith("learnhub.")


def one_line(error: BaseException) -> str:
    """``Error: attempt refused: no_attempts_left``, ``Error: a.csv: No such file or directory``."""
    if isinstance(error, OSError) and error.strerror:
        text = f"{error.filename}: {error.strerror}" if error.filename else error.strerror
    else:
        text = str(error) or type(error).__name__
    if type(error).__module__.startswith("learnhub."):  # say which rule: AttemptRefused -> "attempt refused"
        text = f"{re.sub(r'(?<!^)(?=[A-Z])', ' ', type(error).__name__).lower()}: {text}"
    return " / ".join(line.strip() for line in text.splitlines() if line.strip())


def _refusing_in_one_line(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except click.ClickException:
            raise
        except Exception as error:
            if not is_refusal(error):
                raise
            raise click.ClickException(one_line(error)) from None

    return run


def refusals_in_one_line(group: click.Group) -> None:
    """Wrap every command under ``group`` so that a refusal ends it with ``Error: ...`` and exit code 1."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            refusals_in_one_line(command)
        if command.callback is not None and not getattr(command, "_refuses_in_one_line", False):
            command.callback = _refusing_in_one_line(command.callback)
            command._refuses_in_one_line = True  # type: ignore[attr-defined]


def main() -> None:
    cli = FlaskGroup(create_app=create_app, help="LearnHub: study directives and resolutions.")
    cli.main(prog_name="learnhub")
