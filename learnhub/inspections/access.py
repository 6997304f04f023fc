"""Who may see and change an inspection: committee members whose scope holds the inspected unit."""
from __future__ import annotations

import sqlalchemy as sa

from learnhub.auth.models import User
from learnhub.inspections.models import Inspection
from learnhub.security import get_or_404, in_scope, limit_to_scope


def inspections_in_scope(viewer: User) -> sa.Select[tuple[Inspection]]:
    """The inspections ``viewer`` may see and change, as a Select to filter further."""
    return limit_to_scope(sa.select(Inspection), Inspection.unit_id, viewer)


def may_see_inspection(viewer: User, inspection: Inspection) -> bool:
    """Read, change, mark the follow-up done or delete: those whose scope holds the inspected unit."""
    return in_scope(viewer, inspection.unit_id)


def get_inspection_or_404(inspection_id: int, viewer: User) -> Inspection:
    """An inspection the viewer may see (may_see_inspection); anything else does not exist for them."""
    return get_or_404(Inspection, inspection_id, lambda inspection: may_see_inspection(viewer, inspection))
