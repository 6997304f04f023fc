"""LearnHub's benchmark runner: one command, every figure of docs/performance.md.

    .venv/bin/python -m benchmarks.run                      # 1,000 / 10,000 / 100,000 members, SQLite and PostgreSQL
    .venv/bin/python -m benchmarks.run --members 1000 --databases sqlite   # a quick look

For each database and size it builds a fresh database (`learnhub db upgrade`, then
`learnhub bench generate`), times the committee pages against their hand-written SQL, drives
member pages and quiz submission under gunicorn against the trivial route, reads each worker's
peak memory, and times the root dashboard's .xlsx exports and (once per database) a member import.
It prints a table and writes everything as JSON (--out). Progress goes to stderr.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks import files, load, pages
from tests.load.server import BIN, fresh_database, migrate, server_environment

PASSWORD = "mat-khau-do-hieu-nang"
ADMIN = "bench-quantri"
SECRETARY = "bench-bithu"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def database(kind: str, workdir: Path, members: int, postgres_url: str):
    """A new, empty database for one run, removed afterwards (a province-sized one takes gigabytes)."""
    return fresh_database(workdir, base=postgres_url if kind == "postgresql" else "", name=f"bench_{members}")


def database_mb(url: str) -> float:
    """The database's size on disk after generation, in MB."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return round(sum(Path(f"{parsed.database}{s}").stat().st_size for s in ("", "-wal")
                         if Path(f"{parsed.database}{s}").exists()) / 1e6, 1)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        size = connection.scalar(sa.text("SELECT pg_database_size(current_database())"))
    engine.dispose()
    return round(size / 1e6, 1)


def prepare(app, sitters: int) -> dict[str, Any]:
    """An administrator and ``sitters`` members who can sign in (a cheap hash: the benchmark loads
    pages, not password hashing), and the open plan, its module, the root and a cell."""
    from werkzeug.security import generate_password_hash

    from learnhub.auth.models import Category, Role, User
    from learnhub.courses.models import Lesson
    from learnhub.extensions import db
    from learnhub.orgs.models import Unit, UnitKind
    from learnhub.plans.models import PlanStatus, StudyPlan
    from learnhub.plans.modules import plan_courses
    from learnhub.text import fold, name_sort_key

    cheap = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    with app.app_context():
        root = db.session.scalar(sa.select(Unit).where(Unit.parent_id.is_(None)))
        db.session.add(User(username=ADMIN, full_name="Quản trị hiệu năng", search_name=fold("Quản trị hiệu năng"),
                            sort_key=name_sort_key("Quản trị hiệu năng"), category=Category.civil_servant,
                            role=Role.admin, unit_id=root.id, password_hash=cheap))
        plan = db.session.scalars(sa.select(StudyPlan).where(StudyPlan.status == PlanStatus.open)
                                  .order_by(StudyPlan.id)).first()
        course = plan_courses(plan)[0]
        lesson = db.session.scalars(sa.select(Lesson).where(Lesson.course_id == course.id)
                                    .order_by(Lesson.position)).first()
        members = db.session.execute(
            sa.select(User.id, User.username, User.unit_id)
            .where(User.role == Role.member, User.category == Category.party_member).order_by(User.id).limit(sitters)
        ).all()
        db.session.execute(sa.update(User).where(User.id.in_([m.id for m in members]))
                           .values(password_hash=cheap, must_change_password=False))
        db.session.add(User(username=SECRETARY, full_name="Bí thư chi bộ", search_name=fold("Bí thư chi bộ"),
                            sort_key=name_sort_key("Bí thư chi bộ"), category=Category.party_member,
                            role=Role.committee, unit_id=members[0].unit_id, password_hash=cheap))
        db.session.commit()
        return {"plan": plan.id, "course": course.slug, "lesson": lesson.slug, "root": root.id,
                "cell": members[0].unit_id, "usernames": [m.username for m in members],
                "cell_names": list(db.session.scalars(sa.select(Unit.name).where(Unit.kind == UnitKind.cell)
                                                     .order_by(Unit.id).limit(50)))}


