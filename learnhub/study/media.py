"""How a module's stored file is sent to the browser, for every page that serves one."""
from __future__ import annotations

from flask import Response, request
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from learnhub.courses.models import CourseMedia
from learnhub.exports import content_disposition


def media_response(item: CourseMedia) -> Response:
    """Images, audio and video inline with their checked type; anything else as a download, never
    rendered. Range requests are answered (206) so that players can seek; the digest is the ETag."""
    return stored_file_response(item.data, item.content_type, item.path.rsplit("/", 1)[-1], etag=item.sha256)


def stored_file_response(data: bytes, content_type: str, filename: str, *, etag: str | None = None) -> Response:
    """A stored file as :func:`media_response` sends it (also used for bulletin recordings)."""
    response = Response(data, mimetype=content_type)
    if not content_type.startswith(("image/", "audio/", "video/")):
        response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=3600"
    if etag:
        response.set_etag(etag)
    environ, asked = request.environ, request.range
    if request.headers.get("Range") and (asked is None or asked.units != "bytes" or len(asked.ranges) != 1):
        # not one byte range (malformed, another unit, several at once): ignored, the whole file is
        # sent (RFC 9110 14.2), as Werkzeug would refuse it with 416 and the player would stop
        environ = {key: value for key, value in environ.items() if key != "HTTP_RANGE"}
    try:
        response.make_conditional(environ, accept_ranges=True, complete_length=len(data))  # changes it in place
    except RequestedRangeNotSatisfiable:  # past the end: say how long the file is, as players expect
        return Response(status=416, headers={"Content-Range": f"bytes */{len(data)}", "Accept-Ranges": "bytes"})
    return response
