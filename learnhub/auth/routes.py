"""Sign in (password, then a two-step code when enrolled) and out; changing, and resetting by
e-mail, one's own password. The session rules are in sessions.py, the limits in throttle.py."""
from __future__ import annotations

import logging

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from learnhub.auth import bp, reset_tokens, security_log, sessions, twofactor
from learnhub.auth.forms import (
    WRONG_CODE,
    ChangePasswordForm,
    CodeForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
)
from learnhub.auth.models import User
from learnhub.auth.services import check_credentials
from learnhub.auth.throttle import mark_failed, sign_in_limits, two_factor_limits
from learnhub.db import utcnow
from learnhub.extensions import db, login_manager
from learnhub.i18n import is_safe_redirect
from learnhub.mail import mail_configured
from learnhub.members.services import change_own_password

login_manager.login_view = "auth.login"
login_manager.login_message_category = "info"
login_manager.user_loader(sessions.load_user)
# Pages a member who must change their password may still open.
PASSWORD_CHANGE_EXEMPT = {"auth.change_password", "auth.logout", "static", "i18n.set_language"}


@bp.record_once
def _setup(state) -> None:
    security_log.init_security_log(state.app)
    sessions.init_sessions(state.app)


@login_manager.unauthorized_handler
def unauthorized():
    if g.get("session_ended") not in sessions.TIMEOUTS:  # a timeout has said why already
        flash(_("Please sign in to continue."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


@bp.before_app_request
def require_password_change():
    """A first or reset password must be replaced before anything else."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in PASSWORD_CHANGE_EXEMPT
    ):
        return redirect(url_for("auth.change_password"))
    return None


def complete_sign_in(user: User, *, remember: bool, target: str, method: str):
    """Both steps passed: a new session, the log line, and on to the page asked for."""
    user.last_login_at = utcnow()
    sessions.start(user, remember=remember)
    db.session.commit()
    security_log.event("sign_in.succeeded", username=user.username, user_id=user.id, method=method)
    if user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return redirect(target if is_safe_redirect(target) else url_for("study.home"))


@bp.route("/login", methods=["GET", "POST"])
@sign_in_limits
def login():
    if current_user.is_authenticated:
        return redirect(url_for("study.home"))
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data or ""
        user, reason = check_credentials(username, form.password.data or "")
        target = request.args.get("next", "")
        if user is None:
            mark_failed()
            security_log.event("sign_in.failed", logging.WARNING, username=username, reason=reason)
            flash(_("The username or password is not correct."), "error")
        elif user.two_factor_enabled:
            twofactor.begin_pending(user, remember=bool(form.remember.data), target=target)
            security_log.event("sign_in.password_accepted", username=user.username, user_id=user.id)
            return redirect(url_for("auth.two_factor_code"))
        else:
            return complete_sign_in(user, remember=bool(form.remember.data), target=target, method="password")
    return render_template("auth/login.html", form=form, can_reset=mail_configured())


@bp.route("/login/code", methods=["GET", "POST"])
@two_factor_limits
def two_factor_code():
    """The second step: a code from the authenticator app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("study.home"))
    pending = twofactor.pending_sign_in()
    if pending is None:
        flash(_("Sign in again: the time to enter the code ran out."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("auth/two_factor_code.html", form=form), 400 if form.is_submitted() else 200
    method = twofactor.verify(pending.user, form.code.data or "")
    if method:
        return complete_sign_in(pending.user, remember=pending.remember, target=pending.target,
                                method=f"password+{method}")
    mark_failed()
    security_log.event("sign_in.code_failed", logging.WARNING, username=pending.user.username,
                       user_id=pending.user.id)
    form.code.errors.append(WRONG_CODE)
    return render_template("auth/two_factor_code.html", form=form), 400


@bp.post("/logout")
@login_required
def logout():
    user = current_user._get_current_object()
    sessions.end(user, everywhere=True)
    db.session.commit()
    security_log.event("sign_out", username=user.username, user_id=user.id)
    flash(_("You have signed out."), "success")
    response = redirect(url_for("auth.login"))
    # Nothing of the member's stays on the phone: kept lessons, queued answers, the service worker.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    form.username_for_check = current_user.username
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data or ""):
            form.current_password.errors.append(_("The current password is not correct."))
        else:
            change_own_password(current_user, form.new_password.data or "")
            db.session.commit()  # every other sign-in of this account ends here
            sessions.renew(current_user)
            security_log.event("password.changed", username=current_user.username, user_id=current_user.id)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("study.home"))
    return render_template("auth/change_password.html", form=form, forced=current_user.must_change_password), (
        400 if form.is_submitted() else 200)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    if not mail_configured():
        return render_template("auth/forgot_password.html", form=None)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        reset_tokens.send_reset_link(form.email.data or "")
        # The same answer whether or not the address is known.
        flash(_("If an account uses that address, a link to choose a new password is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = reset_tokens.user_for_token(token, max_age=current_app.config.get("PASSWORD_RESET_SECONDS", 3600))
    if user is None:
        flash(_("This link has expired or was already used. Ask for a new one."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    form.username_for_check = user.username
    if form.validate_on_submit():
        change_own_password(user, form.new_password.data or "")
        db.session.commit()
        security_log.event("password.reset_by_link", username=user.username, user_id=user.id)
        flash(_("Your password has been changed. Sign in with the new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)

