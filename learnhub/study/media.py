"""How a module's stored file is sent to the browser, for every page that serves one."""
from __future__ import annotations

from flask import Response

from learnhub.courses.models import CourseMedia
from learnhub.exports import content_disposition


def media_response(item: CourseMedia) -> Response:
    """Images inline with their checked type; anything else as a download, never rendered."""
    response = Response(item.data, mimetype=item.content_type)
    if not item.content_type.startswith("image/"):
        filename = item.path.rsplit("/", 1)[-1]
        response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
