"""Questions and answers under lessons, the module FAQ, moderation."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dialogue", __name__)
