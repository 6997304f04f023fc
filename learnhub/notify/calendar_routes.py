"""The calendar feeds: the secret address is the only credential, and opens only that calendar."""
from __future__ import annotations

from flask import Response
from flask_babel import gettext as _

from learnhub.notify import bp
from learnhub.notify.access import get_feed_by_token_or_404
from learnhub.notify.calendar import member_events, to_ical, unit_events


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    _feed, owner, unit = get_feed_by_token_or_404(token)
    if unit is None:
        body = to_ical(_("LearnHub: %(name)s", name=owner.full_name), member_events(owner))
    else:
        body = to_ical(_("LearnHub: %(name)s", name=unit.name), unit_events(unit))
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, max-age=900"
    response.headers["Content-Disposition"] = 'inline; filename="learnhub.ics"'
    return response
