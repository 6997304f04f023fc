"""Conference pages: planning, the notice, the roster, the QR code and self check-in."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("conferences", __name__, url_prefix="/conferences")
