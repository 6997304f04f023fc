"""Stopping reminders from the link in a message, for people who never sign in: the signed link
names one account and allows only this."""
from __future__ import annotations

from flask import abort, current_app
from itsdangerous import BadSignature, URLSafeSerializer

from learnhub.auth.models import User
from learnhub.db import add_once
from learnhub.extensions import db
from learnhub.notify.models import ChannelName, ReminderPreference

SALT = "learnhub-reminders-stop"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def stop_token(user_id: int) -> str:
    """The signed part of a member's stop link (it does not expire: messages are read late)."""
    return str(_serializer().dumps(user_id))


def get_member_by_stop_token_or_404(token: str) -> User:
    """The account a stop link names, else 404."""
    try:
        user_id = _serializer().loads(token)
    except BadSignature:
        abort(404)
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        abort(404)
    return user


def stop_all(user: User) -> None:
    """Turn every reminder channel off for ``user``; only flushes."""
    preference = preference_of(user.id)
    preference.opted_out = [c.value for c in ChannelName]
    db.session.flush()


def preference_of(user_id: int) -> ReminderPreference:
    """The member's stored reminder choices, made (with the defaults) when there are none yet; a
    double click that made them a moment ago is found, not a 500."""
    return db.session.get(ReminderPreference, user_id) or add_once(
        db.session, ReminderPreference(user_id=user_id, opted_out=[]),
        lambda: db.session.get(ReminderPreference, user_id, populate_existing=True))
