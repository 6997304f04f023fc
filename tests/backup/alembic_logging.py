"""Alembic's env.py reconfigures logging; tests that run it put logging back afterwards."""
from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator


@contextlib.contextmanager
def logging_kept() -> Iterator[None]:
    """Alembic's env.py calls logging.config.fileConfig, which disables every logger that exists
    (the app's too) and sets the root level: put them back for the tests that run afterwards."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    already_off = {name for name, lg in _loggers() if lg.disabled}
    try:
        yield
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
        for name, lg in _loggers():
            if name not in already_off:
                lg.disabled = False


def _loggers() -> list[tuple[str, logging.Logger]]:
    return [(name, lg) for name, lg in logging.Logger.manager.loggerDict.items() if isinstance(lg, logging.Logger)]
