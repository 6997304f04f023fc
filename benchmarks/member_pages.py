"""A member's pages measured in this process: CPU per request and SQL statements per page.

    .venv/bin/python -m benchmarks.member_pages                        # SQLite, 10,000 members (kept in /tmp)
    .venv/bin/python -m benchmarks.member_pages --database-url postgresql+psycopg://postgres@127.0.0.1/bench_mp
    .venv/bin/python -m benchmarks.member_pages --profile home          # where one page's time goes (cProfile)
    LEARNHUB_PROFILE_OUT=/tmp/home.prof .venv/bin/python -m benchmarks.member_pages --profile home  # and keep it

The database is built once (`learnhub db upgrade`, then `learnhub bench generate --members N --plans 4`)
and reused by later runs. The app runs with the production settings (CSRF on, no TESTING); only
sign-in throttling is off, since every member here signs in from one address. Signed-in members take
turns; after a warm-up, each page is requested ``--requests`` times and the process's CPU time
(`time.process_time`) is divided by the requests: the workers' share of a request without the HTTP
server. Statements are counted on one request per page (SQLAlchemy's ``before_cursor_execute``).
A submission is measured over ``--submissions`` members who each started the quiz and filled it in
beforehand (untimed). The table goes to standard output, progress to standard error.
"""
from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from tests.load.client import choose_answers, form_fields, read_quiz
from tests.load.server import BIN, migrate, server_environment

