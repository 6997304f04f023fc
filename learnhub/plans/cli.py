"""`learnhub plans list` and `learnhub report completion`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from learnhub.exports import to_csv, to_xlsx
from learnhub.extensions import db
from learnhub.figures import number, percent
from learnhub.orgs.models import Unit
from learnhub.orgs.services import UnitNotFound, resolve_unit
from learnhub.plans.completion import as_json, completion_report
from learnhub.plans.downloads import completion_sheet
from learnhub.plans.models import StudyPlan
from learnhub.plans.services import find_plan
from learnhub.replica import on_replica, say_if_behind

plans_cli = AppGroup("plans", help="Study plans.")
report_cli = AppGroup("report", help="Reports.")


@plans_cli.command("list")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table")
def list_plans(output: str) -> None:
    """List the plans; JSON goes to standard output alone."""
    plans = db.session.scalars(sa.select(StudyPlan).order_by(StudyPlan.opens_on, StudyPlan.id)).all()
    rows = [{"id": p.id, "title": p.title, "status": p.status.value, "opens": p.opens_on.isoformat(),
             "due": p.due_on.isoformat(), "number": p.number or ""} for p in plans]
    if output == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['id']:>5}  {row['status']:<7} {row['opens']} → {row['due']}  {row['title']}")


@report_cli.command("completion")
@click.option("--plan", "plan_spec", required=True, help="Plan id or exact title.")
@click.option("--unit", "unit_spec", default=None, help="Unit name or path (default: the top unit).")
@click.option("--format", "output", type=click.Choice(["table", "csv", "json", "xlsx"]), default="table")
@click.option("-o", "--output-file", type=click.Path(path_type=Path, dir_okay=False), default=None)
def completion(plan_spec: str, unit_spec: str | None, output: str, output_file: Path | None) -> None:
    """The study rate of a plan for a unit and each of its direct sub-units."""
    plan = find_plan(plan_spec)
    if plan is None:
        raise click.UsageError(f"no plan {plan_spec!r} (give its id or exact title; see `learnhub plans list`)")
    try:
        unit = resolve_unit(unit_spec) if unit_spec else _top_unit()
    except UnitNotFound as exc:
        raise click.UsageError(str(exc)) from None
    report, state = on_replica(lambda: completion_report(plan, unit))
    say_if_behind(state)
    if output == "json":
        _write(json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n", output_file)
        return
    sheet = completion_sheet(report)  # the dashboard's download, headers and all
    if output == "csv":
        data = to_csv(sheet.headers, sheet.rows, title=sheet.title)
        if output_file is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            output_file.write_bytes(data)
    elif output == "xlsx":
        if output_file is None:
            raise click.UsageError("--format xlsx needs -o FILE")
        output_file.write_bytes(to_xlsx(sheet.headers, sheet.rows, title=sheet.title))
        click.echo(f"wrote {output_file}", err=True)
    else:
        figures = [*report.units, report.total]  # the sheet's rows, in order
        lines = [f"{row[0]!s:<40} {number(f.completed):>6}/{number(f.required):<6} {percent(f):>7} "
                 f"{number(f.on_time):>6}  {row[-1]}\n" for row, f in zip(sheet.rows, figures, strict=True)]
        _write("".join(lines), output_file)


def _top_unit() -> Unit:
    roots = db.session.scalars(sa.select(Unit).where(Unit.parent_id.is_(None), Unit.archived_at.is_(None))).all()
    if len(roots) != 1:
        raise click.UsageError("give --unit: the organisation has no single top unit")
    return roots[0]


def _write(text: str, path: Path | None) -> None:
    if path is None:
        sys.stdout.write(text)
    else:
        with path.open("w", encoding="utf-8") as handle:
            handle.write(text)
