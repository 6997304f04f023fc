"""Who may see a conference, who organises it, and whom its check-in link shows it to.

A conference is seen by those whose scope includes its organising unit, and by those whose units it
invites (a conference of the town reaches the secretaries of its cells), as plans are. Only those whose
scope includes the organising unit change it, keep its roster or show its QR code; for everyone else
the organiser's pages do not exist (404). The check-in link shows the conference only to those who
may see it, those on its roster (or already marked) and its presenters; anyone else signed in gets
a refusal that names nothing.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from learnhub.auth.models import User
from learnhub.conferences.attendance import attendance_of, on_roster
from learnhub.conferences.models import Conference, ConferencePresenter, ConferenceUnit
from learnhub.extensions import db
from learnhub.security import ancestor_ids, first_or_404, get_or_404, in_scope, scope_unit_ids

TOKEN_LENGTH = 64  # the column's width: a longer token is not looked up


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


def may_see_conference(viewer: User, conference: Conference) -> bool:
    """The organiser's and the invited units' committees (visible_conferences)."""
    return db.session.scalar(visible_conferences(viewer).where(Conference.id == conference.id)) is not None


def may_organise(viewer: User, conference: Conference) -> bool:
    """Change it, keep its roster, show its QR code: those whose scope includes the organising unit."""
    return in_scope(viewer, conference.unit_id)


def may_see_check_in(viewer: User, conference: Conference) -> bool:
    """What the check-in link shows (title, time, place): those invited (on the roster, or already
    marked), its presenters, and whoever may see the conference."""
    if on_roster(conference, viewer.id) or attendance_of(conference, viewer.id) is not None:
        return True
    presenter = db.session.scalar(sa.select(ConferencePresenter.id).where(
        ConferencePresenter.conference_id == conference.id, ConferencePresenter.user_id == viewer.id))
    return presenter is not None or may_see_conference(viewer, conference)


def get_conference_or_404(conference_id: int, viewer: User) -> Conference:
    """A conference the viewer may see, else 404."""
    return first_or_404(visible_conferences(viewer).where(Conference.id == conference_id))


def get_organised_or_404(conference_id: int, viewer: User) -> Conference:
    """A conference the viewer organises (may_organise), else 404."""
    return get_or_404(Conference, conference_id, lambda conference: may_organise(viewer, conference))


def get_by_token_or_404(token: str) -> Conference:
    """The conference whose check-in link this is, else 404; what it shows is may_see_check_in's call."""
    if not token or len(token) > TOKEN_LENGTH:
        abort(404)
    return first_or_404(sa.select(Conference).where(Conference.check_in_token == token))