def one_run(kind: str, members: int, args: argparse.Namespace, workdir: Path, first: bool) -> dict[str, Any]:
    from learnhub import create_app

    result: dict[str, Any] = {"database": kind, "members": members}
    with database(kind, workdir, members, args.postgres_url) as url:
        instance = workdir / f"instance-{kind}-{members}"
        instance.mkdir(exist_ok=True)
        env = server_environment(url, instance)
        migrate(url, instance)
        log(f"== {kind}, {members:,} members: generating ...")
        started = time.perf_counter()
        generated = subprocess.run([str(BIN / "learnhub"), "bench", "generate", "--members", str(members),
                                    "--plans", "4", "--seed", "1"], env=env, cwd=instance, text=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if generated.returncode != 0:
            raise SystemExit(f"bench generate failed: {generated.stderr[-2000:]}")
        result["generate_seconds"] = round(time.perf_counter() - started, 1)
        log(f"   {generated.stderr.strip().splitlines()[-1]}")

        result["database_mb"] = database_mb(url)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(16),
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
        site = prepare(app, args.sitters)
        year = dt.date.today().year
        log("   committee pages against their SQL ...")
        figures, checks = pages.measure(app, committee=ADMIN, secretary=SECRETARY, password=PASSWORD, plan_id=site["plan"],
                                        root_id=site["root"], cell_id=site["cell"], year=year,
                                        repeat=args.repeat)
        result["pages"] = [f.as_dict() for f in figures]
        result["checks"] = checks
        for f in figures:
            log(f"    {f.page}: {f.page_ms:.0f} ms, SQL {f.sql_ms:.0f} ms, ×{f.ratio:.2f}, {f.queries} queries")
        with app.app_context():
            from learnhub.extensions import db

            db.engine.dispose()

        log("   member pages and submission under gunicorn ...")
        server_cpus, client_cpus = ("1", {0}) if (os.cpu_count() or 1) >= 2 and shutil.which("taskset") else (None, None)
        result["load"] = load.measure(
            url, instance, usernames=site["usernames"], password=PASSWORD, course_slug=site["course"],
            lesson_slug=site["lesson"], requests=args.requests, concurrency=args.concurrency, workers=args.workers,
            server_cpus=server_cpus, client_cpus=client_cpus, log=log)
        result["load"]["cores"] = ("gunicorn on core 1, load generator on core 0" if server_cpus
                                   else "not pinned (one core)")

        log("   exports ...")
        root = site["root"]
        result["exports"] = {
            "baseline (sign in only)": files.export(env, instance, ADMIN, PASSWORD, "/healthz"),
            "dashboard .xlsx": files.export(env, instance, ADMIN, PASSWORD,
                                            f"/plans/{site['plan']}/export.xlsx?unit={root}"),
            "not completed .xlsx": files.export(env, instance, ADMIN, PASSWORD,
                                                f"/plans/{site['plan']}/missing.xlsx?unit={root}"),
        }
        for name, figure in result["exports"].items():
            log(f"    {name}: {figure['seconds']} s, peak {figure['peak_rss_mb']} MB ({figure['stdout']})")
        if first and args.import_rows:
            log(f"   importing {args.import_rows:,} members ...")
            path = files.member_file(workdir / "members.csv", args.import_rows, site["cell_names"])
            result["import"] = {"rows": args.import_rows, **files.import_members(env, instance, path)}
            log(f"    {result['import']['seconds']} s, peak {result['import']['peak_rss_mb']} MB: "
                f"{result['import']['stderr']}")
        shutil.rmtree(instance, ignore_errors=True)
    return result


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(int(memory) / 1024 / 1024, 1),
            "python": platform.python_version(), "sqlite": __import__("sqlite3").sqlite_version,
            "platform": platform.platform(), "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}


def table(results: list[dict[str, Any]]) -> str:
    """The figures as a Markdown table, one row per database and size."""
    head = ("| database | members | root dashboard ms (× SQL, queries) | cell dashboard ms (× SQL, queries) "
            "| yearly report ms (× SQL) | home / lesson / quiz page ÷ trivial | submission ÷ trivial "
            "| p95 submit ms | errors | worker peak RSS MB | not completed .xlsx s / MB |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        p = {f["page"]: f for f in r["pages"]}
        t = {f["target"]: f for f in r["load"]["targets"]}
        cell = lambda f: f"{f['page_ms']:.0f} (×{f['ratio']:.2f}, {f['queries']})"  # noqa: E731
        errors = sum(f["errors"] for f in r["load"]["targets"]) + r["load"]["server_tracebacks"]
        export = r["exports"]["not completed .xlsx"]
        lines.append(
            f"| {r['database']} | {r['members']:,} | {cell(p['dashboard (root)'])} "
            f"| {cell(p['dashboard (cell)'])} "
            f"| {p['yearly report (root)']['page_ms']:.0f} (×{p['yearly report (root)']['ratio']:.2f}) "
            f"| {t['home']['ratio_to_trivial']:.2f} / {t['lesson']['ratio_to_trivial']:.2f} / "
            f"{t['quiz page']['ratio_to_trivial']:.2f} | {t['quiz submission']['ratio_to_trivial']:.2f} "
            f"| {t['quiz submission']['p95_ms']:.0f} | {errors} | {max(r['load']['worker_peak_rss_mb'] or [0]):.0f} "
            f"| {export['seconds']} / {export['peak_rss_mb']:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", default="1000,10000,100000", help="comma-separated sizes")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "LEARNHUB_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--requests", type=int, default=400, help="requests per member page")
    parser.add_argument("--sitters", type=int, default=200, help="members who each submit one attempt")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight at once")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each committee page (median)")
    parser.add_argument("--import-rows", type=int, default=100_000, help="rows of the member import (0: skip)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/latest.json"))
    args = parser.parse_args(argv)
    try:
        sizes = [int(n) for n in args.members.split(",")]
    except ValueError:
        parser.error(f"--members: not a list of numbers: {args.members}")
    kinds = [k.strip() for k in args.databases.split(",")]
    if not set(kinds) <= {"sqlite", "postgresql"} or args.sitters < args.concurrency:
        parser.error("--databases takes sqlite and/or postgresql; --sitters must be at least --concurrency")
    results = []
    with tempfile.TemporaryDirectory(prefix="learnhub-bench-") as tmp:
        for kind in kinds:
            for n, members in enumerate(sizes):
                results.append(one_run(kind, members, args, Path(tmp), first=n == 0))
    report = {"machine": machine(), "arguments": {k: str(v) for k, v in vars(args).items()}, "results": results}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    log(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
