"""Writing modules and quizzes in the browser: drafts, revisions, publishing, media and zips."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("authoring", __name__, url_prefix="/authoring")


def blueprint() -> Blueprint:
    """The authoring blueprint with every page attached (imported here, so that importing the
    package's models stays light)."""
    from learnhub.authoring import (  # noqa: F401  (each module adds its views to bp)
        gift_routes,
        history_routes,
        lesson_routes,
        media_routes,
        module_routes,
        publish_routes,
        question_routes,
        quiz_routes,
        review_routes,
    )

    return bp
