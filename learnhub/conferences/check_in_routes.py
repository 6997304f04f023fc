"""Self check-in from a phone: the QR code's link asks for sign-in, then a confirmation with one button.

Opening the link changes nothing; the button records the attendance once. Anyone signed in may open
a valid link (the page tells those not invited that they cannot check in); an unknown token is 404.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError, OperationalError

from learnhub.conferences import check_in as checking
from learnhub.conferences.models import Conference
from learnhub.conferences.routes import bp
from learnhub.extensions import db

REFUSED_STATUS = {"not_invited": 403, "cancelled": 400, "not_yet": 400, "closed": 400}


def _conference_for(token: str) -> Conference:
    conference = checking.find_by_token(token)
    if conference is None:
        abort(404)
    return conference


def _page(conference: Conference, token: str, status: int = 200):
    state = checking.state(conference, current_user)
    return render_template("conferences/check_in.html", conference=conference, state=state, token=token,
                           form=FlaskForm()), status


@bp.get("/check-in/<token>")
@login_required
def check_in(token: str):
    return _page(_conference_for(token), token)


@bp.post("/check-in/<token>")
@login_required
def confirm_check_in(token: str):
    conference = _conference_for(token)
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
