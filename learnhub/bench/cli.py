"""`learnhub bench generate`"""
from __future__ import annotations

import json
import time

import click
from flask.cli import AppGroup

bench_cli = AppGroup("bench", help="Benchmark data.")


class Progress:
    """Counts on stderr, at most one line every few seconds, with each step's last count and rate."""

    def __init__(self, every: float = 5.0) -> None:
        self.every = every
        self.started = time.perf_counter()
        self.label, self.count, self.since, self.printed = "", 0, self.started, self.started
        self.shown = True

    def __call__(self, label: str, count: int) -> None:
        now = time.perf_counter()
        if label != self.label:
            self.flush()
            self.label, self.since = label, now
        self.count, self.shown = count, False
        if now - self.printed >= self.every:
            self.flush()

    def flush(self) -> None:
        """Print the latest count unless it has been printed."""
        if self.shown or not self.label:
            return
        now = time.perf_counter()
        rate = self.count / (now - self.since) if now - self.since > 1 else 0
        click.echo(f"  {self.label}: {self.count:,}" + (f" ({rate:,.0f}/s)" if rate else "")
                   + f" [{now - self.started:.0f} s]", err=True)
        self.printed, self.shown = now, True


@bench_cli.command("generate")
@click.option("--members", type=click.IntRange(min=1), required=True, help="How many members.")
@click.option("--units", type=click.IntRange(min=4), default=None,
              help="How many units in all (default: one cell per 30 members).")
@click.option("--plans", type=click.IntRange(min=1), default=4, show_default=True, help="Study plans of the year.")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed builds the same data.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: the counts and each step's seconds on stdout.")
def generate_command(members: int, units: int | None, plans: int, seed: int, output: str) -> None:
    """Build a province → districts → communes → cells organisation with a year of activity."""
    from learnhub.bench.generate import generate

    started = time.perf_counter()
    progress = Progress()
    units = units or max(4, members // 30 + members // 300 + 10)
    summary = generate(members=members, units=units, plans=plans, seed=seed, progress=progress)
    progress.flush()
    seconds = round(time.perf_counter() - started, 1)
    click.echo(", ".join(f"{step} {s:.1f} s" for step, s in summary.seconds.items()), err=True)
    click.echo(f"CPU: this process {sum(summary.cpu.values()):.1f} s"
               + (f", the database's {sum(summary.database_cpu.values()):.1f} s" if summary.database_cpu else ""),
               err=True)
    click.echo(
        f"{summary.units} units, {summary.members:,} members, {summary.courses} modules, {summary.plans} plans "
        f"in {seconds:.1f} s", err=True)
    if output == "json":
        click.echo(json.dumps({"units": summary.units, "members": summary.members, "modules": summary.courses,
                               "plans": summary.plans, "rows": summary.rows, "seconds": seconds,
                               "steps": summary.seconds, "cpu": summary.cpu, "database_cpu": summary.database_cpu}))
