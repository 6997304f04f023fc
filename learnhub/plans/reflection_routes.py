"""Reflection pages: a member writes and submits theirs; committees review those in their scope."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from learnhub.auth.models import Role, User
from learnhub.extensions import db
from learnhub.numbers import query_id
from learnhub.orgs.services import unit_filter_choices, unit_ids_in_scope, unit_paths
from learnhub.plans import access, reflections
from learnhub.plans.models import PlanStatus, Reflection, ReflectionStatus, StudyPlan
from learnhub.plans.reflection_forms import ReflectionForm, ReviewForm
from learnhub.security import get_unit_in_scope_or_404, roles_required, subtree_ids

bp = Blueprint("reflections", __name__, url_prefix="/plans")
STATUS_LABELS = {
    ReflectionStatus.draft: _l("Draft, not submitted"),  # not the plan's "Draft" (dự thảo)
    ReflectionStatus.submitted: _l("Submitted, awaiting review"),
    ReflectionStatus.accepted: _l("Accepted"),
    ReflectionStatus.returned: _l("Returned for revision"),
}
bp.record_once(lambda state: state.app.jinja_env.globals.update(REFLECTION_STATUSES=STATUS_LABELS))


@bp.route("/<int:plan_id>/reflection", methods=["GET", "POST"])
@login_required
def mine(plan_id: int):
    plan = access.get_own_plan_or_404(plan_id, current_user)
    reflection = reflections.reflection_for(plan, current_user)
    editable = plan.status == PlanStatus.open and (reflection is None or reflection.status in reflections.EDITABLE)
    form = ReflectionForm(obj=reflection)
    if request.method == "POST" and not editable:
        flash(_("This reflection can no longer be changed."), "error")
        return redirect(url_for("reflections.mine", plan_id=plan.id))
    if form.validate_on_submit():
        reflection = reflections.get_or_create_reflection(plan=plan, user=current_user)
        texts: dict[str, Any] = {name: form[name].data or "" for name in reflections.HEADINGS}
        if form.action.data == "submit":
            reflections.submit(reflection, **texts)
            message = _("Your reflection was submitted for review.")
        else:
            reflections.save_draft(reflection, **texts)
            message = _("Your draft was saved.")
        db.session.commit()
        flash(message, "success")
        return redirect(url_for("reflections.mine", plan_id=plan.id))
    return render_template("reflections/mine.html", plan=plan, reflection=reflection, form=form, editable=editable,
                           min_words=reflections.MIN_WORDS)


@bp.get("/<int:plan_id>/reflections")
@roles_required(Role.committee)
def queue(plan_id: int):
    plan = access.get_plan_or_404(plan_id, current_user)
    unit = get_unit_in_scope_or_404(query_id("unit") or access.default_unit(plan, current_user))
    groups: dict[int, list[tuple[Reflection, User]]] = {}
    for reflection, author in reflections.awaiting_review(plan, unit.id):
        groups.setdefault(author.unit_id, []).append((reflection, author))
    pairs = reflections.similar_pairs(plan, subtree_ids(sa.select(sa.literal(unit.id))))
    warnings: dict[int, list[reflections.Pair]] = {}
    for pair in pairs:
        warnings.setdefault(pair.first_id, []).append(pair)
        warnings.setdefault(pair.second_id, []).append(pair)
    return render_template("reflections/queue.html", plan=plan, unit=unit, groups=groups, pairs=pairs,
                           warnings=warnings, paths=unit_paths([*groups, *(u for p in pairs for u in (p.unit_id, p.first_unit_id))]),
                           unit_choices=unit_filter_choices(current_user, unit.id),
                           scope_ids=_scope_ids(), threshold=reflections.COPY_THRESHOLD)


def _scope_ids() -> set[int]:
    """The units whose reflections the viewer may open (a copy's other author may be outside them)."""
    return set(unit_ids_in_scope(current_user))


def _show(plan: StudyPlan, reflection: Reflection, author: User, form: ReviewForm) -> str:
    pairs = reflections.similar_pairs(plan, reflection_id=reflection.id)
    return render_template("reflections/show.html", plan=plan, reflection=reflection, author=author, form=form,
                           pairs=pairs, paths=unit_paths(), scope_ids=_scope_ids(), reviewable=reflection.status == ReflectionStatus.submitted
                           and author.id != current_user.id)


@bp.get("/<int:plan_id>/reflections/<int:reflection_id>")
@login_required  # anyone else, members included, is told it does not exist
def show(plan_id: int, reflection_id: int):
    plan, reflection, author = access.get_reflection_or_404(plan_id, reflection_id, current_user)
    return _show(plan, reflection, author, ReviewForm())


@bp.post("/<int:plan_id>/reflections/<int:reflection_id>/review")
@login_required
def review(plan_id: int, reflection_id: int):
    plan, reflection, author = access.get_reflection_or_404(plan_id, reflection_id, current_user)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _show(plan, reflection, author, form)
    try:
        if form.decision.data == "accept":
            reflections.accept(reflection, reviewer=current_user, comment=form.comment.data or "")
        else:
            reflections.send_back(reflection, reviewer=current_user, comment=form.comment.data or "")
    except reflections.ReflectionRefused:
        flash(_("This reflection cannot be reviewed: it is not awaiting review, or it is your own."), "error")
        return redirect(url_for("reflections.show", plan_id=plan.id, reflection_id=reflection.id))
    db.session.commit()
    if reflection.status == ReflectionStatus.accepted:
        flash(_("The reflection of %(name)s was accepted.", name=author.full_name), "success")
    else:
        flash(_("The reflection of %(name)s was returned for revision.", name=author.full_name), "success")
    return redirect(url_for("reflections.queue", plan_id=plan.id, unit=author.unit_id))
