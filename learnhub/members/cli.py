"""`learnhub members import`"""
from __future__ import annotations

from contextlib import closing
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import force_locale

from learnhub.extensions import db
from learnhub.members.importer import ImportPlan, apply_member_import, plan_member_import
from learnhub.orgs.models import Unit
from learnhub.orgs.services import UnitNotFound, resolve_unit

members_cli = AppGroup("members", help="Import members.")


def _base_unit(spec: str | None) -> Unit:
    if spec:
        try:
            return resolve_unit(spec)
        except UnitNotFound as exc:
            raise click.UsageError(str(exc)) from None
    roots = db.session.scalars(sa.select(Unit).where(Unit.parent_id.is_(None), Unit.archived_at.is_(None))).all()
    if len(roots) != 1:
        raise click.UsageError("give --unit: the organisation has no single top unit")
    return roots[0]


@members_cli.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--unit", "unit_spec", default=None, help="Unit the file's units are under (default: the top unit).")
@click.option("--dry-run", is_flag=True, help="Check and show what would change; write nothing.")
def import_command(file: Path, unit_spec: str | None, dry_run: bool) -> None:
    """Import a member list (.xlsx or .csv); a file with any problem imports nothing.

    The file is read in chunks and its planned rows spooled to disk, so memory does not grow with it.
    """
    if not file.is_file():
        raise click.UsageError(f"{file}: no such file")
    base = _base_unit(unit_spec)

    def progress(rows: int) -> None:
        click.echo(f"{rows} rows read…", err=True)

    with force_locale("en"):
        plan = plan_member_import(file, filename=file.name, base_unit=base, viewer=None, progress=progress,
                                  keep=not dry_run)
        if plan.refused:  # the whole file: one line, nothing more to say
            click.echo(f"{file}:1: {plan.problems[0].message}", err=True)
            raise SystemExit(1)
        for problem in plan.problems:
            column = f" {problem.column}:" if problem.column else ""
            click.echo(f"{file}:{problem.row}:{column} {problem.message}", err=True)
        for row, name in plan.formula_names:
            click.echo(f"{file}:{row}: warning: the name {name!r} starts like a spreadsheet formula: "
                       "imported as written, exported as text", err=True)
    with closing(plan):
        _apply(file, plan, dry_run)


def _apply(file: Path, plan: ImportPlan, dry_run: bool) -> None:
    if plan.unlisted_problems:
        click.echo(f"{file}: and {plan.unlisted_problems} more problem(s)", err=True)
    if not plan.ok:
        raise click.ClickException(f"{plan.problem_count} problem(s): nothing was imported")
    if plan.ignored_columns:
        click.echo(f"ignored columns: {', '.join(plan.ignored_columns)}", err=True)
    summary = f"{plan.created} new, {plan.updated} to update, {plan.unchanged} unchanged"
    if dry_run:
        db.session.rollback()
        click.echo(f"dry run: {summary}; nothing was written", err=True)
        return
    apply_member_import(plan, actor=None, progress=_written)
    db.session.commit()
    if plan.created > 1000:  # a bulk load: the planner needs the tables' new sizes
        from learnhub.db import analyze

        analyze()
    click.echo(f"imported: {summary}", err=True)


def _written(rows: int) -> None:
    click.echo(f"{rows} rows written…", err=True)


@members_cli.command("anonymise")
@click.option("--years", type=click.IntRange(min=1, max=200), default=None,
              help="Former members gone longer than this many years (default: LEARNHUB_ANONYMISE_AFTER_YEARS or 5).")
@click.option("--dry-run", is_flag=True, help="Only say how many would be anonymised.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
def anonymise_command(years: int | None, dry_run: bool, yes: bool, output: str) -> None:
    """Clear the personal data of members who left, moved or died long ago; figures stay as they were."""
    import datetime as dt
    import json

    from learnhub.members.privacy import anonymise, members_to_anonymise, retention_years

    years = years or retention_years()
    ids = members_to_anonymise(dt.date.today(), years)
    if output == "json":
        click.echo(json.dumps({"years": years, "members": len(ids), "dry_run": dry_run}))
    click.echo(f"{len(ids)} former member(s) gone more than {years} year(s) ago", err=True)
    if dry_run or not ids:
        return
    if not yes and not click.confirm("Anonymise them? This cannot be undone", default=False, err=True):
        raise click.ClickException("nothing was changed")
    anonymise(ids)
    db.session.commit()
    click.echo(f"{len(ids)} member(s) anonymised", err=True)
