"""`learnhub demo`"""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from learnhub.demo.services import DEMO_ACCOUNTS, build_demo
from learnhub.extensions import db

DEMO_PASSWORD = "hoctap2026"


@click.command("demo")
@click.option("--password", default=DEMO_PASSWORD, show_default=True,
              help="Password of the demo accounts and members.")
@with_appcontext
def demo_command(password: str) -> None:
    """Upgrade the database and load the demo town (safe to run twice)."""
    upgrade()
    summary = build_demo(password)
    db.session.commit()
    click.echo(
        f"Demo ready: {summary.units} units, {summary.members_created} members added, "
        f"courses: {', '.join(summary.courses)}",
        err=True,
    )
    click.echo(f"Open {current_app.config['PUBLIC_URL']} and sign in as:", err=True)
    for username, full_name, role, _, _ in DEMO_ACCOUNTS:
        click.echo(f"  {username:<12} / {password}   ({role.value}: {full_name})", err=True)
