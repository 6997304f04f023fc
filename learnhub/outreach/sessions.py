"""Outreach sessions held by mass organisations, with their head counts ("lượt quần chúng")."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from learnhub import audit
from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.outreach.models import OutreachSession
from learnhub.security import limit_to_scope, subtree_ids

# The usual names, offered in the form's datalist; any other organisation may be typed.
COMMON_ORGANISATIONS = (
    "Mặt trận Tổ quốc",
    "Công đoàn",
    "Hội Phụ nữ",
    "Đoàn Thanh niên",
    "Hội Nông dân",
    "Hội Cựu chiến binh",
)
FIELDS = ("unit_id", "organisation", "title", "held_on", "place", "head_count", "course_id", "notes")


def sessions_in_scope(user: User, year: int) -> sa.Select[tuple[OutreachSession]]:
    """The sessions held in ``year`` by units the user oversees, latest first."""
    statement = sa.select(OutreachSession).where(
        OutreachSession.held_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31))
    )
    return limit_to_scope(statement, OutreachSession.unit_id, user).order_by(
        OutreachSession.held_on.desc(), OutreachSession.id.desc()
    )


def totals(statement: sa.Select[tuple[OutreachSession]]) -> tuple[int, int]:
    """(sessions, people) over the sessions a listing query selects, in one aggregate."""
    listed = statement.order_by(None).subquery()
    count, heads = db.session.execute(
        sa.select(sa.func.count(listed.c.id), sa.func.coalesce(sa.func.sum(listed.c.head_count), 0))
    ).one()
    return int(count), int(heads)


def _snapshot(outreach: OutreachSession) -> dict[str, Any]:
    values = {name: getattr(outreach, name) for name in FIELDS}
    values["held_on"] = outreach.held_on.isoformat()
    return values


def create_session(*, created_by: User, **values: Any) -> OutreachSession:
    """Record a session (values: the FIELDS); audited. Only flushes."""
    outreach = OutreachSession(created_by_id=created_by.id, **values)
    db.session.add(outreach)
    db.session.flush()
    audit.record("outreach.create", object_type="outreach_session", object_id=outreach.id,
                 summary=audit.N_("recorded %(organisation)s: %(title)s (%(head_count)s)"), params={"organisation": outreach.organisation, "title": outreach.title, "head_count": outreach.head_count},
                 after=_snapshot(outreach))
    return outreach


def update_session(outreach: OutreachSession, **values: Any) -> None:
    """Change a session's fields; audited with before and after. Only flushes."""
    before = _snapshot(outreach)
    for name, value in values.items():
        setattr(outreach, name, value)
    db.session.flush()
    audit.record("outreach.update", object_type="outreach_session", object_id=outreach.id,
                 summary=audit.N_("changed %(organisation)s: %(title)s"), params={"organisation": outreach.organisation, "title": outreach.title}, before=before, after=_snapshot(outreach))


def delete_session(outreach: OutreachSession) -> None:
    """Delete a session, keeping what it said in the audit log. Only flushes."""
    audit.record("outreach.delete", object_type="outreach_session", object_id=outreach.id,
                 summary=audit.N_("deleted %(organisation)s: %(title)s (%(head_count)s)"), params={"organisation": outreach.organisation, "title": outreach.title, "head_count": outreach.head_count},
                 before=_snapshot(outreach))
    db.session.delete(outreach)
    db.session.flush()


def outreach_session_heads(unit_id: int, start: dt.date, end: dt.date) -> int:
    """Σ head_count of the sessions held on a day with start <= held_on <= end by ``unit_id`` or a
    unit below it."""
    return int(db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(OutreachSession.head_count), 0)).where(
            OutreachSession.unit_id.in_(subtree_ids(sa.select(sa.literal(unit_id)))),
            OutreachSession.held_on >= start, OutreachSession.held_on <= end,
        )
    ) or 0)

