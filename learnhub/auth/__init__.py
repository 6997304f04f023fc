"""Accounts: signing in and out, and creating users."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)


def blueprint() -> Blueprint:
    """The auth blueprint with every page attached (imported here, so that importing the package's
    models stays light and the view modules never import one another)."""
    from learnhub.auth import routes, twofactor_routes  # noqa: F401  (each module adds its views to bp)

    return bp
