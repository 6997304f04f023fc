"""The last minute of a contest round: entries started and submitted within a minute against gunicorn,
then the ranking of a 50,000-entry round computed in SQL.

Each citizen's browser first opens the entry form (before the minute: people fill it in at their
pace, and the form's timing check wants a few seconds between the two). Then, spread evenly over
60 seconds, each one sends the form (the paper is drawn), opens the paper, submits it and, as an
impatient person does, submits it a second time; one in twenty also tries to enter again with the
same phone. Afterwards the database must hold exactly one graded entry per citizen: none lost,
none doubled.

    python -m benchmarks.contest_load                      # SQLite, 500 entries
    python -m benchmarks.contest_load --entries 2000 --postgres-url postgresql+psycopg://postgres@127.0.0.1/postgres
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tests.load.client import Browser, Figures, choose_answers, form_fields, percentile, read_quiz
from tests.load.server import fresh_database, gunicorn, migrate, seed

WINDOW = 60.0  # seconds: the round's last minute
CONTEST_CONFIG = (
    # A whole commune may sit behind one address; the benchmark's citizens all come from loopback.
    'CONTEST_ENTRY_LIMIT_ADDRESS = "1000000 per minute"\n'
)


def prepare_contest(database_url: str) -> int:
    """An open round of a published contest on the seeded module's quiz; its id."""
    from learnhub import create_app
    from learnhub.contests import services
    from learnhub.db import utcnow
    from learnhub.extensions import db
    from learnhub.orgs.models import Unit
    from learnhub.quizzes.models import Quiz

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "seed-only"})
    with app.app_context():
        root = db.session.scalars(sa.select(Unit).where(Unit.parent_id.is_(None))).one()
        contest = services.create_contest(unit=root, quiz=db.session.scalars(sa.select(Quiz)).one(),
                                          title="Cuộc thi tải thử", organiser="Ban Tuyên giáo",
                                          prizes=["Giải Nhất"], questions_per_entry=6, time_limit_minutes=15)
        now = utcnow()
        services.add_round(contest, opens_at=now - dt.timedelta(days=6), closes_at=now + dt.timedelta(hours=2))
        services.publish(contest)
        db.session.commit()
        contest_id = contest.id
        db.session.remove()
        db.engine.dispose()
    return contest_id


def last_minute(base: str, contest_id: int, entries: int, concurrency: int) -> dict[str, Any]:
    """Every citizen's entry inside one minute; throughput and latencies of each step."""
    figures = Figures(deadline=time.monotonic() + 3600)
    enter = f"/contest/{contest_id}/enter"
    browsers: list[tuple[Browser, str, str]] = []
    for _n in range(entries):
        browser = Browser(base, figures)
        page = browser.get("entry form", enter)
        stamp = page.body.split('name="stamp"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
        browsers.append((browser, page.csrf, stamp))
    time.sleep(3.5)  # the form's timing check: nobody fills it in faster
    rng = random.Random(13)
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []
    queue = list(range(entries))
    started = time.monotonic()

    def citizen(n: int) -> None:
        browser, csrf, stamp = browsers[n]
        phone = f"09{n:08d}"
        form = {"csrf_token": csrf, "stamp": stamp, "website": "", "name": f"Người Dự Thi {n}",
                "birth_year": "1980", "phone": phone, "unit": "0", "organisation": "Hội Nông dân", "consent": "y"}
        begun = time.perf_counter()
        entered = browser.post("start entry", enter, form)
        if entered.status != 302 or "/contest/entries/" not in entered.location:
            raise RuntimeError(f"start {entered.status}")
        paper = browser.get("paper", entered.location)
        answers = choose_answers(read_quiz(paper.body), rng)
        fields = form_fields(answers, paper.csrf) + [("prediction", str(rng.randint(0, 50)))]
        for _twice in range(2):  # an impatient double click
            sent = browser.request("submit", "POST", entered.location, form=fields)
            if sent.status != 302:
                raise RuntimeError(f"submit {sent.status}")
        if n % 20 == 0:  # the same phone once more: refused, not a second entry
            again = browser.post("enter again", enter, form)
            if "/contest/entries/" in again.location:
                raise RuntimeError("a second entry for the same phone was accepted")
        with lock:
            latencies.append(time.perf_counter() - begun)

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                n = queue.pop(0)
            due = started + n * WINDOW / entries
            time.sleep(max(0.0, due - time.monotonic()))
            try:
                citizen(n)
            except Exception as error:  # noqa: BLE001  (counted, reported)
                with lock:
                    failures.append(f"{n}: {error}")

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    timed = [sample for sample in figures.samples if sample[0] != "entry form"]
    steps = {}
    for step in ("start entry", "paper", "submit", "enter again"):
        times = sorted(seconds for name, _status, seconds in timed if name == step)
        steps[step] = {"n": len(times), "p95_ms": round(percentile(times, 95) * 1000)}
    latencies.sort()
    requests = len(timed)
    errors = sum(1 for _name, status, _seconds in timed if status >= 500)
    return {"entries": entries, "seconds": round(elapsed, 1), "entries_per_s": round(entries / elapsed, 1),
            "requests": requests, "requests_per_s": round(requests / elapsed, 1), "server_errors": errors,
            "steps": steps, "entry_p50_ms": round(percentile(latencies, 50) * 1000),
            "entry_p95_ms": round(percentile(latencies, 95) * 1000), "failures": failures[:10],
            "failed": len(failures), "summary": figures.summary("last minute", elapsed)}


def count_entries(database_url: str, entries: int) -> dict[str, int]:
    """Submitted, lost and doubled entries, read from the database."""
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT phone, count(*), sum(CASE WHEN submitted_at IS NOT NULL THEN 1 ELSE 0 END) "
            "FROM contest_entry GROUP BY phone")).all()
    engine.dispose()
    submitted = sum(1 for _phone, _count, done in rows if done)
    return {"submitted": submitted, "lost": entries - submitted, "doubled": sum(1 for _p, count, _d in rows if count > 1)}


