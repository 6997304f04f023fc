"""Self check-in from a phone: the QR code's link asks for sign-in, then a confirmation with one button.

Opening the link changes nothing; the button records the attendance once. The link shows the
conference only to those access.may_see_check_in lets see it (those invited see why they may not
check in yet); anyone else signed in gets a refusal that names nothing; an unknown token is 404.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError, OperationalError

from learnhub.conferences import access, bp
from learnhub.conferences import check_in as checking
from learnhub.conferences.models import Conference
from learnhub.extensions import db
from learnhub.forms import FlaskForm

REFUSED_STATUS = {"not_invited": 403, "cancelled": 400, "not_yet": 400, "closed": 400}


def _page(conference: Conference, token: str, status: int = 200):
    state = checking.state(conference, current_user)
    return render_template("conferences/check_in.html", conference=conference, state=state, token=token,
                           form=FlaskForm()), status


def _refused():
    """The same page for every conference the viewer may not see: no title, time or place."""
    return render_template("conferences/check_in_refused.html"), 403


@bp.get("/check-in/<token>")
@login_required
def check_in(token: str):
    conference = access.get_by_token_or_404(token)
    if not access.may_see_check_in(current_user, conference):
        return _refused()
    return _page(conference, token)


@bp.post("/check-in/<token>")
@login_required
def confirm_check_in(token: str):
    conference = access.get_by_token_or_404(token)
    if not access.may_see_check_in(current_user, conference):
        return _refused()
    try:
        _attendance, recorded = checking.check_in(conference, current_user)
        db.session.commit()
    except checking.CheckInRefused as refused:
        db.session.rollback()
        return _page(conference, token, REFUSED_STATUS[refused.args[0]])
    except (IntegrityError, OperationalError):  # a second tap at the same moment recorded it
        db.session.rollback()
        recorded = False
    if recorded:
        flash(_("You are checked in. Welcome to the conference."), "success")
    return redirect(url_for("conferences.check_in", token=token))
