"""Who may manage a contest, what entrants and the public see, and whom a certificate's page shows.

A contest is managed by the committees whose scope includes its organising unit (and admins); for
anyone else its management pages do not exist (404). Its public page, entry form and results exist
only once it is published. An entry is reached only by its random token (the entrant's own page);
a member's entry also only by that member. A certificate's verification page is reached by its
random code, and shows a masked name.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from learnhub.auth.models import User
from learnhub.contests.models import Certificate, Contest, ContestEntry
from learnhub.security import first_or_404, get_or_404, in_scope, scope_unit_ids

TOKEN_LENGTH = 64


def managed_contests(viewer: User) -> sa.Select[tuple[Contest]]:
    """The contests ``viewer`` manages, with their rounds (the list shows them), as a Select to order further."""
    statement = sa.select(Contest).options(selectinload(Contest.rounds))
    scope = scope_unit_ids(viewer)
    return statement if scope is None else statement.where(Contest.unit_id.in_(scope))


def may_manage(viewer: User, contest: Contest) -> bool:
    """Change it, see its entrants and export its results: the organising unit's committees."""
    return in_scope(viewer, contest.unit_id)


def get_managed_contest_or_404(contest_id: int, viewer: User) -> Contest:
    """A contest the viewer manages, else 404."""
    return get_or_404(Contest, contest_id, lambda contest: may_manage(viewer, contest))


def published_contests() -> sa.Select[tuple[Contest]]:
    """The contests anyone may see listed (their public pages), newest first."""
    return sa.select(Contest).options(selectinload(Contest.rounds)).where(Contest.published_at.is_not(None)).order_by(Contest.published_at.desc(), Contest.id.desc())


def get_published_contest_or_404(contest_id: int) -> Contest:
    """A published contest (its public pages), else 404."""
    return get_or_404(Contest, contest_id, lambda contest: contest.published_at is not None)


def get_entry_by_token_or_404(token: str, viewer: User | None) -> ContestEntry:
    """The entry whose page this is; a member's entry only for that member signed in."""
    if not token or len(token) > TOKEN_LENGTH:
        abort(404)
    entry = first_or_404(sa.select(ContestEntry).where(ContestEntry.token == token))
    if entry.user_id is not None and (viewer is None or viewer.id != entry.user_id):
        abort(404)
    return entry


def get_certificate_by_code_or_404(code: str) -> Certificate:
    """The certificate with this verification code, else 404 (revoked ones too: the page says so)."""
    if not code or len(code) > 40:
        abort(404)
    return first_or_404(sa.select(Certificate).where(Certificate.code == code))


def get_managed_certificate_or_404(certificate_id: int, viewer: User) -> Certificate:
    """A certificate issued by a unit in the viewer's scope, else 404."""
    return get_or_404(Certificate, certificate_id, lambda certificate: in_scope(viewer, certificate.unit_id))
