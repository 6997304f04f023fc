"""Public module pages for citizens (no account) and outreach sessions."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("outreach", __name__)
