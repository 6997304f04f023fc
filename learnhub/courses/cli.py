"""`learnhub courses check|import`"""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from learnhub.courses.importer import check_paths, import_course
from learnhub.extensions import db
from learnhub.resources import resource_dir

courses_cli = AppGroup("courses", help="Check and import course folders.")


SKIP_HELP = "Skip GIFT items that cannot be graded (essays, descriptions) with a warning."


def _report(paths: tuple[Path, ...], skip_unsupported: bool = False) -> tuple[list, int]:
    reports, problems = check_paths(list(paths), skip_unsupported=skip_unsupported)
    for problem in problems + [p for report in reports for p in report.problems]:
        click.echo(str(problem), err=True)
    errors = len([p for p in problems if p.severity == "error"])
    errors += sum(len(report.errors) for report in reports)
    return reports, errors


@courses_cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--skip-unsupported", is_flag=True, help=SKIP_HELP)
def check_command(paths: tuple[Path, ...], skip_unsupported: bool) -> None:
    """Check course folders without touching the database; every problem as path:line: message."""
    reports, errors = _report(paths, skip_unsupported)
    if errors:
        raise click.ClickException(f"{errors} error(s) in {len(reports)} course folder(s)")
    click.echo(f"{len(reports)} course folder(s) OK", err=True)


@courses_cli.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--skip-unsupported", is_flag=True, help=SKIP_HELP)
def import_command(paths: tuple[Path, ...], skip_unsupported: bool) -> None:
    """Import course folders (default: the shipped courses/); nothing is written if any has an error."""
    reports, errors = _report(paths or (resource_dir("courses"),), skip_unsupported)
    if errors:
        raise click.ClickException(f"{errors} error(s): nothing was imported")
    for report in reports:
        assert report.source is not None
        summary = import_course(report.source)
        db.session.commit()  # one transaction per course
        click.echo(summary.describe(), err=True)
    click.echo(f"{len(reports)} course(s) imported", err=True)
