"""Sign in and out; changing, and resetting by e-mail, one's own password."""
from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from learnhub.auth import reset_tokens
from learnhub.auth.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, ResetPasswordForm
from learnhub.auth.models import User
from learnhub.auth.services import authenticate
from learnhub.extensions import db, login_manager
from learnhub.i18n import is_safe_redirect
from learnhub.mail import mail_configured
from learnhub.members.services import change_own_password

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message_category = "info"
# Pages a member who must change their password may still open.
PASSWORD_CHANGE_EXEMPT = {"auth.change_password", "auth.logout", "static", "i18n.set_language"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@login_manager.unauthorized_handler
def unauthorized():
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


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("study.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data or "", form.password.data or "")
        if user is None:
            flash(_("The username or password is not correct."), "error")
        else:
            session.clear()  # a fresh session at sign-in
            login_user(user, remember=bool(form.remember.data))
            db.session.commit()
            if user.must_change_password:
                return redirect(url_for("auth.change_password"))
            target = request.args.get("next", "")
            return redirect(target if is_safe_redirect(target) else url_for("study.home"))
    return render_template("auth/login.html", form=form, can_reset=mail_configured())


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))


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
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("study.home"))
    return render_template("auth/change_password.html", form=form, forced=current_user.must_change_password)


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
        flash(_("Your password has been changed. Sign in with the new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
