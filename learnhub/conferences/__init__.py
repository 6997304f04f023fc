"""Study conferences ("hội nghị học tập, quán triệt"): invitations, attendance and self check-in."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("conferences", __name__, url_prefix="/conferences")


def blueprint() -> Blueprint:
    """The conferences blueprint with every page attached (imported here, so that importing the
    package's models stays light and the view modules never import one another)."""
    from learnhub.conferences import (  # noqa: F401  (each module adds its views to bp)
        check_in_routes,
        roster_routes,
        routes,
    )

    return bp
