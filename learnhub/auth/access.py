"""Who may act on an account other than their own: admins, behind roles_required(Role.admin)."""
from __future__ import annotations

from learnhub.auth.models import User
from learnhub.security import get_or_404


def get_account_or_404(user_id: int) -> User:
    """Any account, for an admin's page about it (its views require Role.admin), else 404."""
    return get_or_404(User, user_id)
