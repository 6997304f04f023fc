"""Who may act on an account other than their own: admins, behind roles_required(Role.admin)."""
from __future__ import annotations

from flask import abort

from learnhub.auth.models import User
from learnhub.extensions import db


def get_account_or_404(user_id: int) -> User:
    """Any account, for an admin's page about it (its views require Role.admin), else 404."""
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    return person
