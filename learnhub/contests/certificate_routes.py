"""The committee's certificates: every certificate its units issued, and a plan's completion certificates."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField

from learnhub.auth.models import Role
from learnhub.contests import bp, certificates
from learnhub.contests.models import Certificate
from learnhub.extensions import db
from learnhub.forms import FlaskForm, coerce_id, options
from learnhub.numbers import query_page
from learnhub.plans.access import get_changeable_plan_or_404
from learnhub.plans.models import StudyPlan
from learnhub.security import limit_to_scope, roles_required

PER_PAGE = 100


class PlanCertificatesForm(FlaskForm):
    plan = SelectField(_l("Study plan"), coerce=coerce_id)


def _plans_form() -> PlanCertificatesForm:
    form = PlanCertificatesForm()
    plans = db.session.execute(limit_to_scope(sa.select(StudyPlan.id, StudyPlan.title), StudyPlan.unit_id, current_user)
                               .order_by(StudyPlan.id.desc()).limit(200)).all()
    form.plan.choices = options((plan_id, title) for plan_id, title in plans)
    return form


@bp.get("/certificates/")
@roles_required(Role.committee)
def certificates_index():
    statement = limit_to_scope(sa.select(Certificate), Certificate.unit_id, current_user)
    page = db.paginate(statement.order_by(Certificate.id.desc()), page=query_page(), per_page=PER_PAGE,
                       max_per_page=PER_PAGE)
    return render_template("contests/certificates.html", page=page, form=_plans_form(), action=FlaskForm())


@bp.post("/certificates/plan")
@roles_required(Role.committee)
def plan_certificates():
    form = _plans_form()
    if not form.validate_on_submit():
        flash(_("Choose a study plan."), "error")
        return redirect(url_for("contests.certificates_index"))
    plan = get_changeable_plan_or_404(form.plan.data, current_user)
    count = certificates.issue_plan_certificates(plan)
    db.session.commit()
    flash(_("%(n)d certificates were issued.", n=count), "success")
    return redirect(url_for("contests.certificates_index"))
