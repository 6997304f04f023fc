"""The committee's contest pages: list, create, rounds, publish, results, exports, certificates."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub import audit
from learnhub.auth.models import Role
from learnhub.contests import access, bp, certificates, results, services
from learnhub.contests.forms import ContestForm, RoundForm
from learnhub.contests.models import Contest, ContestRound
from learnhub.contests.sheets import results_sheet
from learnhub.courses.access import assignable_courses
from learnhub.courses.models import Course
from learnhub.db import utcnow
from learnhub.exports import sheet_response
from learnhub.extensions import db
from learnhub.forms import FlaskForm, options
from learnhub.orgs.services import units_in_scope
from learnhub.quizzes.models import Quiz
from learnhub.security import first_or_404, get_unit_in_scope_or_404, roles_required


@bp.get("/contests/")
@roles_required(Role.committee)
def index():
    contests = db.session.scalars(access.managed_contests(current_user).order_by(Contest.id.desc())).all()
    return render_template("contests/index.html", contests=contests)


def _prepare(form: ContestForm) -> None:
    form.unit.choices = options(units_in_scope(current_user))
    courses = db.session.execute(assignable_courses(current_user).join(Quiz, Quiz.course_id == Course.id)
                                 .with_only_columns(Course.id, Course.title).order_by(Course.title)).all()
    form.course.choices = options([(0, _("— the contest's own questions —")),
                                   *((course_id, title) for course_id, title in courses)])


@bp.route("/contests/new", methods=["GET", "POST"])
@roles_required(Role.committee)
def new():
    form = ContestForm()
    _prepare(form)
    if form.validate_on_submit():
        unit = get_unit_in_scope_or_404(form.unit.data)
        quiz = None
        if form.course.data:
            course = first_or_404(assignable_courses(current_user).where(Course.id == form.course.data))
            quiz = first_or_404(sa.select(Quiz).where(Quiz.course_id == course.id))
        contest = services.create_contest(
            unit=unit, quiz=quiz, bank=None if quiz else form.own_bank, title=form.title.data, organiser=form.organiser.data, rules=form.rules.data or "",
            prizes=form.prize_list(), questions_per_entry=form.questions_per_entry.data,
            time_limit_minutes=form.time_limit_minutes.data, members_may_enter=form.members_may_enter.data,
            public_may_enter=form.public_may_enter.data, entries_per_person=form.entries_per_person.data,
            created_by=current_user)
        db.session.commit()
        flash(_("The contest was saved. Add its rounds, then publish it."), "success")
        return redirect(url_for("contests.manage", contest_id=contest.id))
    return render_template("contests/form.html", form=form), 400 if request.method == "POST" else 200


@bp.get("/contests/<int:contest_id>/manage")
@roles_required(Role.committee)
def manage(contest_id: int):
    contest = access.get_managed_contest_or_404(contest_id, current_user)
    issued = certificates.of_contest(contest)
    return render_template("contests/manage.html", contest=contest, counts=results.round_counts(contest),
                           by_unit=results.participation_by_unit(contest), round_form=RoundForm(),
                           issued=issued, action=FlaskForm(), now=utcnow(), status=services.round_status)


@bp.post("/contests/<int:contest_id>/rounds")
@roles_required(Role.committee)
def add_round(contest_id: int):
    contest = access.get_managed_contest_or_404(contest_id, current_user)
    form = RoundForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("contests.manage", contest_id=contest.id))
    services.add_round(contest, opens_at=form.opens_at.data, closes_at=form.closes_at.data)
    db.session.commit()
    flash(_("The round was added."), "success")
    return redirect(url_for("contests.manage", contest_id=contest.id))


@bp.post("/contests/<int:contest_id>/publish")
@roles_required(Role.committee)
def publish(contest_id: int):
    contest = access.get_managed_contest_or_404(contest_id, current_user)
    if not contest.rounds:
        flash(_("Add a round before publishing the contest."), "error")
    else:
        services.publish(contest)
        db.session.commit()
        flash(_("The contest is published."), "success")
    return redirect(url_for("contests.manage", contest_id=contest.id))


def _round_or_404(contest: Contest, number: int) -> ContestRound:
    found = next((r for r in contest.rounds if r.number == number), None)
    if found is None:
        abort(404)
    return found


@bp.get("/contests/<int:contest_id>/rounds/<int:number>/results.xlsx")
@roles_required(Role.committee)
def export_results(contest_id: int, number: int) -> Response:
    contest = access.get_managed_contest_or_404(contest_id, current_user)
    contest_round = _round_or_404(contest, number)
    sheet = results_sheet(contest, contest_round)
    audit.record("contests.export", object_type="contest", object_id=contest.id,  # phones: personal data
                 summary=audit.N_("exported the results of round %(number)s of contest %(id)s (%(count)s entries)"),
                 params={"number": number, "id": contest.id, "count": len(sheet.rows)})
    db.session.commit()
    return sheet_response("xlsx", sheet)


@bp.post("/contests/<int:contest_id>/rounds/<int:number>/certificates")
@roles_required(Role.committee)
def issue_certificates(contest_id: int, number: int):
    contest = access.get_managed_contest_or_404(contest_id, current_user)
    contest_round = _round_or_404(contest, number)
    if services.round_status(contest_round) != "closed":
        flash(_("Certificates are issued once the round has closed."), "error")
    else:
        count = certificates.issue_prize_certificates(contest, contest_round)
        db.session.commit()
        flash(_("%(n)d certificates were issued.", n=count), "success")
    return redirect(url_for("contests.manage", contest_id=contest.id))


@bp.get("/certificates/<int:certificate_id>.pdf")
@roles_required(Role.committee)
def certificate_pdf(certificate_id: int) -> Response:
    certificate = access.get_managed_certificate_or_404(certificate_id, current_user)
    response = Response(certificates.certificate_pdf(certificate), content_type="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="certificate-{certificate.id}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/certificates/<int:certificate_id>/revoke")
@roles_required(Role.committee)
def revoke_certificate(certificate_id: int):
    certificate = access.get_managed_certificate_or_404(certificate_id, current_user)
    certificates.revoke(certificate)
    db.session.commit()
    flash(_("The certificate was revoked: its verification page now says so."), "success")
    contest_id = certificates.contest_id_of(certificate)
    if contest_id is None:
        return redirect(url_for("contests.certificates_index"))
    return redirect(url_for("contests.manage", contest_id=contest_id))
