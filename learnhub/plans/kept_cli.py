"""`learnhub figures rebuild` and `learnhub figures check`: the kept figures against the raw rows."""
from __future__ import annotations

import json
import sys
from typing import Any

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from learnhub.extensions import db
from learnhub.plans.kept import differences, rebuild
from learnhub.plans.models import StudyPlan
from learnhub.plans.services import find_plan
from learnhub.quizzes.kept import quiz_figure_differences, rebuild_quiz_figures

figures_cli = AppGroup("figures", help="The kept figures (plan progress and quiz figures kept as study happens).")


def _plans(plan_spec: str | None) -> list[StudyPlan]:
    if plan_spec is None:
        return list(db.session.scalars(sa.select(StudyPlan).order_by(StudyPlan.id)))
    plan = find_plan(plan_spec)
    if plan is None:
        raise click.UsageError(f"no plan {plan_spec!r} (give its id or exact title; see `learnhub plans list`)")
    return [plan]


@figures_cli.command("rebuild")
@click.option("--plan", "plan_spec", default=None, help="Plan id or exact title (default: every plan).")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
def rebuild_command(plan_spec: str | None, output: str) -> None:
    """Recompute the kept figures from the raw rows (lessons, attempts, reflections, attendance);
    without --plan, the kept quiz figures too."""
    done: list[dict[str, Any]] = []
    for plan in _plans(plan_spec):
        rows = rebuild(plan)
        db.session.commit()
        done.append({"plan_id": plan.id, "title": plan.title, "rows": rows})
        click.echo(f"plan {plan.id}: {rows} rows", err=True)
    quiz_rows = None
    if plan_spec is None:
        quiz_rows = rebuild_quiz_figures()
        db.session.commit()
        click.echo(f"quiz figures: {quiz_rows} rows", err=True)
    if output == "json":
        click.echo(json.dumps({"plans": done, "rows": sum(p["rows"] for p in done), "quiz_rows": quiz_rows},
                              ensure_ascii=False, indent=2))
    else:
        quizzes = "" if quiz_rows is None else f"; quiz figures rebuilt, {quiz_rows} rows"
        click.echo(f"{len(done)} plans rebuilt, {sum(p['rows'] for p in done)} rows{quizzes}")


@figures_cli.command("check")
@click.option("--plan", "plan_spec", default=None, help="Plan id or exact title (default: every plan).")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
def check_command(plan_spec: str | None, output: str) -> None:
    """Compare the kept figures with the raw rows (without --plan, the kept quiz figures too); exit 1
    and list the differences when there are any."""
    found: list[dict[str, Any]] = []
    for plan in _plans(plan_spec):
        wrong = differences(plan)
        click.echo(f"plan {plan.id}: {len(wrong)} differences", err=True)
        found.append({"plan_id": plan.id, "title": plan.title, "differences": wrong})
    quizzes = quiz_figure_differences() if plan_spec is None else []
    if plan_spec is None:
        click.echo(f"quiz figures: {len(quizzes)} differences", err=True)
    total = sum(len(entry["differences"]) for entry in found) + len(quizzes)
    if output == "json":
        click.echo(json.dumps({"plans": found, "quiz_differences": quizzes, "differences": total},
                              ensure_ascii=False, indent=2, default=str))
    else:
        for difference in quizzes:
            click.echo(f"quiz figures {difference['table']} {difference['key']}: kept {difference['kept']}, "
                       f"computed {difference['computed']}")
        for entry in found:
            for difference in entry["differences"]:
                kept, computed = difference["kept"], difference["computed"]
                whose = (f"member {difference['user_id']}" if "user_id" in difference
                         else f"unit {difference['unit_id']} ({difference['category']}) sums")
                if kept is None or computed is None:
                    what = "kept row missing" if kept is None else "kept row not on the roster"
                else:
                    what = ", ".join(f"{name}: kept {kept[name]!r}, computed {computed[name]!r}"
                                     for name in kept if kept[name] != computed[name])
                click.echo(f"plan {entry['plan_id']} {whose}: {what}")
        click.echo(f"{total} differences" if total else "no difference")
    if total:
        sys.exit(1)
