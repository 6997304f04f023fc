"""What ``learnhub bench generate`` reports: rows written and each step's wall, CPU and database CPU
time, and the bulk insert that counts its rows as it goes."""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from learnhub.bench.bulk import insert_rows
from learnhub.extensions import db


@dataclass
class GenerateSummary:
    units: int = 0
    members: int = 0
    courses: int = 0
    plans: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # each step's wall time, in order
    # The CPU seconds this process and the database's server processes spent: on a machine others
    # share, the wall time says how busy it was, the CPU time what the generation itself costs.
    cpu: dict[str, float] = field(default_factory=dict)
    database_cpu: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the block as step ``name``."""
        started, cpu, database = time.perf_counter(), time.process_time(), _database_cpu()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - started, 2)
            self.cpu[name] = round(self.cpu.get(name, 0.0) + time.process_time() - cpu, 2)
            if database is not None and (after := _database_cpu()) is not None:
                self.database_cpu[name] = round(self.database_cpu.get(name, 0.0) + after - database, 2)


def _database_cpu() -> float | None:
    """CPU seconds used so far by this database's PostgreSQL server processes, when the server runs
    on this machine (read from /proc); None elsewhere."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    try:
        pids = db.session.scalars(sa.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                                          " AND backend_type = 'client backend'")).all()
        db.session.commit()
    except sa.exc.SQLAlchemyError:  # a step that failed: its own error is the one to see
        return None
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


Progress = Callable[[str, int], None]


def insert_counted(model: Any, rows: Iterable[dict[str, Any]], progress: Progress, label: str, summary: GenerateSummary) -> None:
    done = summary.rows.get(label, 0)

    def report(written: int) -> None:
        summary.rows[label] = done + written
        progress(label, done + written)

    insert_rows(model, rows, report)
