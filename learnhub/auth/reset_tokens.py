"""Self-service password reset by e-mail: signed, expiring, single-use links."""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.mail import send_mail

log = logging.getLogger(__name__)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="learnhub-password-reset")


def _fingerprint(user: User) -> str:
    # Part of the current hash: once the password changes, the link no longer works.
    return (user.password_hash or "")[-16:]


def make_token(user: User) -> str:
    return _serializer().dumps({"id": user.id, "h": _fingerprint(user)})


def user_for_token(token: str, max_age: int) -> User | None:
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature:
        return None
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) else None
    if user is None or not user.is_active or _fingerprint(user) != data.get("h"):
        return None
    return user


def send_reset_link(email: str) -> None:
    """E-mail a reset link to the active account with this address, if there is exactly one."""
    users = db.session.scalars(sa.select(User).where(User.email == email.strip().lower())).all()
    if len(users) != 1 or not users[0].is_active:
        return
    user = users[0]
    link = url_for("auth.reset_password", token=make_token(user), _external=True)
    body = _("Hello %(name)s,\n\nTo choose a new LearnHub password, open this link within an hour:\n%(link)s\n\n"
             "If you did not ask for this, ignore this message.", name=user.full_name, link=link)
    try:
        send_mail(user.email or "", _("Choose a new LearnHub password"), body)
    except OSError:
        log.exception("could not send the password reset e-mail")
