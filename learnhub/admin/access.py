"""Who may administer LearnHub: admins only (settings, formalism thresholds, the audit log)."""
from __future__ import annotations

from learnhub.auth.models import Role
from learnhub.security import roles_required

admin_required = roles_required(Role.admin)
