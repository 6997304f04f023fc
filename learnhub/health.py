"""`/healthz`: the liveness check a reverse proxy or a monitor polls.

It answers without touching the database or the session, so it also serves the benchmarks as the
cheapest request the server can answer (the "trivial route" other pages are compared with).
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
