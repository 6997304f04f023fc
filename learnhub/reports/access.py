"""Who may see a unit's yearly report: committee members whose scope holds the unit (admins: any)."""
from __future__ import annotations

from learnhub.auth.models import User
from learnhub.orgs.access import get_chosen_unit_or_404
from learnhub.orgs.models import Unit


def get_report_unit_or_404(unit_id: int | None, viewer: User) -> Unit:
    """The unit whose report is asked for, or the viewer's first unit; 404 outside their scope (the
    report covers the unit's whole subtree, all of it in that scope)."""
    return get_chosen_unit_or_404(unit_id, viewer)