def rank_many(database_url: str, contest_id: int, count: int) -> dict[str, float]:
    """``count`` graded entries in a closed round (bulk inserted), then its ranking timed."""
    from learnhub import create_app
    from learnhub.contests import results, services
    from learnhub.contests.models import Contest, ContestEntry
    from learnhub.db import utcnow
    from learnhub.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "seed-only"})
    rng = random.Random(5)
    with app.app_context():
        contest = db.session.get_one(Contest, contest_id)
        now = utcnow()
        big = services.add_round(contest, opens_at=now - dt.timedelta(days=14), closes_at=now - dt.timedelta(days=7))
        db.session.commit()
        start = now - dt.timedelta(days=13)
        rows = []
        for n in range(count):
            score = float(rng.choice([6, 6, 5, 5, 5, 4, 3]))
            at = start + dt.timedelta(seconds=n * 10)
            rows.append({"round_id": big.id, "token": f"bulk-{n}", "entry_no": 1, "kind": "citizen",
                         "name": f"Người Dự Thi {n}", "phone": f"+8470{n:07d}", "organisation": "", "paper": [],
                         "started_at": at, "deadline": at + dt.timedelta(minutes=15), "submitted_at": at,
                         "late": False, "prediction": rng.randint(0, 20000), "score": score, "max_score": 6.0,
                         "all_correct": score == 6, "seconds": rng.randint(60, 900)})
        for chunk in range(0, count, 5000):
            db.session.execute(sa.insert(ContestEntry), rows[chunk:chunk + 5000])
        db.session.commit()
        from learnhub.db import analyze

        analyze()
        timings = {}
        for label, limit in (("top_100_ms", 100), ("all_ms", None)):
            began = time.perf_counter()
            lines = results.ranking(contest, big, limit=limit)
            timings[label] = round((time.perf_counter() - began) * 1000, 1)
            assert lines[0].rank == 1
        db.session.remove()
        db.engine.dispose()
    return {"entries": count, **timings}


def run(kind: str, database_url_base: str | None, entries: int, ranked: int, workers: int,
        concurrency: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        (instance / "learnhub.cfg").write_text(CONTEST_CONFIG, encoding="utf-8")
        with fresh_database(instance, database_url_base or "", name="contest") as url:
            migrate(url, instance)
            seed(url, instance, members=1)
            contest_id = prepare_contest(url)
            with gunicorn(url, instance, workers=workers) as server:
                load = last_minute(server.url, contest_id, entries, concurrency)
            counts = count_entries(url, entries)
            ranking = rank_many(url, contest_id, ranked)
    return {"database": kind, "workers": workers, **{k: v for k, v in load.items() if k != "summary"},
            **counts, "ranking": ranking, "summary": load["summary"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.contest_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=500, help="entries in the last minute")
    parser.add_argument("--ranked", type=int, default=50_000, help="entries of the round whose ranking is timed")
    parser.add_argument("--postgres-url", default=None, help="run on this PostgreSQL server (else SQLite)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=64, help="citizens' browsers in flight at once")
    parser.add_argument("-o", "--output", type=Path, default=None, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    kind = "postgresql" if args.postgres_url else "sqlite"
    figures = run(kind, args.postgres_url, args.entries, args.ranked, args.workers, args.concurrency)
    print(figures.pop("summary"), file=sys.stderr)
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.output:
        args.output.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if figures["lost"] == 0 and figures["doubled"] == 0 and figures["failed"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
