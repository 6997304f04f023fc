"""gunicorn server hooks for the load tests: each worker notes the request it is serving.

When ``LOAD_STATE_DIR`` is set, a worker writes "METHOD PATH" into ``<dir>/<pid>`` as a request
starts and empties it when the request ends, so the kill test can SIGKILL a worker that is in
the middle of a quiz submission rather than an idle one.
"""
from __future__ import annotations

import os
from pathlib import Path

_STATE_DIR = os.environ.get("LOAD_STATE_DIR")


def _note(text: str) -> None:
    if _STATE_DIR:
        Path(_STATE_DIR, str(os.getpid())).write_text(text, encoding="utf-8")


def pre_request(worker, req) -> None:  # noqa: ARG001  (gunicorn's hook signature)
    _note(f"{req.method} {req.path}")


def post_request(worker, req, environ, resp) -> None:  # noqa: ARG001
    _note("")
