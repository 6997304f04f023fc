"""`learnhub users ...`"""
from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from learnhub.auth import twofactor
from learnhub.auth.models import Category, Role, User
from learnhub.auth.passwords import MESSAGES, password_problem
from learnhub.auth.services import create_user, normalise_username
from learnhub.extensions import db
from learnhub.orgs.services import UnitNotFound, resolve_unit

users_cli = AppGroup("users", help="Manage user accounts.")


def _read_password() -> str:
    """Prompt twice on a terminal; otherwise read one line from standard input."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    return sys.stdin.readline().rstrip("\r\n")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.member.value)
@click.option("--unit", "unit_spec", required=True, help='Unit name or path "Parent/Child".')
@click.option("--full-name", default=None, help="Full name (default: the username).")
@click.option(
    "--category", type=click.Choice([c.value for c in Category]), default=Category.party_member.value
)
def create_user_command(
    username: str, role: str, unit_spec: str, full_name: str | None, category: str
) -> None:
    """Create an account; the password is prompted, or read from standard input."""
    try:
        unit = resolve_unit(unit_spec)
    except UnitNotFound as exc:
        raise click.UsageError(str(exc)) from None
    password = _read_password()
    problem = password_problem(password, normalise_username(username))
    if problem:
        raise click.UsageError(MESSAGES[problem])
    try:
        user = create_user(
            username=username,
            full_name=full_name or username,
            unit=unit,
            role=Role(role),
            category=Category(category),
            password=password,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    db.session.commit()
    click.echo(f"Created {user.username} ({user.role}) in {unit.name}.", err=True)


@users_cli.command("reset-two-factor")
@click.argument("username")
def reset_two_factor_command(username: str) -> None:
    """Remove an account's two-step sign-in (a lost phone and no recovery code left); audited."""
    user = db.session.scalar(sa.select(User).where(User.username == normalise_username(username)))
    if user is None:
        raise click.UsageError(f"no account named {username!r}")
    if not user.two_factor_enabled:
        raise click.UsageError(f"{user.username} does not use two-step sign-in")
    twofactor.reset(user, actor=None)
    db.session.commit()
    click.echo(f"Two-step sign-in removed for {user.username}; they can set it up again after signing in.",
               err=True)
