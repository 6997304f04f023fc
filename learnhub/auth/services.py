"""Account services shared by the web and the command line."""
from __future__ import annotations

import secrets
from functools import cache

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from learnhub.auth.models import Category, Role, User
from learnhub.extensions import db
from learnhub.orgs.models import Unit


@cache
def _dummy_hash() -> str:
    """Checked against when the username is unknown, so every failure costs the same time."""
    return generate_password_hash(secrets.token_hex(16))


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_credentials(username: str, password: str) -> tuple[User | None, str]:
    """The active user with this username and password and "ok", or None and why (for the log
    only: the visitor gets one answer for every failure, in the same time)."""
    user = db.session.scalar(sa.select(User).where(User.username == normalise_username(username)))
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(), password)
        return None, "unknown_user" if user is None else "no_password"
    if not user.check_password(password):
        return None, "wrong_password"
    if not user.is_active:
        return None, "inactive"
    return user, "ok"


def create_user(
    *,
    username: str,
    full_name: str,
    unit: Unit,
    role: Role = Role.member,
    category: Category = Category.party_member,
    password: str | None = None,
    password_hash: str | None = None,
) -> User:
    """Add a user; the caller commits. Raises ValueError when the username is taken."""
    username = normalise_username(username)
    if db.session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise ValueError(f"the username {username!r} is already taken")
    user = User(
        username=username, full_name=full_name, unit=unit, role=role, category=category
    )
    if password is not None:
        user.set_password(password)
    elif password_hash is not None:
        user.password_hash = password_hash
    db.session.add(user)
    db.session.flush()
    return user
