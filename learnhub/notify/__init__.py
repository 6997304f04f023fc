"""Reminders that reach people (in-app, e-mail, SMS, Zalo), their delivery log, and calendar feeds."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("notify", __name__)


def blueprint() -> Blueprint:
    """The notifier's blueprint with its pages attached (imported here so the models stay light)."""
    from learnhub.notify import calendar_routes, routes  # noqa: F401  (each module adds its views to bp)

    return bp
