"""Organisation settings stored in the database and changed on the admin settings page."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Mapped, mapped_column

from learnhub.config import DEFAULTS
from learnhub.extensions import Model, db


class Setting(Model):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON)


# The formalism signals' default thresholds (docs/metrics.md), stored as "formalism_<name>" settings
# when an admin changes them; learnhub/plans/formalism.py reads them through formalism_thresholds().
FORMALISM_THRESHOLDS: dict[str, float] = {
    "rushed_share": 0.30,  # share of lessons studied in under a quarter of their estimated time
    "rushed_fraction": 0.25,
    "attempts_before_pass": 2.0,
    "first_attempt_pass_rate": 0.50,
    "shallow_margin": 10.0,  # points above the pass score
    "returned_share": 0.20,
}

# The levels proposed for a unit's year (learnhub/inspections/levels.py, docs/year.md), in percentage
# points around the pooled target, stored as "level_<name>" settings when an admin changes them.
LEVEL_THRESHOLDS: dict[str, float] = {
    "excellent_margin": 0.0,  # excellent from target + this many points (with no signal and no criticism)
    "completed_margin": 5.0,  # completed down to target − this many points; below it, not completed
}


def _defaults() -> dict[str, Any]:
    return {
        "organisation_name": "LearnHub",
        "public_url": current_app.config["PUBLIC_URL"],
        "authoring_review_required": False,
        "term_start_year": 2025,  # the committee's five-year term ("nhiệm kỳ") starts this year
        **{f"formalism_{key}": value for key, value in FORMALISM_THRESHOLDS.items()},
        **{f"level_{key}": value for key, value in LEVEL_THRESHOLDS.items()},
    }


def get_setting(key: str) -> Any:
    """The stored value, else the default (the public URL defaults to LEARNHUB_PUBLIC_URL)."""
    row = db.session.get(Setting, key)
    return row.value if row is not None else _defaults()[key]


# The address LearnHub starts with (config DEFAULTS): only this machine reaches it, so a phone scanning it
# gets nowhere.
UNCONFIGURED_PUBLIC_URL = str(DEFAULTS["PUBLIC_URL"])


def public_url_configured() -> bool:
    """True unless the public address in force is still the unconfigured default (or empty)."""
    address = str(get_setting("public_url") or "").strip().rstrip("/")
    return bool(address) and address != UNCONFIGURED_PUBLIC_URL


def all_settings() -> dict[str, Any]:
    values = _defaults()
    values.update({row.key: row.value for row in db.session.scalars(sa.select(Setting))})
    return values


def formalism_thresholds() -> dict[str, float]:
    """The formalism thresholds in force: the organisation's settings over the defaults."""
    stored = all_settings()
    return {key: float(stored.get(f"formalism_{key}", value)) for key, value in FORMALISM_THRESHOLDS.items()}


def level_thresholds() -> dict[str, float]:
    """The thresholds of the proposed levels in force: the organisation's settings over the defaults."""
    stored = all_settings()
    return {key: float(stored.get(f"level_{key}", value)) for key, value in LEVEL_THRESHOLDS.items()}


def set_setting(key: str, value: Any) -> None:
    if key not in _defaults():
        raise KeyError(key)
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value


@lru_cache(maxsize=4)
def zone(name: str) -> ZoneInfo:
    """The time zone called ``name`` (the one place LearnHub builds a ZoneInfo)."""
    return ZoneInfo(name)


def local_zone() -> ZoneInfo:
    """The organisation's time zone (config ``TIMEZONE``, Asia/Ho_Chi_Minh by default): the calendar
    that due dates, "today", years and printed times are written in. Outside the application (an
    import-time constant, a script) the default."""
    return zone(current_app.config["TIMEZONE"] if has_app_context() else DEFAULTS["TIMEZONE"])


def local_today() -> dt.date:
    """Today in the organisation's time zone."""
    return dt.datetime.now(local_zone()).date()


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in the organisation's time zone, as UTC (for comparing stored timestamps)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=local_zone()).astimezone(dt.UTC)
