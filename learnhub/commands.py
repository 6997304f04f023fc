"""Registers every feature's command group on the app's CLI."""
from __future__ import annotations

from typing import cast

import click
from flask import Flask


def register_commands(app: Flask) -> None:
    from learnhub.auth.cli import users_cli
    from learnhub.backup.cli import backup_command, restore_command, with_backup_before_upgrade
    from learnhub.bench.cli import bench_cli
    from learnhub.contests.cli import contest_cli
    from learnhub.courses.cli import courses_cli
    from learnhub.demo.cli import demo_command
    from learnhub.members.cli import members_cli
    from learnhub.notify.cli import reminders_cli
    from learnhub.orgs.cli import units_cli
    from learnhub.plans.cli import plans_cli, report_cli
    from learnhub.plans.kept_cli import figures_cli
    from learnhub.quizzes.cli import quiz_cli
    from learnhub.translate import translate_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(courses_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(units_cli)
    app.cli.add_command(members_cli)
    app.cli.add_command(quiz_cli)
    app.cli.add_command(contest_cli)
    app.cli.add_command(plans_cli)
    app.cli.add_command(figures_cli)
    app.cli.add_command(reminders_cli)
    import learnhub.reports.cli  # noqa: F401  (adds `report year` to the report group)

    app.cli.add_command(report_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(bench_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    # Replaces Flask-Migrate's `db` group (added by migrate.init_app) with one whose `upgrade`
    # backs up a SQLite database first.
    # Flask-Migrate adds `db` as a click.Group, which the mapping of commands cannot say.
    app.cli.add_command(with_backup_before_upgrade(cast(click.Group, app.cli.commands["db"])))
    from learnhub.cli import refusals_in_one_line

    refusals_in_one_line(app.cli)
