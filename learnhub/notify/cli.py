"""`learnhub reminders send`: the scheduled reminders, for cron or a systemd timer."""
from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from learnhub.notify.sender import send_due_reminders

reminders_cli = AppGroup("reminders", help="Reminders to members of plans due soon.")


@reminders_cli.command("send")
@click.option("--dry-run", is_flag=True, help="Say what would be sent; send and write nothing.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
def send(dry_run: bool, output: str) -> None:
    """Remind each member of an open plan due soon of what they still have to do, at most once a day."""
    summary = send_due_reminders(dry_run=dry_run, progress=lambda line: click.echo(line, err=True))
    if output == "json":
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False))
    else:
        channels = ", ".join(f"{name} {count}" for name, count in summary.as_dict()["by_channel"].items())  # type: ignore[attr-defined]
        click.echo(f"{'would send' if dry_run else 'sent'} {summary.sent} ({channels or 'none'}), "
                   f"skipped {summary.skipped}, failed {summary.failed}")
    if summary.failed:
        click.echo(f"{summary.failed} reminders failed: see the delivery log", err=True)
