"""Who may change a unit's document settings: committee members for the units in their scope, admins all."""
from __future__ import annotations

from flask_login import current_user

from learnhub.auth.models import Role, User
from learnhub.orgs.models import Unit
from learnhub.security import get_unit_in_scope_or_404, in_scope


def may_set_documents(unit_id: int, viewer: User | None = None) -> bool:
    """Whether the viewer may change how ``unit_id``'s documents are headed and signed."""
    viewer = viewer or current_user
    return bool(getattr(viewer, "is_authenticated", False)) and viewer.has_role(Role.committee) \
        and in_scope(viewer, unit_id)


def get_settings_unit_or_404(unit_id: int, viewer: User) -> Unit:
    """A unit whose settings the viewer may change, else 404."""
    return get_unit_in_scope_or_404(unit_id, viewer)
