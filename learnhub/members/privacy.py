"""Personal data of former members (Decree 13/2023/NĐ-CP): removed once it is no longer needed.

A member who left the Party, moved away or died more than ``years`` ago is anonymised: their name,
username, birth date, gender, phone, e-mail, party card, password and written reflections are
cleared, while the row stays, so every rate, snapshot and count that included them is unchanged.
See docs/privacy.md.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import current_app

from learnhub import audit
from learnhub.auth.models import MemberStatus, User
from learnhub.extensions import db
from learnhub.members.models import MembershipEvent, MembershipEventKind
from learnhub.plans import upkeep
from learnhub.plans.models import Reflection

DEFAULT_YEARS = 5
GONE = (MemberStatus.moved, MemberStatus.left, MemberStatus.deceased)
ANONYMOUS_PREFIX = "anon-"


def retention_years() -> int:
    return int(current_app.config.get("ANONYMISE_AFTER_YEARS", DEFAULT_YEARS))


def members_to_anonymise(today: dt.date, years: int) -> list[int]:
    """Ids of former members whose last status change (to moved, left or deceased) is older than ``years``."""
    cutoff = today.replace(year=today.year - years) if not (today.month == 2 and today.day == 29) \
        else dt.date(today.year - years, 2, 28)
    last_change = (
        sa.select(MembershipEvent.user_id, sa.func.max(MembershipEvent.effective_on).label("since"))
        .where(MembershipEvent.kind == MembershipEventKind.status)
        .group_by(MembershipEvent.user_id)
        .subquery()
    )
    statement = (
        sa.select(User.id)
        .join(last_change, last_change.c.user_id == User.id)
        .where(User.status.in_(GONE), last_change.c.since < cutoff, ~User.username.startswith(ANONYMOUS_PREFIX))
        .order_by(User.id)
    )
    return list(db.session.scalars(statement))


def anonymise(user_ids: list[int]) -> int:
    """Clear the personal data of ``user_ids`` in bulk; only flushes. Returns how many were changed."""
    if not user_ids:
        return 0
    for start in range(0, len(user_ids), 500):
        chunk = user_ids[start:start + 500]
        db.session.execute(
            sa.update(User).where(User.id.in_(chunk)).values(
                username=sa.literal(ANONYMOUS_PREFIX) + sa.cast(User.id, sa.String),
                full_name=sa.literal("Đã ẩn danh"), search_name="da an danh", sort_key="",
                birth_date=None, gender=None, phone=None, email=None, party_card=None,
                password_hash=None, active=False,
            ),
            execution_options={"synchronize_session": False, "kept": "noted"},
        )
        db.session.execute(
            sa.update(Reflection).where(Reflection.user_id.in_(chunk)).values(learned="", application="", commitment=""),
            execution_options={"synchronize_session": False, "kept": "noted"},
        )
        upkeep.note_members(chunk)
    audit.record("members.anonymise", object_type="user", object_id=None,
                 summary=audit.N_("anonymised %(count)s former members"), params={"count": len(user_ids)}, after={"count": len(user_ids)})
    db.session.flush()
    return len(user_ids)
