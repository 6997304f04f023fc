"""Two-step sign-in pages: one's own settings, and an admin's reset of someone else's."""
from __future__ import annotations

import logging

from flask import abort, flash, make_response, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from learnhub.auth import bp, security_log, sessions, twofactor
from learnhub.auth.access import get_account_or_404
from learnhub.auth.forms import WRONG_CODE, AppCodeForm, ConfirmForm, SetupForm
from learnhub.auth.models import Role
from learnhub.auth.throttle import mark_failed, two_factor_limits
from learnhub.extensions import db
from learnhub.security import roles_required


def _no_store(body: str, status: int = 200):
    """Pages showing a secret or recovery codes are never kept in a cache."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _settings_page(codes_form: AppCodeForm | None = None, off_form: AppCodeForm | None = None, status: int = 200):
    return render_template(
        "auth/two_factor.html",
        codes_form=codes_form or AppCodeForm(prefix="codes"),
        off_form=off_form or AppCodeForm(prefix="off"),
        remaining=twofactor.remaining_recovery_codes(current_user) if current_user.two_factor_enabled else 0,
    ), status


def _refuse_code(form: AppCodeForm) -> None:
    mark_failed()
    security_log.event("two_factor.code_failed", logging.WARNING, username=current_user.username,
                       user_id=current_user.id)
    form.code.errors.append(WRONG_CODE)


@bp.get("/account/two-factor")
@login_required
def two_factor():
    return _settings_page()


@bp.route("/account/two-factor/setup", methods=["GET", "POST"])
@two_factor_limits
@login_required
def two_factor_setup():
    """Show a new secret (text and QR code); a code from the app confirms it and turns it on."""
    if current_user.two_factor_enabled:
        flash(_("Two-step sign-in is already on."), "info")
        return redirect(url_for("auth.two_factor"))
    secret = session.get(twofactor.SETUP_SECRET)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session[twofactor.SETUP_SECRET] = twofactor.new_secret()
    form = SetupForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.password.data or ""):
            mark_failed()
            form.password.errors.append(_("The password is not correct."))
        elif codes := twofactor.enrol(current_user, secret, form.code.data or ""):
            session.pop(twofactor.SETUP_SECRET, None)
            db.session.commit()  # other sign-ins of this account end here
            sessions.renew(current_user)
            security_log.event("two_factor.enrolled", username=current_user.username, user_id=current_user.id)
            return _no_store(render_template("auth/recovery_codes.html", codes=codes, first=True))
        else:
            _refuse_code(form)
    uri = twofactor.provisioning_uri(secret, current_user.username)
    page = render_template("auth/two_factor_setup.html", form=form, secret=twofactor.grouped(secret),
                           qr=twofactor.qr_svg(uri))
    return _no_store(page, 400 if form.is_submitted() else 200)


@bp.post("/account/two-factor/recovery-codes")
@two_factor_limits
@login_required
def two_factor_recovery_codes():
    """New recovery codes (the old ones stop working), after a code from the app."""
    if not current_user.two_factor_enabled:
        return redirect(url_for("auth.two_factor"))
    form = AppCodeForm(prefix="codes")
    if form.validate_on_submit():
        if twofactor.use_totp(current_user, form.code.data or ""):
            codes = twofactor.replace_recovery_codes(current_user)
            db.session.commit()
            return _no_store(render_template("auth/recovery_codes.html", codes=codes, first=False))
        _refuse_code(form)
    return _settings_page(codes_form=form, status=400)


@bp.post("/account/two-factor/disable")
@two_factor_limits
@login_required
def two_factor_disable():
    """Members and propagandists may turn it off with a code; admins and committee members may not."""
    if not current_user.two_factor_enabled:
        return redirect(url_for("auth.two_factor"))
    if current_user.two_factor_required:
        abort(403)
    form = AppCodeForm(prefix="off")
    if form.validate_on_submit():
        if twofactor.use_totp(current_user, form.code.data or ""):
            twofactor.disable(current_user)
            db.session.commit()
            sessions.renew(current_user)
            security_log.event("two_factor.disabled", username=current_user.username, user_id=current_user.id)
            flash(_("Two-step sign-in is off."), "success")
            return redirect(url_for("auth.two_factor"))
        _refuse_code(form)
    return _settings_page(off_form=form, status=400)


@bp.get("/users/<int:user_id>/two-factor")
@roles_required(Role.admin)
def two_factor_admin(user_id: int):
    person = get_account_or_404(user_id)
    return render_template("auth/two_factor_admin.html", person=person, form=ConfirmForm(),
                           remaining=twofactor.remaining_recovery_codes(person))


@bp.post("/users/<int:user_id>/two-factor/reset")
@roles_required(Role.admin)
def two_factor_reset(user_id: int):
    """An admin removes someone else's two-step sign-in (a lost phone); audited, their sign-ins end."""
    person = get_account_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if person.id == current_user.id:
        flash(_("Ask another admin to reset your own two-step sign-in."), "error")
    elif not person.two_factor_enabled:
        flash(_("%(name)s does not use two-step sign-in.", name=person.full_name), "info")
    else:
        twofactor.reset(person, actor=current_user)
        db.session.commit()
        security_log.event("two_factor.reset", logging.WARNING, username=person.username, user_id=person.id,
                           by=current_user.username)
        flash(_("Two-step sign-in was removed for %(name)s. They can set it up again.", name=person.full_name),
              "success")
    return redirect(url_for("auth.two_factor_admin", user_id=person.id))
