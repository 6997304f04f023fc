"""`learnhub backup`, `learnhub restore`, and `learnhub db upgrade` backing up SQLite first."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click
import flask_migrate
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app, g
from flask.cli import with_appcontext

from learnhub.backup.archive import archive_name, backup_before_upgrade, create_backup, describe
from learnhub.backup.database import KIND_NAMES, BackupError, database_kind, sqlite_path
from learnhub.backup.restore import restore_backup
from learnhub.backup.rotation import prune
from learnhub.extensions import db


def _progress(message: str) -> None:
    click.echo(message, err=True)


def _script(directory: str | None = None, x_arg: tuple[str, ...] = ()) -> ScriptDirectory:
    config = current_app.extensions["migrate"].migrate.get_config(directory, x_arg=x_arg or None)
    return ScriptDirectory.from_config(config)


def backup_folder() -> Path:
    """Where archives go by default: ``BACKUP_FOLDER`` (``LEARNHUB_BACKUP_FOLDER``) or instance/backups."""
    return Path(current_app.config.get("BACKUP_FOLDER") or Path(current_app.instance_path) / "backups")


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{count / 1024:.0f} kB"


@click.command("backup")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--keep-daily", type=click.IntRange(min=0), default=None, metavar="N",
              help="Then keep the newest archive of each of the last N days in the folder.")
@click.option("--keep-weekly", type=click.IntRange(min=0), default=None, metavar="N",
              help="Then keep the newest archive of each of the last N weeks in the folder.")
@with_appcontext
def backup_command(file: Path | None, keep_daily: int | None, keep_weekly: int | None) -> None:
    """Write the database and the instance settings to one archive FILE (mode 600).

    FILE defaults to learnhub-YYYYMMDD-HHMMSS.tar.gz (UTC) in instance/backups; a folder gets that
    name inside it. With --keep-daily/--keep-weekly, older archives of that form are deleted.
    """
    rotate = keep_daily is not None or keep_weekly is not None
    if rotate and not (keep_daily or keep_weekly):
        raise click.UsageError("--keep-daily and --keep-weekly cannot both be 0: that deletes every archive")
    now = dt.datetime.now(dt.UTC)
    if file is None:
        destination = backup_folder() / archive_name(now)
    elif file.is_dir():
        destination = file / archive_name(now)
    else:
        destination = file
    try:
        manifest = create_backup(db.engine, destination, instance_path=Path(current_app.instance_path),
                                 progress=_progress, now=now)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    destination = destination.absolute()
    _progress(f"Wrote {destination} ({_size(destination.stat().st_size)}, {len(manifest['tables'])} tables, "
              f"{sum(manifest['tables'].values())} rows, migration {manifest['alembic_revision']}).")
    if rotate:
        removed = prune(destination.parent, daily=keep_daily or 0, weekly=keep_weekly or 0)
        for path in removed:
            _progress(f"Deleted {path.name}")


def _database_label() -> str:
    url = db.engine.url
    if database_kind(url) == "sqlite":
        return str(sqlite_path(url))
    return f"the {KIND_NAMES['postgresql']} database {url.database} on {url.host or 'the local socket'}"


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Restore without asking for confirmation.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database with the one in FILE, after checking every checksum in its manifest."""

    def confirm(archive, activity: str | None) -> bool:
        _progress(describe(archive))
        _progress(f"This replaces {_database_label()}: every change since "
                  f"{archive.manifest.get('created_at')} is lost.")
        if activity:
            _progress(f"Warning: the server seems to be running ({activity}); "
                      "stop it first, or it keeps serving the old data.")
        return yes or click.confirm("Restore this backup?", default=False, err=True)

    script = _script()
    try:
        manifest = restore_backup(db.engine, file, instance_path=Path(current_app.instance_path),
                                  script=script, confirm=confirm, progress=_progress)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    if manifest is None:
        raise click.ClickException("nothing was restored")
    _progress(f"Restored {_database_label()} from {file}.")
    revision, heads = manifest.get("alembic_revision"), " ".join(sorted(script.get_heads()))
    if revision != heads:
        _progress(f"The database is at migration {revision}; run `learnhub db upgrade` to reach {heads}.")


@with_appcontext
def _upgrade_with_backup(directory: str | None, sql: bool, tag: str | None,
                         x_arg: tuple[str, ...], revision: str) -> None:
    directory, x_arg = directory or g.directory, x_arg or g.x_arg
    if not sql:
        try:
            saved = backup_before_upgrade(
                db.engine, _script(directory, x_arg), folder=backup_folder(),
                instance_path=Path(current_app.instance_path), progress=_progress,
            )
        except BackupError as exc:
            raise click.ClickException(f"no backup, so no migration: {exc}") from None
        if saved is not None:
            _progress(f"Backed up the database to {saved} before migrating.")
    flask_migrate.upgrade(directory, revision, sql, tag, x_arg)
    if not sql and revision == "head":
        _fill_kept_figures()


def _fill_kept_figures() -> None:
    """Compute the kept figures of the plans that have none yet (the first upgrade that adds them):
    the migration script cannot, as it must not import the application's rules."""
    from learnhub.plans.upkeep import fill_missing

    if not sa.inspect(db.engine).has_table("plan_progress"):
        return
    filled = fill_missing()
    db.session.commit()
    if filled:
        _progress(f"Computed the kept figures of {filled} plans.")


@click.command("analyze")
@with_appcontext
def analyze_command() -> None:
    """Refresh the query planner's statistics (after bulk imports, and daily on SQLite)."""
    from learnhub.db import analyze

    started = time.perf_counter()
    analyze()
    click.echo(f"statistics refreshed in {time.perf_counter() - started:.1f} s", err=True)


def with_backup_before_upgrade(group: click.Group) -> click.Group:
    """Flask-Migrate's ``db`` group with ``upgrade`` taking the same options but first backing up
    a SQLite database that has migrations pending (``learnhub restore`` undoes a failed upgrade)."""
    original = group.commands["upgrade"]
    upgrade = click.Command(
        "upgrade", params=original.params, callback=_upgrade_with_backup,
        help=f"{(original.help or '').rstrip('.')}. A SQLite database is backed up first when migrations are pending.",
    )
    return click.Group(name=group.name, commands={**group.commands, "upgrade": upgrade, "analyze": analyze_command},
                       params=group.params, callback=group.callback, help=group.help)
