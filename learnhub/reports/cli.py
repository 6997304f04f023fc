"""`learnhub report year` (added to the `report` group of plans/cli.py)."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from learnhub.numbers import parse_date
from learnhub.orgs.services import UnitNotFound, resolve_unit
from learnhub.plans.cli import report_cli
from learnhub.replica import on_replica, say_if_behind
from learnhub.reports.docx_export import build_docx, docx_filename
from learnhub.reports.forms import FIRST_YEAR, LAST_YEAR
from learnhub.reports.yearly import as_json, yearly_report


class ReportRefused(click.ClickException):
    """A bad argument: one line on standard error, exit status 2."""

    exit_code = 2


def parse_year(text: str) -> int:
    """A four-digit year between 2000 and 2100, else ReportRefused."""
    if not text.strip().isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise ReportRefused(f"--year must be a year between {FIRST_YEAR} and {LAST_YEAR}, not {text!r}")
    return int(text)


def parse_as_of(text: str | None) -> dt.date | None:
    """A date YYYY-MM-DD (None when not given), else ReportRefused."""
    if text is None:
        return None
    day = parse_date(text)
    if day is None:
        raise ReportRefused(f"--as-of must be a date YYYY-MM-DD, not {text!r}")
    return day


@report_cli.command("year")
@click.option("--unit", "unit_spec", required=True, help="Unit name or path Parent/Child.")
@click.option("--year", "year_text", required=True, help="The year, e.g. 2026.")
@click.option("--as-of", "as_of_text", default=None,
              help="Count the plans closed or past due on this date, YYYY-MM-DD (default: today).")
@click.option("--format", "output", type=click.Choice(["json", "docx"]), default="json")
@click.option("-o", "--output-file", default=None, help="File to write; '-' for standard output.")
def year_report(unit_spec: str, year_text: str, as_of_text: str | None, output: str,
                output_file: str | None) -> None:
    """The yearly report of a unit: conferences, participants, outreach and study rates."""
    year = parse_year(year_text)
    as_of = parse_as_of(as_of_text)
    try:
        unit = resolve_unit(unit_spec)
    except UnitNotFound as exc:
        raise ReportRefused(str(exc)) from None
    report, state = on_replica(lambda: yearly_report(unit.id, year, as_of))
    say_if_behind(state)
    if output == "json":
        text = json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n"
        if output_file in (None, "-"):
            sys.stdout.write(text)
        else:
            _write(Path(output_file), text.encode("utf-8"))
        return
    data = build_docx(report)
    if output_file == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    _write(Path(output_file or docx_filename(report)), data)


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ReportRefused(f"{path}: {exc.strerror}") from None
    click.echo(f"wrote {path}", err=True)
