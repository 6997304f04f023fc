"""Browser protections sent with every response (docs/security.md).

Scripts and styles come only from LearnHub's own static files, so the policy needs no
'unsafe-inline'; pages cannot be framed, plugins are off, and nothing is fetched from elsewhere
(LearnHub runs without internet access, so a lesson's remote images are not shown either).

Caching (docs/offline.md): a response that says nothing about caching is sent `no-store`, so no
committee, admin or authoring page is ever kept by the browser or by LearnHub's service worker. Only
the pages a member studies opt in, through `offline_copy`: the service worker keeps a response only
when it carries the OFFLINE_HEADER, in the cache of the user it names.
"""
from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
])
# The one mark a response needs to be kept for offline study; its value is the member's id.
OFFLINE_HEADER = "X-LearnHub-Offline"


def offline_copy(response: Response, user_id: int) -> Response:
    """Let the service worker keep this member page or file for ``user_id`` to read offline; the
    browser checks with the server before reusing it while online."""
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers[OFFLINE_HEADER] = str(user_id)
    response.vary.add("Cookie")
    return response


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)  # media keep their stricter one
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if "Cache-Control" not in headers and request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
