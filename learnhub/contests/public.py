"""The entrants' pages: the contest, entering (signed in or as a citizen), the paper, the results
and a certificate's verification page. None of them ever shows an answer or a phone number."""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from learnhub.contests import access, bp, labels, results, services
from learnhub.contests.forms import PublicEntryForm, form_stamp, read_prediction
from learnhub.contests.models import Contest, ContestEntry, ContestRound
from learnhub.db import utcnow
from learnhub.extensions import db, limiter
from learnhub.forms import FlaskForm, options
from learnhub.numbers import query_id, query_page
from learnhub.orgs.models import Unit
from learnhub.phones import mobile_or_none
from learnhub.quizzes import attempts
from learnhub.quizzes.bank import InvalidResponse
from learnhub.quizzes.responses import form_answers
from learnhub.security import subtree_ids

RESULTS_PER_PAGE = 50  # lines a page of a round's public results: a phone scrolls through 50, not 2,000


@bp.context_processor
def contest_labels() -> dict:
    return {"ROUND_STATUSES": labels.ROUND_STATUSES, "ENTRANT_KINDS": labels.ENTRANT_KINDS,
            "mask_name": services.mask_name, "minutes_seconds": minutes_seconds}


def minutes_seconds(seconds: int | None) -> str:
    """A time taken as m:ss ("10:44"), the way contest results print it."""
    if seconds is None:
        return "–"
    return f"{seconds // 60}:{seconds % 60:02d}"


def _phone_key() -> str:
    """A citizen's phone (hashed: typed text never reaches the store), a member's account; a form
    without a valid phone counts against its address, so nobody's typo throttles anyone else."""
    if current_user.is_authenticated:
        return f"contest-member:{current_user.id}"
    phone = mobile_or_none(request.form.get("phone", ""))
    if phone is None:
        return f"contest-phone:none:{get_remote_address()}"
    return "contest-phone:" + hashlib.sha256(phone.encode()).hexdigest()[:32]


def _address_key() -> str:
    return f"contest-address:{get_remote_address()}"


def _entry_limits(view):
    view = limiter.limit(lambda: current_app.config["CONTEST_ENTRY_LIMIT_ADDRESS"], key_func=_address_key,
                         scope="contest-address", methods=["POST"])(view)
    return limiter.limit(lambda: current_app.config["CONTEST_ENTRY_LIMIT_PHONE"], key_func=_phone_key,
                         scope="contest-phone", methods=["POST"])(view)


@bp.get("/contest/")
def public_index():
    """Every published contest with the state of its rounds: where members and citizens find them."""
    contests = db.session.scalars(access.published_contests().limit(100)).all()
    now = utcnow()
    return render_template("contests/public_index.html", contests=contests, now=now,
                           current={contest.id: services.open_round(contest, now) for contest in contests})


@bp.get("/contest/<int:contest_id>")
def show(contest_id: int):
    contest = access.get_published_contest_or_404(contest_id)
    now = utcnow()
    return render_template("contests/show.html", contest=contest, current=services.open_round(contest, now),
                           now=now, status=services.round_status, action=FlaskForm())


def _unit_choices(contest: Contest) -> list:
    """The live units at and below the organiser, by name: where an entrant lives or works."""
    rows = db.session.execute(
        sa.select(Unit.id, Unit.name).where(Unit.id.in_(subtree_ids(sa.select(sa.literal(contest.unit_id)))),
                                           Unit.archived_at.is_(None))
        .order_by(Unit.name, Unit.id)).all()
    return options([(0, _("— choose —")), *((unit_id, name) for unit_id, name in rows)])


@bp.route("/contest/<int:contest_id>/enter", methods=["GET", "POST"])
@_entry_limits
def enter(contest_id: int):
    contest = access.get_published_contest_or_404(contest_id)
    if current_user.is_authenticated:
        return _enter_as_member(contest)
    form = PublicEntryForm()
    form.unit.choices = _unit_choices(contest)
    if request.method == "POST" and form.validate_on_submit():
        if form.looks_automated():
            flash(_("Your entry could not be accepted. Wait a moment, then fill in the form again."), "error")
            return redirect(url_for("contests.enter", contest_id=contest.id))
        try:
            entry = services.start_entry(
                contest, name=form.name.data, birth_year=form.birth_year.data,
                phone=mobile_or_none(form.phone.data), unit_id=form.unit.data or None,
                organisation=form.organisation.data or "")
        except services.EntryRefused as refused:
            db.session.rollback()
            flash(str(labels.REFUSALS[refused.reason]), "error")
        else:
            db.session.commit()
            return redirect(url_for("contests.entry", token=entry.token))
    form.stamp.data = form_stamp()
    form.website.data = ""
    status = 400 if request.method == "POST" else 200
    return render_template("contests/enter.html", contest=contest, form=form,
                           current=services.open_round(contest)), status


def _enter_as_member(contest: Contest):
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            entry = services.start_entry(contest, user=current_user)
        except services.EntryRefused as refused:
            db.session.rollback()
            flash(str(labels.REFUSALS[refused.reason]), "error")
            return redirect(url_for("contests.show", contest_id=contest.id))
        db.session.commit()
        return redirect(url_for("contests.entry", token=entry.token))
    return render_template("contests/enter.html", contest=contest, form=form, member=True,
                           current=services.open_round(contest))


@bp.get("/contest/entries/<token>")
def entry(token: str):
    found = access.get_entry_by_token_or_404(token, current_user if current_user.is_authenticated else None)
    contest = _contest_of(found)
    questions = [(item, attempts.kind_of_entry(item)) for item in found.paper]
    response = Response(render_template("contests/entry.html", entry=found, contest=contest, questions=questions,
                                        now=utcnow(), action=FlaskForm()))
    response.headers["Cache-Control"] = "no-store"
    return response


def _contest_of(entry: ContestEntry) -> Contest:
    contest_round = db.session.get_one(ContestRound, entry.round_id)
    return contest_round.contest


@bp.post("/contest/entries/<token>")
def submit(token: str):
    found = access.get_entry_by_token_or_404(token, current_user if current_user.is_authenticated else None)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        services.submit_entry(found, form_answers(found.paper, request.form),
                              read_prediction(request.form.get("prediction")))
        db.session.commit()
    except InvalidResponse:
        db.session.rollback()
        abort(400)
    return redirect(url_for("contests.entry", token=found.token))


@bp.get("/contest/<int:contest_id>/results")
def public_results(contest_id: int):
    contest = access.get_published_contest_or_404(contest_id)
    now = utcnow()
    closed = [r for r in contest.rounds if services.round_status(r, now) == "closed"]
    wanted = query_id("round")
    chosen = next((r for r in closed if r.number == wanted), closed[-1] if closed else None)
    page = results.ranking_page(contest, chosen, page=query_page(), per_page=RESULTS_PER_PAGE) if chosen else None
    actual = db.session.scalar(db.select(results.all_correct_count(chosen.id))) if chosen else None
    return render_template("contests/results.html", contest=contest, closed=closed, chosen=chosen,
                           page=page, lines=page.rows if page else [], actual=actual)


@bp.get("/verify/<code>")
def verify(code: str):
    certificate = access.get_certificate_by_code_or_404(code)
    return render_template("contests/verify.html", certificate=certificate)
