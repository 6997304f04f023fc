"""Online knowledge contests ("cuộc thi trực tuyến tìm hiểu ..."): rounds, public and member entries,
rankings, results and certificates with a verification page."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("contests", __name__)


def blueprint() -> Blueprint:
    """The contests blueprint with every page attached (the view modules never import one another)."""
    from learnhub.contests import certificate_routes, public, routes  # noqa: F401  (each module adds its views to bp)

    return bp
