"""Member pages and quiz submission under gunicorn, against the trivial route on the same server.

The server's workers are pinned to one core and this load generator to the other (taskset and
sched_setaffinity), so the two do not take each other's time; PostgreSQL, when used, may run on
either. Each target gets a fixed number of requests from a fixed number of signed-in members.
"""
from __future__ import annotations

import os
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.load.client import Browser, Figures, choose_answers, form_fields, percentile, read_quiz
from tests.load.server import gunicorn

ATTEMPT = re.compile(r"/attempts/(\d+)")


@dataclass
class LoadFigure:
    target: str
    path: str
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cpu_ms: float  # the workers' CPU time per request (clock ticks of /proc, so about ±10 ms in all)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self, trivial: float) -> dict[str, Any]:
        return {"target": self.target, "path": self.path, "requests": self.requests,
                "throughput_per_s": round(self.throughput, 1),
                "ratio_to_trivial": round(self.throughput / trivial, 3) if trivial else None,
                "errors": self.errors, "p50_ms": round(self.p50_ms, 1), "p95_ms": round(self.p95_ms, 1),
                "p99_ms": round(self.p99_ms, 1), "worker_cpu_ms_per_request": round(self.cpu_ms, 2)}


@contextmanager
def pinned(cpus: set[int] | None):
    """This process on ``cpus`` for the block (the load generator's share of the machine)."""
    if not cpus:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def _run(tasks: list[tuple[Browser, Callable[[Browser], bool]]], concurrency: int) -> tuple[float, list[float], int]:
    """Each (browser, job) once, ``concurrency`` at a time; wall time, sorted latencies, errors."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    queue = list(tasks)

    def worker() -> None:
        nonlocal errors
        while True:
            with lock:
                if not queue:
                    return
                browser, job = queue.pop()
            started = time.perf_counter()
            try:
                ok = job(browser)
            except Exception:  # noqa: BLE001  (a dropped connection counts as an error)
                ok = False
            with lock:
                latencies.append(time.perf_counter() - started)
                errors += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, sorted(latencies), errors


def _figure(target: str, path: str, seconds: float, latencies: list[float], errors: int,
            cpu_seconds: float) -> LoadFigure:
    return LoadFigure(target, path, len(latencies), seconds, errors, percentile(latencies, 50) * 1000,
                      percentile(latencies, 95) * 1000, percentile(latencies, 99) * 1000,
                      cpu_seconds * 1000 / len(latencies) if latencies else 0.0)


def _get(path: str, status: int = 200) -> Callable[[Browser], bool]:
    return lambda browser: browser.get("page", path).status == status


def measure(database_url: str, instance: Path, *, usernames: list[str], password: str, course_slug: str,
            lesson_slug: str, requests: int, concurrency: int, workers: int, server_cpus: str | None,
            client_cpus: set[int] | None, log: Callable[[str], None]) -> dict[str, Any]:
    """Throughput and latency of each target, the submissions' outcome and each worker's peak RSS."""
    figures = Figures(deadline=time.monotonic() + 3600)
    with gunicorn(database_url, instance, workers=workers, cpus=server_cpus) as server, pinned(client_cpus):
        base = server.url

        def signed_in(username: str) -> Browser:
            browser = Browser(base, figures)
            page = browser.get("login page", "/login")
            response = browser.post("sign in", "/login",
                                    {"username": username, "password": password, "csrf_token": page.csrf})
            assert response.status == 302, f"{username} could not sign in ({response.status})"
            return browser

        sitters = [signed_in(u) for u in usernames]
        browsers = sitters[:concurrency]
        targets = [("trivial route", "/healthz"), ("home", "/"), ("lesson", f"/courses/{course_slug}/{lesson_slug}"),
                   ("quiz page", f"/courses/{course_slug}/quiz")]
        results: list[LoadFigure] = []
        for target, path in targets:
            _run([(b, _get(path)) for b in browsers], concurrency)  # warm every worker
            cpu = server.cpu_seconds()
            seconds, latencies, errors = _run(
                [(browsers[n % len(browsers)], _get(path)) for n in range(requests)], concurrency)
            results.append(_figure(target, path, seconds, latencies, errors, server.cpu_seconds() - cpu))
            log(f"    {target}: {len(latencies) / seconds:.0f}/s, p95 {percentile(latencies, 95) * 1000:.0f} ms, "
                f"{errors} errors")

        # Submission: every sitter starts the quiz and fills the paper (untimed), then all submit at once.
        rng = random.Random(7)
        papers: dict[int, tuple[str, list[tuple[str, str]]]] = {}
        for browser in sitters:
            home = browser.get("home", "/")
            started = browser.post("start", f"/courses/{course_slug}/quiz/start", {"csrf_token": home.csrf})
            attempt_path = started.location.split("?")[0]
            page = browser.get("attempt", attempt_path)
            form = read_quiz(page.body)
            papers[id(browser)] = (form.action, form_fields(choose_answers(form, rng), page.csrf))
        submitted: Counter = Counter()

        def submit_job(browser: Browser) -> bool:
            action, fields = papers[id(browser)]
            response = browser.post("submit", action, fields)
            ok = response.status == 302 and "/review" in response.location
            submitted[ATTEMPT.search(action).group(1)] += int(ok)
            return ok

        cpu = server.cpu_seconds()
        seconds, latencies, errors = _run([(b, submit_job) for b in sitters], concurrency)
        results.append(_figure("quiz submission", "/attempts/<id>/submit", seconds, latencies, errors,
                               server.cpu_seconds() - cpu))
        log(f"    quiz submission: {len(latencies) / seconds:.0f}/s, p95 {percentile(latencies, 95) * 1000:.0f} ms, "
            f"{errors} errors")
        rss = [_peak_rss_mb(pid) for pid in server.worker_pids()]
        server_errors = server.log().count("Traceback")
    trivial = results[0].throughput
    return {
        "targets": [r.as_dict(trivial) for r in results],
        "submissions": {"sent": len(sitters), "accepted": sum(submitted.values()),
                        "attempts": [int(a) for a in submitted]},
        "worker_peak_rss_mb": rss, "server_tracebacks": server_errors,
    }


def _peak_rss_mb(pid: int) -> float | None:
    """The worker's peak resident set (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None
