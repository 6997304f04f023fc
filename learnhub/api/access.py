"""Who may hold API tokens and revoke them: committee members and admins, their own tokens only."""
from __future__ import annotations

from flask import abort

from learnhub.api.models import ApiToken
from learnhub.auth.models import User
from learnhub.extensions import db


def get_own_token_or_404(token_id: int, viewer: User) -> ApiToken:
    """One of the viewer's own tokens, not yet revoked; anyone else's is "not found"."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != viewer.id or token.revoked_at is not None:
        abort(404)
    return token
