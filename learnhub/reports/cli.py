"""`learnhub report year` (added to the `report` group of plans/cli.py)."""
from __future__ import annotations
