"""Inspections, follow-ups, the yearly evaluation of units and the propagandists' roster."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("inspections", __name__, url_prefix="/inspections")
