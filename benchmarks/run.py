"""LearnHub's benchmark runner: one command, every figure of docs/performance.md.

    .venv/bin/python -m benchmarks.run                      # 100,000 on SQLite, 100,000 and 1,000,000 on PostgreSQL
    .venv/bin/python -m benchmarks.run --members 100000 1000000 --databases postgresql --backup
    .venv/bin/python -m benchmarks.run --members 1000 --databases sqlite   # a quick look

For each database and size it builds a fresh database (`learnhub db upgrade`, then
`learnhub bench generate`), times the committee pages against their hand-written SQL, drives
member pages and quiz submission under gunicorn against the trivial route, reads each worker's
peak memory, and times the root dashboard's .xlsx exports and (once per database) a member import
(both skipped above --files-up-to members, and the table says so). It counts the SQL statements of
each member page, optionally times pg_dump and pg_restore (--backup), and prints a table, issue 20's
targets (benchmarks/targets.py) and writes everything as JSON (--out). Progress goes to stderr.
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

from benchmarks import backup_times, files, load, pages
from benchmarks import targets as issue_targets
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
    from learnhub.orgs.models import Unit, UnitAssignment, UnitKind
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
        db.session.flush()
        secretary = db.session.scalar(sa.select(User.id).where(User.username == SECRETARY))
        db.session.add(UnitAssignment(user_id=secretary, unit_id=members[0].unit_id))  # the cell is theirs
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
                                    "--plans", "4", "--seed", "1", "--format", "json"], env=env, cwd=instance,
                                   text=True, capture_output=True)
        if generated.returncode != 0:
            raise SystemExit(f"bench generate failed: {generated.stderr[-2000:]}")
        result["generate_seconds"] = round(time.perf_counter() - started, 1)
        result["generate"] = json.loads(generated.stdout)  # rows written and each step's seconds
        log(f"   {' / '.join(generated.stderr.strip().splitlines()[-2:])}")

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
        result["member_page_statements"] = pages.member_statements(
            app, username=site["usernames"][0], password=PASSWORD,
            pages={"home": "/", "lesson": f"/courses/{site['course']}/{site['lesson']}",
                   "quiz page": f"/courses/{site['course']}/quiz"})
        log(f"    SQL statements per member page: {result['member_page_statements']}")
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

        result["skipped"] = []
        if members > args.files_up_to:
            result["exports"] = {}
            result["skipped"].append(f".xlsx exports and member import skipped above {args.files_up_to:,} members")
            log(f"   {result['skipped'][-1]}")
        root = site["root"]
        if members <= args.files_up_to:
            log("   exports ...")
            result["exports"] = {
                "baseline (sign in only)": files.export(env, instance, ADMIN, PASSWORD, "/healthz"),
                "dashboard .xlsx": files.export(env, instance, ADMIN, PASSWORD,
                                                f"/plans/{site['plan']}/export.xlsx?unit={root}"),
                "not completed .xlsx": files.export(env, instance, ADMIN, PASSWORD,
                                                    f"/plans/{site['plan']}/missing.xlsx?unit={root}"),
            }
        for name, figure in result["exports"].items():
            log(f"    {name}: {figure['seconds']} s, peak {figure['peak_rss_mb']} MB ({figure['stdout']})")
        if kind == "postgresql" and args.backup:
            log("   backup and restore ...")
            result["backup"] = backup_times.measure(url, workdir, log=log)
        if first and args.import_rows and members <= args.files_up_to:
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
    """The figures as a Markdown table, one row per database and size. The "kept ms" column (the
    dashboard served from its kept copy) appears only when the run measured it."""
    kept = any(_page(r, "dashboard (root, kept)") for r in results)
    head = ("| database | members | root dashboard ms (× SQL, queries) " + ("| kept ms " if kept else "")
            + "| cell dashboard ms (× SQL, queries) "
            "| yearly report ms (× SQL) | home / lesson / quiz page ÷ trivial | submission ÷ trivial "
            "| p95 submit ms | errors | worker peak RSS MB | not completed .xlsx s / MB |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    notes = []
    for r in results:
        p = {f["page"]: f for f in r["pages"]}
        t = {f["target"]: f for f in r["load"]["targets"]}
        cell = lambda f: f"{f['page_ms']:.0f} (×{f['ratio']:.2f}, {f['queries']})"  # noqa: E731
        errors = sum(f["errors"] for f in r["load"]["targets"]) + r["load"]["server_tracebacks"]
        export = r["exports"].get("not completed .xlsx")
        exported = f"{export['seconds']} / {export['peak_rss_mb']:.0f}" if export else "skipped"
        kept_cell = f"| {p['dashboard (root, kept)']['page_ms']:.0f} " if "dashboard (root, kept)" in p else "| – "
        lines.append(
            f"| {r['database']} | {r['members']:,} | {cell(p['dashboard (root)'])} " + (kept_cell if kept else "")
            + f"| {cell(p['dashboard (cell)'])} "
            f"| {p['yearly report (root)']['page_ms']:.0f} (×{p['yearly report (root)']['ratio']:.2f}) "
            f"| {t['home']['ratio_to_trivial']:.2f} / {t['lesson']['ratio_to_trivial']:.2f} / "
            f"{t['quiz page']['ratio_to_trivial']:.2f} | {t['quiz submission']['ratio_to_trivial']:.2f} "
            f"| {t['quiz submission']['p95_ms']:.0f} | {errors} | {max(r['load']['worker_peak_rss_mb'] or [0]):.0f} "
            f"| {exported} |")
        notes += [f"{r['database']}, {r['members']:,}: {note}" for note in r.get("skipped", [])]
    return "\n".join(lines + ([""] + [f"- {note}" for note in notes] if notes else []))


def backups(results: list[dict[str, Any]]) -> str:
    """pg_dump and pg_restore of each PostgreSQL database measured with --backup."""
    runs = [r for r in results if r.get("backup")]
    if not runs:
        return ""
    lines = ["| database | members | database MB | pg_dump -Fc s | dump MB | pg_restore -j s | restored MB |",
             "|---|---|---|---|---|---|---|"]
    for r in runs:
        b = r["backup"]
        lines.append(f"| {r['database']} | {r['members']:,} | {b['database_mb']:,} | {b['dump_seconds']} "
                     f"| {b['dump_mb']:,} | {b['restore_seconds']} (-j {b['restore_jobs']}) | {b['restored_mb']:,} |")
    return "\n".join(lines)


def _page(run: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((p for p in run["pages"] if p["page"] == name), None)


DEFAULT_PLAN = [("sqlite", 100_000), ("postgresql", 100_000), ("postgresql", 1_000_000)]  # issue 20's table


def _listed(values: list[str] | None) -> list[str]:
    """``--members 1000 10000`` and ``--members 1000,10000`` alike."""
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", nargs="+", default=None,
                        help="sizes, e.g. 100000 1000000 (default: 100,000 on both databases and 1,000,000 on "
                             "PostgreSQL, issue 20's table)")
    parser.add_argument("--databases", nargs="+", default=None, help="sqlite and/or postgresql (default: both)")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "LEARNHUB_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--requests", type=int, default=400, help="requests per member page")
    parser.add_argument("--sitters", type=int, default=200, help="members who each submit one attempt")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight at once")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each committee page (median)")
    parser.add_argument("--import-rows", type=int, default=100_000, help="rows of the member import (0: skip)")
    parser.add_argument("--files-up-to", type=int, default=100_000,
                        help="skip the .xlsx exports and the member import above this many members")
    parser.add_argument("--backup", action="store_true",
                        help="also time pg_dump -Fc and pg_restore -j 2 of each PostgreSQL database")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/latest.json"))
    args = parser.parse_args(argv)
    try:
        sizes = [int(n) for n in _listed(args.members)]
    except ValueError:
        parser.error(f"--members: not a list of numbers: {' '.join(args.members)}")
    kinds = _listed(args.databases) or ["sqlite", "postgresql"]
    if not set(kinds) <= {"sqlite", "postgresql"} or args.sitters < args.concurrency:
        parser.error("--databases takes sqlite and/or postgresql; --sitters must be at least --concurrency")
    plan = ([(kind, n) for kind in kinds for n in sizes] if sizes
            else [(kind, n) for kind, n in DEFAULT_PLAN if kind in kinds])
    results = []
    with tempfile.TemporaryDirectory(prefix="learnhub-bench-") as tmp:
        for index, (kind, members) in enumerate(plan):
            first = all(k != kind for k, _ in plan[:index])
            results.append(one_run(kind, members, args, Path(tmp), first=first))
    report = {"machine": machine(), "arguments": {k: str(v) for k, v in vars(args).items()}, "results": results}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    if backups(results):
        print("\n" + backups(results))
    print("\n## Targets\n\n" + issue_targets.table(results))
    log(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
