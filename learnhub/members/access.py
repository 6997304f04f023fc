"""Who may see and change a member: themselves, and the committee members who oversee their unit."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import abort

from learnhub.auth.models import Role, User
from learnhub.members import uploads
from learnhub.security import can_oversee, get_or_404


def may_see_member(viewer: User, member: User) -> bool:
    """A profile is seen by the member themselves and by those who oversee them."""
    return member.id == viewer.id or can_oversee(viewer, member)


def may_edit_member(viewer: User, member: User) -> bool:
    """Transfers, status changes and new passwords: committee members whose scope holds the member's unit."""
    return can_oversee(viewer, member)


def may_change_account(viewer: User, member: User) -> bool:
    """Roles and switching accounts on or off: admins only, and never their own rights away (checked by the view)."""
    return viewer.role == Role.admin


def get_member_or_404(member_id: int, viewer: User) -> User:
    """A member the viewer may see (may_see_member), else 404."""
    return get_or_404(User, member_id, lambda member: may_see_member(viewer, member))


def get_editable_member_or_404(member_id: int, viewer: User) -> User:
    """A member the viewer may change (may_edit_member), else 404: the existence of others is not told."""
    return get_or_404(User, member_id, lambda member: may_edit_member(viewer, member))


def get_upload_or_404(token: str, viewer: User) -> tuple[Path, dict[str, Any]]:
    """An import file the viewer uploaded (its file and what was chosen with it), else 404."""
    found = uploads.load_upload(token, viewer.id)
    if found is None:
        abort(404)
    return found
