"""`learnhub bench generate`"""
from __future__ import annotations

import time

import click
from flask.cli import AppGroup

bench_cli = AppGroup("bench", help="Benchmark data.")


@bench_cli.command("generate")
@click.option("--members", type=click.IntRange(min=1), required=True, help="How many members.")
@click.option("--units", type=click.IntRange(min=4), default=None,
              help="How many units in all (default: one cell per 30 members).")
@click.option("--plans", type=click.IntRange(min=1), default=4, show_default=True, help="Study plans of the year.")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed builds the same data.")
def generate_command(members: int, units: int | None, plans: int, seed: int) -> None:
    """Build a province → districts → communes → cells organisation with a year of activity."""
    from learnhub.bench.generate import generate

    started = time.perf_counter()

    def progress(label: str, count: int) -> None:
        click.echo(f"  {label}: {count:,}", err=True)

    units = units or max(4, members // 30 + members // 300 + 10)
    summary = generate(members=members, units=units, plans=plans, seed=seed, progress=progress)
    click.echo(
        f"{summary.units} units, {summary.members:,} members, {summary.courses} modules, {summary.plans} plans "
        f"in {time.perf_counter() - started:.1f} s", err=True)