PASSWORD = "mat-khau-trang-thanh-vien"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PAGES = ("trivial route", "home", "lesson", "quiz page")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_database(url: str, members: int, instance: Path) -> None:
    """Migrate and generate ``members`` members unless the database already holds a generated town."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            generated = sa.inspect(connection).has_table("study_plan") and connection.scalar(
                sa.text("SELECT count(*) FROM study_plan"))
    finally:
        engine.dispose()
    if generated:
        log("reusing the generated database (upgraded to the latest migration)")
        migrate(url, instance)
        return
    log(f"generating {members:,} members ...")
    migrate(url, instance)
    done = subprocess.run([str(BIN / "learnhub"), "bench", "generate", "--members", str(members), "--plans", "4",
                           "--seed", "1"], env=server_environment(url, instance), cwd=instance, text=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode != 0:
        raise SystemExit(f"bench generate failed: {done.stderr[-2000:]}")


def site(app, count: int) -> dict[str, Any]:
    """The first open plan's first module and lesson, and ``count`` party members who can sign in
    with PASSWORD (a cheap hash: this measures pages, not password hashing)."""
    from werkzeug.security import generate_password_hash

    from learnhub.auth.models import Category, Role, User
    from learnhub.courses.models import Lesson
    from learnhub.extensions import db
    from learnhub.plans.models import PlanStatus, StudyPlan
    from learnhub.plans.modules import plan_courses

    with app.app_context():
        plan = db.session.scalars(sa.select(StudyPlan).where(StudyPlan.status == PlanStatus.open)
                                  .order_by(StudyPlan.id)).first()
        course = plan_courses(plan)[0]
        lesson = db.session.scalars(sa.select(Lesson).where(Lesson.course_id == course.id)
                                    .order_by(Lesson.position)).first()
        members = list(db.session.scalars(
            sa.select(User.username).where(User.role == Role.member, User.category == Category.party_member)
            .order_by(User.id).limit(count)))
        db.session.execute(sa.update(User).where(User.username.in_(members)).values(
            password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"), must_change_password=False))
        db.session.commit()
        return {"course": course.slug, "lesson": lesson.slug, "usernames": members}


def signed_in(app, username: str):
    client = app.test_client()
    client.set_cookie("lh_lang", "vi")
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, f"{username} could not sign in ({response.status_code})"
    return client


class Statements:
    """Counts the statements the engine sends (``count``), and keeps them when ``keep`` is set."""

    def __init__(self, engine: sa.Engine) -> None:
        self.count = 0
        self.kept: list[str] | None = None
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, *_args: Any) -> None:
        self.count += 1
        if self.kept is not None:
            self.kept.append(statement)


def cpu_ms(action: Callable[[int], Any], requests: int) -> float:
    """CPU milliseconds of this process per call of ``action(n)``, over ``requests`` calls."""
    started = time.process_time()
    for n in range(requests):
        action(n)
    return (time.process_time() - started) * 1000 / requests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.member_pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="default: a SQLite file kept in the temp folder")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per page (after the warm-up)")
    parser.add_argument("--sitters", type=int, default=20, help="members taking turns on the pages")
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--profile", choices=[*PAGES, "quiz submission"], help="print cProfile of that page")
    parser.add_argument("--statements", action="store_true", help="print each page's statements")
    args = parser.parse_args(argv)

    url = args.database_url or f"sqlite:///{Path(tempfile.gettempdir()) / f'learnhub-member-pages-{args.members}.sqlite'}"
    instance = Path(tempfile.mkdtemp(prefix="learnhub-member-pages-"))
    ensure_database(url, args.members, instance)
    os.environ["LEARNHUB_INSTANCE_PATH"] = str(instance)
    from learnhub import create_app
    from learnhub.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark-member-pages",
                      "SIGN_IN_THROTTLING": False})
    logging.getLogger("learnhub.security").setLevel(logging.WARNING)  # a line per sign-in is not measured
    where = site(app, args.sitters + args.submissions * 3)
    usernames = where["usernames"]
    clients = [signed_in(app, u) for u in usernames[:args.sitters]]
    paths = {"trivial route": "/healthz", "home": "/",
             "lesson": f"/courses/{where['course']}/{where['lesson']}", "quiz page": f"/courses/{where['course']}/quiz"}
    with app.app_context():
        statements = Statements(db.engine)
    rows = []
    for page in PAGES:
        path = paths[page]

        def get(n: int, path: str = path) -> None:
            response = clients[n % len(clients)].get(path)
            assert response.status_code == 200, f"{path}: {response.status_code}"

        for n in range(max(50, len(clients))):
            get(n)
        statements.count, statements.kept = 0, []
        get(0)
        count, kept = statements.count, statements.kept
        statements.kept = None
        if args.profile == page:
            profile(lambda: [get(n) for n in range(args.requests)])
        rows.append((page, count, cpu_ms(get, args.requests), kept))
        log(f"  {page}: {count} statements, {rows[-1][2]:.2f} ms CPU")

    # Submissions: members start the quiz and fill it in (untimed), then each submits once (timed).
    rng = random.Random(7)
    papers = []
    for username in usernames[args.sitters:]:
        if len(papers) == args.submissions:
            break
        client = signed_in(app, username)
        page = client.get(paths["quiz page"]).get_data(as_text=True)
        started = client.post(f"{paths['quiz page']}/start", data={"csrf_token": CSRF.search(page).group(1)})
        if "/attempts/" not in started.location:
            continue  # no attempts left (an earlier run used them)
        attempt = client.get(started.location).get_data(as_text=True)
        form = read_quiz(attempt)
        papers.append((client, form.action, form_fields(choose_answers(form, rng), CSRF.search(attempt).group(1))))
    if len(papers) < 2:
        raise SystemExit("too few members with an attempt left: use a fresh database or more --members")

    def submit(n: int) -> None:
        client, action, fields = papers[n]
        response = client.post(action, data=MultiDict(fields))
        assert response.status_code == 302 and "/review" in response.location, f"submit: {response.status_code}"

    statements.count, statements.kept = 0, []
    submit(0)
    count, kept = statements.count, statements.kept
    statements.kept = None
    if args.profile == "quiz submission":
        profile(lambda: [submit(n) for n in range(1, len(papers))])
        rows.append(("quiz submission", count, float("nan"), kept))
    else:
        rows.append(("quiz submission", count, cpu_ms(lambda n: submit(n + 1), len(papers) - 1), kept))
    log(f"  quiz submission: {count} statements, {rows[-1][2]:.2f} ms CPU")

    with app.app_context():
        dialect = db.engine.dialect.name
    print(f"{dialect}, {args.members:,} members, {args.requests} requests per page, "
          f"{len(papers) - 1} submissions, Python {sys.version.split()[0]}\n")
    print("| page | SQL statements | CPU ms/request | ÷ trivial |\n|---|---:|---:|---:|")
    trivial = rows[0][2]
    for page, count, ms, _kept in rows:
        print(f"| {page} | {count} | {ms:.2f} | {ms / trivial:.1f} |")
    if args.statements:
        for page, _count, _ms, kept in rows:
            print(f"\n## {page}\n" + "\n".join(f"- {' '.join(s.split())[:300]}" for s in kept or []))
    return 0


def profile(action: Callable[[], Any]) -> None:
    """cProfile of ``action`` on stderr: the most expensive functions, with and without what they call."""
    profiler = cProfile.Profile()
    profiler.runcall(action)
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    if os.environ.get("LEARNHUB_PROFILE_OUT"):
        stats.dump_stats(os.environ["LEARNHUB_PROFILE_OUT"])


if __name__ == "__main__":
    raise SystemExit(main())
