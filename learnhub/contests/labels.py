"""Interface names of the contests' enums and refusals."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from learnhub.contests.models import EntrantKind

ENTRANT_KINDS = {EntrantKind.member: _l("Member"), EntrantKind.citizen: _l("Citizen")}
ROUND_STATUSES = {"upcoming": _l("Not open yet"), "open": _l("Open"), "closed": _l("Closed")}
REFUSALS = {
    "closed": _l("No round of this contest is open now."),
    "not_allowed": _l("This contest does not take entries of this kind."),
    "used": _l("This phone number (or account) has already entered this round."),
    "no_questions": _l("The contest has no questions yet."),
}
