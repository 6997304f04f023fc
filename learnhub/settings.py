"""Organisation settings stored in the database and changed on the admin settings page."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from learnhub.extensions import db


class Setting(db.Model):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON)


def _defaults() -> dict[str, Any]:
    from learnhub.plans.formalism import THRESHOLDS

    return {
        "organisation_name": "LearnHub",
        "public_url": current_app.config["PUBLIC_URL"],
        "authoring_review_required": False,
        "term_start_year": 2025,  # the committee's five-year term ("nhiệm kỳ") starts this year
        **{f"formalism_{key}": value for key, value in THRESHOLDS.items()},
    }


def get_setting(key: str) -> Any:
    """The stored value, else the default (the public URL defaults to LEARNHUB_PUBLIC_URL)."""
    row = db.session.get(Setting, key)
    return row.value if row is not None else _defaults()[key]


def all_settings() -> dict[str, Any]:
    values = _defaults()
    values.update({row.key: row.value for row in db.session.scalars(sa.select(Setting))})
    return values


def set_setting(key: str, value: Any) -> None:
    if key not in _defaults():
        raise KeyError(key)
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
