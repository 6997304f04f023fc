"""The JSON API for the systems around LearnHub (/api/v1/), with personal access tokens (docs/api.md)."""
from __future__ import annotations

from flask import Blueprint


def blueprint() -> Blueprint:
    """The API blueprint with its views (exempt from CSRF: it takes tokens, never cookies)."""
    from learnhub.api import openapi, routes  # noqa: F401  (the views register on bp)
    from learnhub.api.core import bp

    return bp
