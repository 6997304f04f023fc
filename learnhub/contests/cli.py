"""`learnhub contest list` and `learnhub contest results CONTEST_ID [--round N]`."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from learnhub.contests import results, services
from learnhub.contests.models import Contest
from learnhub.db import utcnow
from learnhub.extensions import db

contest_cli = AppGroup("contest", help="Online contests.")


@contest_cli.command("list")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table")
def list_command(output: str) -> None:
    """Every contest with its rounds: number, status and submitted entries."""
    rows: list[dict[str, Any]] = []
    for contest in db.session.scalars(sa.select(Contest).order_by(Contest.id)):
        counts = {c.number: c.entries for c in results.round_counts(contest)}
        rows.append({"id": contest.id, "title": contest.title, "rounds": [
            {"number": r.number, "status": services.round_status(r), "entries": counts.get(r.number, 0)}
            for r in contest.rounds]})
    if output == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        rounds = ", ".join(f"{r['number']}: {r['status']} ({r['entries']})" for r in row["rounds"])
        click.echo(f"{row['id']}\t{row['title']}\t{rounds}")


@contest_cli.command("results")
@click.argument("contest_id", type=int)
@click.option("--round", "number", type=int, default=None, help="The round (default: the last closed one).")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table")
def results_command(contest_id: int, number: int | None, output: str) -> None:
    """A round's results in rank order (full names: for the prize committee, never published)."""
    contest = db.session.get(Contest, contest_id) if 0 < contest_id < 2**31 else None
    if contest is None:
        raise click.ClickException(f"no contest {contest_id}")
    if not contest.rounds:
        raise click.ClickException(f"contest {contest_id} has no rounds")
    if number is None:
        closed = [r for r in contest.rounds if services.round_status(r) == "closed"]
        chosen = closed[-1] if closed else contest.rounds[0]
    else:
        found = next((r for r in contest.rounds if r.number == number), None)
        if found is None:
            raise click.ClickException(f"contest {contest_id} has no round {number}")
        chosen = found
    rows = [{"rank": line.rank, "name": line.name, "unit": line.unit or line.organisation, "score": line.score,
             "prediction": line.prediction, "seconds": line.seconds,
             "submitted_at": line.submitted_at.isoformat()} for line in results.ranking(contest, chosen)]
    if output == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['rank']}\t{row['name']}\t{row['unit']}\t{row['score']:g}\t{row['prediction']}\t"
                   f"{row['seconds']}s")


@contest_cli.command("anonymise")
@click.option("--months", type=click.IntRange(1, 120), default=12, show_default=True,
              help="Clear citizens' personal data this long after their round closed.")
@click.option("--yes", is_flag=True, help="Do it (without it, only count).")
def anonymise_command(months: int, yes: bool) -> None:
    """Clear the name, phone and year of birth of citizens' entries in rounds long closed (docs/privacy.md)."""
    count = services.anonymise_entries(closed_before=utcnow() - dt.timedelta(days=30 * months))
    if not yes:
        db.session.rollback()
        click.echo(f"{count} entries would be anonymised (run with --yes)", err=True)
        return
    db.session.commit()
    click.echo(f"{count} entries anonymised", err=True)
