"""Every command fails in one line: a refusal ends with ``Error: ...`` and a non-zero exit, never a traceback."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import click
import click.testing
import sqlalchemy as sa
from flask import Flask

from learnhub.cli import one_line, refusals_in_one_line
from learnhub.extensions import db
from learnhub.resources import resource_dir

HUGE = str(10**30)


def refusal_paths(tmp: Path) -> list[list[str]]:
    """One or more refusals for each command group (the data is the ``town`` fixture's)."""
    (tmp / "x.xlsx").write_text("not a spreadsheet")
    (tmp / "course").mkdir()
    (tmp / "course" / "course.md").write_text("---\ntitle: x\n---\n")
    return [
        ["users", "create", "newbie", "--unit", "Không có"],
        ["users", "reset-two-factor", "nobody"],
        ["units", "create", "X", "--kind", "cell", "--parent", "Không có"],
        ["units", "create", "a/b", "--kind", "cell"],
        ["members", "import", str(tmp / "nope.xlsx")],
        ["members", "import", str(tmp / "x.xlsx")],
        ["members", "anonymise", "--years", HUGE, "--dry-run"],
        ["courses", "check", str(tmp / "course")],
        ["courses", "import", str(tmp / "course")],
        ["courses", "export", "nope"],
        ["quiz", "export-gift", "nope"],
        ["report", "completion", "--plan", HUGE],
        ["report", "completion", "--plan", "nope"],
        ["report", "year", "--unit", "Đảng bộ Thị trấn", "--year", "10000"],
        ["report", "year", "--unit", "nope", "--year", "2026"],
        ["backup", str(tmp / "x.xlsx" / "x.tar.gz")],  # a file where the folder should be
        ["restore", str(tmp / "x.xlsx"), "--yes"],
        ["bench", "generate", "--members", "-5"],
        ["plans", "list", "--format", "pdf"],
        ["reminders", "send", "--format", "pdf"],
        ["figures", "check", "--plan", HUGE],
        ["figures", "rebuild", "--plan", "nope"],
        ["contest", "results", HUGE, "--format", "json"],
        ["contest", "results", "nope"],
        ["contest", "anonymise", "--months", "0"],
        ["db", "downgrade", "no-such-revision"],
    ]


def _one_line_reason(line: str) -> bool:
    """``Error: ...``, or ``path:line: message`` for a refused file."""
    return "Error" in line or re.match(r"^\S.*:\d+: \S", line) is not None


def test_every_refusal_is_one_line_without_a_traceback(app: Flask, town, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    paths = refusal_paths(tmp_path)
    groups = {path[0] for path in paths}
    ours = {name for name in app.cli.commands if name not in ("shell", "run", "routes", "translate", "demo")}
    assert ours <= groups, f"add a refusal of {sorted(ours - groups)} here"
    failures = []
    for args in paths:
        result = runner.invoke(args=args)
        lines = [line for line in result.output.splitlines() if line.strip()]
        if (result.exit_code == 0 or "Traceback" in result.output or not lines
                or not isinstance(result.exception, SystemExit | None) or not _one_line_reason(lines[-1])):
            failures.append(f"{' '.join(args)}: exit {result.exit_code}, {lines[-1:] or result.exception!r}")
    assert not failures, "\n".join(failures)


def test_a_domain_refusal_becomes_one_line_and_exit_code_1() -> None:
    from learnhub.quizzes.attempts import AttemptRefused

    @click.group()
    def group() -> None: ...

    @group.command()
    def start() -> None:
        raise AttemptRefused("no_attempts_left")

    @group.command()
    def crash() -> None:
        raise KeyError("a bug keeps its traceback")

    refusals_in_one_line(group)
    result = click.testing.CliRunner().invoke(group, ["start"])
    assert result.exit_code == 1 and result.output == "Error: attempt refused: no_attempts_left\n"
    assert isinstance(click.testing.CliRunner().invoke(group, ["crash"]).exception, KeyError)
    assert one_line(ValueError("first\nsecond")) == "first / second"
    assert one_line(FileNotFoundError(2, "No such file or directory", "a.csv")) == "a.csv: No such file or directory"


def test_demo_works_on_a_database_with_a_quiz_of_two_attempts(fresh_app: Flask, tmp_path: Path) -> None:
    """A module of the organisation's own whose quiz allows two attempts: the demo's members would sit it
    three times; the demo stops each member's rounds at the quiz's limit and finishes, twice."""
    course = tmp_path / "mo-dun-rieng"
    shutil.copytree(resource_dir("courses") / "chi-thi-05-ct-tw", course)
    quiz = course / "quiz.md"
    quiz.write_text(quiz.read_text().replace("max_attempts: 3", "max_attempts: 2"))
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert runner.invoke(args=["units", "create", "Đảng bộ Thị trấn", "--kind", "committee"]).exit_code == 0
    imported = runner.invoke(args=["courses", "import", str(course)])
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    with fresh_app.app_context():
        from learnhub.auth.models import User
        from learnhub.quizzes.models import Quiz, QuizAttempt

        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 403
        for quiz in db.session.scalars(sa.select(Quiz)):
            most = db.session.scalar(sa.select(sa.func.max(QuizAttempt.number)).where(QuizAttempt.quiz_id == quiz.id))
            assert (most or 0) <= (quiz.settings.get("max_attempts") or most or 0)
    assert runner.invoke(args=["demo"]).exit_code == 0  # and again
