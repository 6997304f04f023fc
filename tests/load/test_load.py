"""The real server under load and faults: gunicorn with three workers on loopback, on SQLite (or
PostgreSQL with LEARNHUB_TEST_DATABASE_URL), hundreds of members at once, workers killed mid-submission.

Run with ``-s`` to see the figures (requests, p50/p95 per step, dropped connections).
"""
from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest

from tests.load.client import Browser, Figures
from tests.load.invariants import check_database
from tests.load.journeys import start_quiz, study_and_sit, submit_despite_failures
from tests.load.server import BIN, Seeded, fresh_database, gunicorn, migrate, seed

pytestmark = [
    pytest.mark.load,
    pytest.mark.xdist_group("load"),  # one at a time under pytest-xdist: they time and kill workers
    pytest.mark.skipif(not (BIN / "gunicorn").exists(), reason="gunicorn is not installed (pip install '.[server]')"),
]

WORKERS = 3
TIME_BUDGET = 120.0  # seconds of requests for one test (about 20 s on an idle 2-core machine); none starts after it
T = TypeVar("T")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    instance = tmp_path / "instance"
    instance.mkdir()
    with fresh_database(tmp_path) as url:
        migrate(url, instance)
        yield url, instance


def run_all(usernames: list[str], concurrency: int, journey: Callable[[str], T]) -> tuple[dict[str, T], list[str], float]:
    """Every member's journey, ``concurrency`` at a time; failures are collected, not raised."""
    results: dict[str, T] = {}
    failures: list[str] = []

    def one(username: str) -> None:
        try:
            results[username] = journey(username)
        except Exception as error:  # noqa: BLE001  (every failure is reported, none stops the others)
            failures.append(f"{username}: {error!r}")

    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, usernames))
    return results, failures, time.monotonic() - started


def server_problems(log: str) -> list[str]:
    lines = log.splitlines()
    return [line for line in lines if "database is locked" in line or "Traceback" in line
            or "Exception on /" in line or "[ERROR] Error handling request" in line]


def test_300_members_study_and_sit_the_quiz_at_once(site: tuple[str, Path]) -> None:
    url, instance = site
    town: Seeded = seed(url, instance, members=300)
    figures = Figures(deadline=time.monotonic() + TIME_BUDGET)
    with gunicorn(url, instance, workers=WORKERS) as server:
        sittings, failures, elapsed = run_all(town.usernames, 40, lambda username: study_and_sit(
            Browser(server.url, figures), username, town, random.Random(username)))
        log = server.log()
        cpu = server.cpu_seconds()
    print("\n" + figures.summary(f"{url.split(':')[0]}: 300 members, 40 at a time, {WORKERS} workers", elapsed))
    print(f"  workers' CPU: {cpu:.1f} s, {1000 * cpu / max(1, len(figures.samples)):.1f} ms a request")
    assert not failures, f"{len(failures)} members failed, e.g. {failures[:5]}"
    assert not figures.server_errors(), figures.server_errors()[:10]
    assert not figures.connection_errors, figures.connection_errors
    assert not server_problems(log), "\n".join(server_problems(log)[:20])
    assert len(figures.samples) == 300 * 10
    problems = check_database(url, sittings, town.lesson_slug)
    assert not problems, "\n".join(problems[:20])


def test_workers_killed_mid_submission_leave_no_half_written_attempt(site: tuple[str, Path]) -> None:
    url, instance = site
    town: Seeded = seed(url, instance, members=120)
    kills_wanted = 5
    kills: list[str] = []
    done = threading.Event()
    figures = Figures(deadline=time.monotonic() + TIME_BUDGET)
    with gunicorn(url, instance, workers=WORKERS) as server:
        browsers = {username: Browser(server.url, figures) for username in town.usernames}
        attempts, failures, preparing = run_all(town.usernames, 30, lambda username: start_quiz(
            browsers[username], username, town))
        assert not failures, f"{len(failures)} members could not start, e.g. {failures[:5]}"

        def killer() -> None:
            """SIGKILL a worker that is serving a quiz submission, at a random point of it (0 to 20 ms
            in: before, inside or after its transaction), ``kills_wanted`` times, each once
            gunicorn's master has forked the replacement and 0.2 s have passed."""
            while len(kills) < kills_wanted and not done.is_set():
                busy = [(pid, server.serving(pid)) for pid in server.worker_pids()]
                busy = [(pid, what) for pid, what in busy if what.endswith("/submit")]
                if not busy:
                    time.sleep(0.001)
                    continue
                pid, what = random.choice(busy)
                time.sleep(random.uniform(0, 0.02))
                if server.serving(pid) != what:
                    continue
                server.kill_worker(pid)
                kills.append(f"{pid}: {what}")
                time.sleep(0.2)
                server.wait_for_workers(WORKERS)

        thread = threading.Thread(target=killer, daemon=True)
        thread.start()
        sittings, failures, elapsed = run_all(town.usernames, 30, lambda username: submit_despite_failures(
            browsers[username], attempts[username], random.Random(username)))
        done.set()
        thread.join(timeout=5)
        server.wait_for_workers(WORKERS)
        still_answers = server.answers()
        log = server.log()
    print("\n" + figures.summary(f"{url.split(':')[0]}: 120 members, 30 at a time, {len(kills)} workers killed",
                                  preparing + elapsed))
    print("  killed: " + "; ".join(kills))
    print(f"  cut-off submissions found graded on reload: {sum(s.found_graded for s in sittings.values())}, "
          f"sent again: {sum(s.tries > 1 for s in sittings.values())}")
    assert len(kills) == kills_wanted, f"only {len(kills)} workers were killed mid-submission"
    assert still_answers, "the server stopped answering after its workers were killed"
    assert not failures, f"{len(failures)} members failed, e.g. {failures[:5]}"
    assert not figures.server_errors(), figures.server_errors()[:10]
    assert figures.connection_errors["submit"] >= 1, "no submission was cut off by a kill"
    assert not server_problems(log), "\n".join(server_problems(log)[:20])
    problems = check_database(url, sittings, None)
    assert not problems, "\n".join(problems[:20])
