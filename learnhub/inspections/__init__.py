"""Inspection and supervision of units' study ("kiểm tra, giám sát") and the yearly evaluation of units."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("inspections", __name__, url_prefix="/inspections")


def blueprint() -> Blueprint:
    """The inspections blueprint with every page attached (imported here, so that importing the
    package's models stays light and the view modules never import one another)."""
    from learnhub.inspections import report_routes, routes  # noqa: F401  (each module adds its views to bp)

    return bp
