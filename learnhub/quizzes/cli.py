"""`learnhub quiz export-gift`, `learnhub quiz forget-answers`"""
from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.quizzes.bank import Bank
from learnhub.quizzes.gift_export import export_gift
from learnhub.quizzes.kinds import kind_of
from learnhub.quizzes.models import Quiz
from learnhub.quizzes.sync import load_bank

quiz_cli = AppGroup("quiz", help="Quiz banks.")


@quiz_cli.command("export-gift")
@click.argument("course_slug", metavar="COURSE")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to this file (default: standard output).")
def export_gift_command(course_slug: str, output: Path | None) -> None:
    """Write a course's question bank as GIFT, with its settings as front matter (deterministic)."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == course_slug))
    if course is None:
        raise click.UsageError(f"no course {course_slug!r}")
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.course_id == course.id))
    if quiz is None or not quiz.active_questions:
        raise click.UsageError(f"{course_slug}: the course has no quiz")
    bank = load_bank(quiz)
    if problems := gift_problems(bank):
        raise click.ClickException(f"{course_slug}: " + "; ".join(problems))
    text = export_gift(bank)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(quiz.active_questions)} questions to {output}", err=True)


def gift_problems(bank: Bank) -> list[str]:
    """What GIFT cannot hold of a bank: questions of a kind GIFT lacks, review options by moment."""
    problems = [f"question '{q.id}': GIFT has no {q.kind} question" for q in bank.questions if not kind_of(q).gift]
    if not isinstance(bank.settings.review, str):
        problems.append("GIFT front matter holds only a single-word 'review' (always, after_pass, never)")
    return problems


@quiz_cli.command("forget-answers")
@click.option("--years", type=click.IntRange(min=1, max=100), default=None,
              help="Closed years of answers kept (default: LEARNHUB_ANSWERS_KEPT_YEARS or 5).")
@click.option("--dry-run", is_flag=True, help="Only say how many answers would be removed.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
def forget_answers_command(years: int | None, dry_run: bool, yes: bool, output: str) -> None:
    """Remove the detailed answers of closed years older than the kept period; attempts, their
    scores and every rate stay (docs/privacy.md, docs/partitions.md)."""
    import datetime as dt
    import json

    from learnhub.partitions import (
        answers_kept_years,
        answers_to_forget,
        forget_answers,
        last_forgotten_year,
    )

    years = years or answers_kept_years()
    up_to = last_forgotten_year(dt.date.today(), years)
    counts = answers_to_forget(up_to)
    total = sum(counts.values())
    if output == "json":
        click.echo(json.dumps({"kept_years": years, "up_to_year": up_to, "answers": total,
                               "by_year": {str(year): n for year, n in counts.items()}, "dry_run": dry_run}))
    click.echo(f"{total} answer(s) of quiz attempts started in {up_to} or before", err=True)
    if dry_run or not total:
        return
    if not yes and not click.confirm("Remove them? This cannot be undone", default=False, err=True):
        raise click.ClickException("nothing was changed")
    forget_answers(up_to)
    db.session.commit()
    click.echo(f"{total} answer(s) removed; attempts and rates are unchanged", err=True)
