"""Merge the two heads of the kept figures (plan_progress and the quiz figures) on branch bench,
which merges both branches; the lead re-chains the migrations when the branches meet on main.

Revision ID: b3c4e5f60718
Revises: 5a7c1e9d3b20, c3a1f7d92e54
Create Date: 2026-12-05 02:40:00
"""
from __future__ import annotations

revision = "b3c4e5f60718"
down_revision = ("5a7c1e9d3b20", "c3a1f7d92e54")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the two heads touch different tables."""


def downgrade() -> None:
    """Nothing to change."""
