"""The pages where committee members and admins make, list and revoke their API tokens."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.api import tokens
from learnhub.api.access import get_own_token_or_404
from learnhub.api.forms import SCOPE_LABELS, TokenForm
from learnhub.api.models import TokenScope
from learnhub.auth.models import Role
from learnhub.extensions import db
from learnhub.forms import options
from learnhub.orgs.services import unit_paths, units_in_scope
from learnhub.security import get_unit_in_scope_or_404, roles_required

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")
NEW_TOKEN = "_lh_new_api_token"  # the secret, shown once on the next page and then forgotten


@bp.route("", methods=["GET", "POST"])
@roles_required(Role.committee)
def index():
    form = TokenForm()
    form.unit.choices = options([("", _("All my units"))] + units_in_scope(current_user))
    if form.validate_on_submit():
        unit = get_unit_in_scope_or_404(form.unit.data, current_user) if form.unit.data else None
        _token, secret = tokens.create_token(current_user, name=form.name.data, scope=TokenScope(form.scope.data),
                                             unit=unit)
        db.session.commit()
        session[NEW_TOKEN] = secret
        flash(_("The token was made. Copy it now: it is shown only once."), "success")
        return redirect(url_for("api_tokens.index"))
    mine = db.session.scalars(tokens.own_tokens(current_user)).all()
    return render_template("api/tokens.html", form=form, tokens=mine, new_token=session.pop(NEW_TOKEN, None),
                           scope_labels=SCOPE_LABELS, paths=unit_paths()), 400 if form.errors else 200


@bp.post("/<int:token_id>/revoke")
@roles_required(Role.committee)
def revoke(token_id: int):
    token = get_own_token_or_404(token_id, current_user)
    tokens.revoke_token(token, actor=current_user)
    db.session.commit()
    flash(_("The token %(name)s no longer works.", name=token.name), "success")
    return redirect(url_for("api_tokens.index"))
