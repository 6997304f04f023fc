"""Who may see the delivery log, and whose calendar a feed's secret address opens."""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import abort

from learnhub.auth.models import Role, User
from learnhub.extensions import db
from learnhub.notify.models import CalendarFeed, ReminderDelivery
from learnhub.orgs.models import Unit
from learnhub.security import in_scope, limit_to_scope


def visible_deliveries(viewer: User) -> sa.Select[tuple[ReminderDelivery]]:
    """The delivery log of the members of the viewer's units (everyone's for admins)."""
    statement = sa.select(ReminderDelivery).join(User, User.id == ReminderDelivery.user_id)
    return limit_to_scope(statement, User.unit_id, viewer)


def token_hash(token: str) -> str:
    """What is stored of a feed's secret: its SHA-256 (the token carries 256 random bits)."""
    return hashlib.sha256(token.encode()).hexdigest()


def may_have_unit_feed(owner: User, unit_id: int) -> bool:
    """A unit's calendar is for the committee members (and admins) who oversee the unit."""
    return owner.has_role(Role.committee) and in_scope(owner, unit_id)


def get_feed_by_token_or_404(token: str) -> tuple[CalendarFeed, User, Unit | None]:
    """The feed a secret address opens: not revoked, its owner still signs in, and a unit feed's
    owner still oversees the unit. Anything else is "not found", as for an address never made."""
    if not 20 <= len(token) <= 100:
        abort(404)
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token),
                                                           CalendarFeed.revoked_at.is_(None)))
    owner = db.session.get(User, feed.user_id) if feed else None
    if feed is None or owner is None or not owner.is_active:
        abort(404)
    unit = db.session.get(Unit, feed.unit_id) if feed.unit_id is not None else None
    if feed.unit_id is not None and (unit is None or not may_have_unit_feed(owner, feed.unit_id)):
        abort(404)
    return feed, owner, unit


def get_own_feed_or_404(feed_id: int, viewer: User) -> CalendarFeed:
    """One of the viewer's own feeds, still in use."""
    feed = db.session.get(CalendarFeed, feed_id)
    if feed is None or feed.user_id != viewer.id or feed.revoked_at is not None:
        abort(404)
    return feed
