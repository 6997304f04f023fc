"""`learnhub quiz export-gift`"""
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
