"""`learnhub courses check|import|export`"""
from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from learnhub.courses.format import CourseReport
from learnhub.courses.importer import check_paths
from learnhub.courses.models import Course
from learnhub.courses.problems import Problem
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.resources import resource_dir

courses_cli = AppGroup("courses", help="Check, import and export course folders (or .zip files of one).")


SKIP_HELP = "Skip GIFT items that cannot be graded (essays, descriptions) with a warning."


@contextmanager
def unpacked(paths: tuple[Path, ...]) -> Iterator[tuple[list[Path], list[Problem], dict[str, str]]]:
    """Course folders for ``paths``, with each ``.zip`` unpacked (safely) into a temporary folder."""
    from learnhub.authoring.uploads import UploadRefused, safe_extract_course_zip

    folders: list[Path] = []
    problems: list[Problem] = []
    names: dict[str, str] = {}  # unpacked folder -> the zip, so problems name the file the user gave
    with ExitStack() as stack:
        for path in paths:
            if path.suffix.lower() != ".zip":
                folders.append(path)
                continue
            if not path.is_file():
                problems.append(Problem(str(path), 1, "no_such_file"))
                continue
            target = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="learnhub-zip-")))
            try:
                folders.append(safe_extract_course_zip(path.read_bytes(), target))
            except UploadRefused as exc:
                problems.append(Problem(str(path), 1, "zip", {"message": exc.message}))
            else:
                names[str(target)] = str(path)
        yield folders, problems, names


def _named(problem: Problem, names: dict[str, str]) -> Problem:
    """``/tmp/learnhub-zip-x/slug/01-a.md`` → ``module.zip/slug/01-a.md``."""
    for folder, zip_name in names.items():
        if problem.path.startswith(folder):
            return problem.moved(zip_name + problem.path[len(folder):])
    return problem


def _report(
    folders: list[Path], zip_problems: list[Problem], names: dict[str, str], skip_unsupported: bool
) -> tuple[list[CourseReport], int]:
    reports, problems = check_paths(folders, skip_unsupported=skip_unsupported)
    for problem in zip_problems + problems + [p for report in reports for p in report.problems]:
        click.echo(str(_named(problem, names)), err=True)
    errors = len([p for p in zip_problems + problems if p.severity == "error"])
    errors += sum(len(report.errors) for report in reports)
    return reports, errors


@courses_cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--skip-unsupported", is_flag=True, help=SKIP_HELP)
def check_command(paths: tuple[Path, ...], skip_unsupported: bool) -> None:
    """Check course folders or .zip files without touching the database; every problem as path:line."""
    with unpacked(paths) as (folders, zip_problems, names):
        reports, errors = _report(folders, zip_problems, names, skip_unsupported)
    if errors:
        raise click.ClickException(f"{errors} error(s) in {len(reports) or len(paths)} course folder(s)")
    click.echo(f"{len(reports)} course folder(s) OK", err=True)


def _owner(unit_spec: str | None) -> int | None:
    """The unit given by --unit, else the single top unit (None when the tree is still empty)."""
    from learnhub.orgs.services import UnitNotFound, resolve_unit

    if unit_spec:
        try:
            return resolve_unit(unit_spec).id
        except UnitNotFound as exc:
            raise click.BadParameter(str(exc), param_hint="--unit") from None
    roots = db.session.scalars(sa.select(Unit.id).where(Unit.parent_id.is_(None), Unit.archived_at.is_(None))).all()
    return roots[0] if len(roots) == 1 else None


@courses_cli.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--skip-unsupported", is_flag=True, help=SKIP_HELP)
@click.option("--unit", "unit_spec", default=None,
              help="The unit that owns the modules (default: the top unit; existing modules keep theirs).")
@click.option("--force", is_flag=True, help="Replace modules edited in the browser (their texts stay in history).")
def import_command(paths: tuple[Path, ...], skip_unsupported: bool, unit_spec: str | None, force: bool) -> None:
    """Import course folders or .zip files (default: the shipped courses/); nothing is written on any error."""
    from learnhub.authoring.publishing import Diverged, import_folder

    owner = _owner(unit_spec)
    with unpacked(paths or (resource_dir("courses"),)) as (folders, zip_problems, names):
        reports, errors = _report(folders, zip_problems, names, skip_unsupported)
        if errors:
            raise click.ClickException(f"{errors} error(s): nothing was imported")
        diverged = [r.source.slug for r in reports if r.source is not None and not force and _diverged(r.source.slug)]
        if diverged:
            raise click.ClickException(
                f"edited in the browser since the last import: {', '.join(diverged)}; nothing was imported "
                "(keep the browser's version with `learnhub courses export`, or use --force to replace them; "
                "their texts stay in the history)"
            )
        for report in reports:
            assert report.source is not None
            existing = db.session.scalar(sa.select(Course.owner_unit_id).where(Course.slug == report.source.slug))
            try:
                result = import_folder(report, owner_unit_id=owner if unit_spec or existing is None else None,
                                       force=force)
            except Diverged as exc:  # pragma: no cover - checked above; kept for a concurrent edit
                db.session.rollback()
                raise click.ClickException(str(exc)) from None
            db.session.commit()  # one transaction per course
            click.echo(result.summary.describe(), err=True)
    click.echo(f"{len(reports)} course(s) imported", err=True)


def _diverged(slug: str) -> bool:
    from learnhub.authoring.publishing import is_diverged

    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    return course is not None and is_diverged(course)


@courses_cli.command("export")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The .zip to write (default: SLUG.zip; '-' for stdout).")
def export_command(slug: str, output: Path | None) -> None:
    """Write a module's draft as a .zip of its course folder (what `courses check` reads)."""
    from learnhub.authoring.drafts import draft_folder
    from learnhub.authoring.publishing import ensure_draft
    from learnhub.authoring.uploads import course_zip_bytes

    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    if course is None:
        raise click.ClickException(f"no module with the slug {slug!r}")
    ensure_draft(course)
    db.session.commit()
    with draft_folder(course) as folder:
        data = course_zip_bytes(folder)
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(data)  # click.get_binary_stream is deprecated (Click 8.3)
        return
    target = output or Path(f"{slug}.zip")
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"{target}: {exc.strerror}") from None
    click.echo(f"{target}: {course.slug}, {len(data)} bytes", err=True)
