"""Which conferences a committee member sees, and which they organise.

A conference is seen by those whose scope includes its organising unit, and by those whose units it
invites (a conference of the town reaches the secretaries of its cells), as plans are. Only those whose
scope includes the organising unit change it, keep its roster or show its QR code; for everyone else
the organiser's pages do not exist (404).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from learnhub.auth.models import User
from learnhub.conferences.models import Conference, ConferenceUnit
from learnhub.extensions import db
from learnhub.security import ancestor_ids, in_scope, scope_unit_ids


def visible_conferences(viewer: User) -> sa.Select[tuple[Conference]]:
    """The conferences ``viewer`` may see, as a Select to order and filter further."""
    statement = sa.select(Conference)
    scope = scope_unit_ids(viewer)
    if scope is None:
        return statement
    reach = ancestor_ids(scope)
    invited = sa.select(ConferenceUnit.id).where(
        ConferenceUnit.conference_id == Conference.id, ConferenceUnit.unit_id.in_(reach)
    )
    return statement.where(sa.or_(Conference.unit_id.in_(scope), sa.exists(invited)))


def get_conference_or_404(conference_id: int, viewer: User) -> Conference:
    """A conference the viewer may see, else 404."""
    conference = db.session.scalar(visible_conferences(viewer).where(Conference.id == conference_id))
    if conference is None:
        abort(404)
    return conference


def can_organise(viewer: User, conference: Conference) -> bool:
    """Whether the viewer's scope includes the organising unit."""
    return in_scope(viewer, conference.unit_id)


def get_organised_or_404(conference_id: int, viewer: User) -> Conference:
    """A conference the viewer organises (their scope includes its unit), else 404."""
    conference = db.session.get(Conference, conference_id)
    if conference is None or not can_organise(viewer, conference):
        abort(404)
    return conference
