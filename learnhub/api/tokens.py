"""Making, finding and revoking personal access tokens (shown once, stored as a SHA-256)."""
from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from learnhub import audit
from learnhub.api.models import ApiToken, TokenScope
from learnhub.auth.models import Role, User
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.orgs.models import Unit

PREFIX = "lh_"  # recognisable in logs and by secret scanners
PREFIX_SHOWN = 10  # "lh_" and seven characters of the secret, to tell tokens apart in the list


def token_hash(secret: str) -> str:
    """What is stored of a token: its SHA-256 (the secret carries 256 random bits, so no salt or slow hash)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def may_hold_tokens(user: User) -> bool:
    """Integrations act for committee members and admins, who oversee units; members have nothing to share."""
    return user.is_active and user.has_role(Role.committee)


def create_token(owner: User, *, name: str, scope: TokenScope, unit: Unit | None = None) -> tuple[ApiToken, str]:
    """A new token for ``owner``'s integration ``name``, limited to ``unit`` and below if given (a unit
    the caller checked is in the owner's scope): the row and the secret, which is never kept."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=owner.id, name=name, scope=scope, prefix=secret[:PREFIX_SHOWN],
                     token_hash=token_hash(secret), unit_id=unit.id if unit is not None else None)
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.create", object_type="api_token", object_id=token.id, actor=owner,
                 summary=audit.N_("created the API token %(name)s"), params={"name": name},
                 after={"scope": scope.value, "unit_id": token.unit_id})
    return token, secret


def revoke_token(token: ApiToken, *, actor: User) -> None:
    """The token stops working at once; the row stays for the audit log."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("api_token.revoke", object_type="api_token", object_id=token.id, actor=actor,
                     summary=audit.N_("revoked the API token %(name)s"), params={"name": token.name})


def own_tokens(owner: User) -> sa.Select[tuple[ApiToken]]:
    """The owner's tokens, the newest first."""
    return sa.select(ApiToken).where(ApiToken.user_id == owner.id).order_by(ApiToken.id.desc())


def find_token(secret: str) -> tuple[ApiToken, User] | None:
    """The live token with this secret and its owner, if the owner may still hold tokens."""
    if not secret.startswith(PREFIX) or not 20 <= len(secret) <= 100:
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == token_hash(secret),
                                                        ApiToken.revoked_at.is_(None)))
    owner = db.session.get(User, token.user_id) if token else None
    if token is None or owner is None or not may_hold_tokens(owner) or owner.must_change_password:
        return None
    return token, owner
