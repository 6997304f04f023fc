"""Sign in and sign out."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from learnhub.auth.forms import LoginForm
from learnhub.auth.models import User
from learnhub.auth.services import authenticate
from learnhub.extensions import db, login_manager
from learnhub.i18n import is_safe_redirect

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@login_manager.unauthorized_handler
def unauthorized():
    flash(_("Please sign in to continue."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


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
            target = request.args.get("next", "")
            return redirect(target if is_safe_redirect(target) else url_for("study.home"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))
