"""The real server for the load tests: a fresh database migrated by ``learnhub db upgrade``, data
prepared through the app's own functions, and gunicorn with several workers on loopback."""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

BIN = Path(sys.executable).parent
HOOKS = Path(__file__).with_name("gunicorn_hooks.py")
PASSWORD = "mat-khau-tai-thu"
COURSE = "nghi-quyet-tai-thu"
LESSON = "bai-1"


@contextlib.contextmanager
def fresh_database(tmp_path: Path, base: str | None = None, name: str = "load") -> Iterator[str]:
    """A new, empty database: a SQLite file in ``tmp_path``, removed afterwards, or, on the
    PostgreSQL server of ``base`` (default LEARNHUB_TEST_DATABASE_URL), a database with a unique
    name, dropped afterwards."""
    base = os.environ.get("LEARNHUB_TEST_DATABASE_URL") if base is None else base
    if not base:
        path = tmp_path / f"{name}.sqlite"
        try:
            yield f"sqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    url = sa.make_url(base)
    database = f"learnhub_{name}_{secrets.token_hex(4)}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    try:
        yield url.set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def server_environment(database_url: str, instance: Path) -> dict[str, str]:
    """The production settings a deployment gives (sign-in throttling stays on: it counts failures,
    and an office of members behind one address must all be able to sign in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEARNHUB_")}
    env.update(
        LEARNHUB_DATABASE_URL=database_url,
        LEARNHUB_INSTANCE_PATH=str(instance),
        LEARNHUB_SECRET_KEY=secrets.token_hex(32),
        PYTHONUNBUFFERED="1",
    )
    return env


def migrate(database_url: str, instance: Path) -> None:
    """Create the tables as an administrator does: ``learnhub db upgrade``."""
    result = subprocess.run(
        [str(BIN / "learnhub"), "db", "upgrade"], env=server_environment(database_url, instance),
        cwd=instance, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]


@dataclass(frozen=True)
class Seeded:
    usernames: list[str]
    course_slug: str
    lesson_slug: str


def seed(database_url: str, instance: Path, members: int, prefix: str = "hv") -> Seeded:
    """A town with six cells, ``members`` members sharing one password, and a published module
    whose quiz has one question of each kind (tests/quiz_factory.py)."""
    from werkzeug.security import generate_password_hash

    from learnhub import create_app
    from learnhub.auth.services import create_user
    from learnhub.courses.importer import import_course
    from learnhub.courses.models import Course
    from learnhub.extensions import db
    from learnhub.orgs.models import UnitKind
    from learnhub.orgs.services import create_unit
    from learnhub.quizzes.bank import Bank, QuizSettings
    from learnhub.quizzes.sync import sync_quiz
    from tests.conftest import course_source
    from tests.quiz_factory import sample_questions

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "seed-only"})
    # A cheap hash: the test loads the database and the workers, not the password hashing
    # (scrypt, ~0.2 s of CPU per sign-in here, would be most of the run on two cores).
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    usernames = [f"{prefix}{n:03d}" for n in range(1, members + 1)]
    with app.app_context():
        root = create_unit(name="Đảng bộ Thị trấn", kind=UnitKind.committee, parent=None)
        cells = [create_unit(name=f"Chi bộ Khu phố {n}", kind=UnitKind.cell, parent=root) for n in range(1, 7)]
        for n, username in enumerate(usernames):
            create_user(username=username, full_name=f"Học viên {n + 1}", unit=cells[n % len(cells)],
                        password_hash=password_hash)
        import_course(course_source(COURSE, lessons=2))
        db.session.flush()
        course = db.session.scalars(sa.select(Course).where(Course.slug == COURSE)).one()
        sync_quiz(course, Bank(QuizSettings(pass_score=80, shuffle=True), sample_questions(6)))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return Seeded(usernames, COURSE, LESSON)


class Server:
    """gunicorn's master process, its log, and what each worker is serving."""

    def __init__(self, process: subprocess.Popen, log_path: Path, state_dir: Path) -> None:
        self.process = process
        self.log_path = log_path
        self.state_dir = state_dir
        self.url = ""

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def worker_pids(self) -> list[int]:
        """The master's live children, from /proc."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the live workers (a figure that does not depend on the clock)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def serving(self, pid: int) -> str:
        """What worker ``pid`` is doing now ("POST /attempts/7/submit"), "" when idle."""
        try:
            return Path(self.state_dir, str(pid)).read_text(encoding="utf-8")
        except OSError:
            return ""

    def kill_worker(self, pid: int) -> None:
        os.kill(pid, signal.SIGKILL)
        Path(self.state_dir, str(pid)).unlink(missing_ok=True)

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/login", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    def wait_for_workers(self, count: int, timeout: float = 30, serving: bool = False) -> None:
        """Until the master has ``count`` workers (each having served a request, with ``serving``)."""
        deadline = time.monotonic() + timeout
        while True:
            pids = self.worker_pids()
            if len(pids) >= count and (not serving or all(Path(self.state_dir, str(p)).exists() for p in pids)):
                return
            assert time.monotonic() < deadline, f"gunicorn has {len(pids)} workers, not {count}"
            time.sleep(0.05)


@contextlib.contextmanager
def gunicorn(database_url: str, instance: Path, *, workers: int = 3, threads: int = 1,
             cpus: str | None = None) -> Iterator[Server]:
    """gunicorn on 127.0.0.1 at a free port (port 0: the log tells which one it got), pinned to
    ``cpus`` (taskset's list, e.g. "1") when given."""
    log_path = instance / "gunicorn.log"
    state_dir = instance / "workers"
    state_dir.mkdir(exist_ok=True)
    env = server_environment(database_url, instance)
    env["LOAD_STATE_DIR"] = str(state_dir)
    command = (["taskset", "-c", cpus] if cpus else []) + [
        str(BIN / "gunicorn"), "--config", str(HOOKS), "--bind", "127.0.0.1:0",
        "--workers", str(workers), "--threads", str(threads), "--backlog", "2048",
        "--timeout", "60", "--graceful-timeout", "5", "--error-logfile", "-",
        "learnhub:create_app()",
    ]
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(command, env=env, cwd=instance, stdout=log, stderr=subprocess.STDOUT)
    server = Server(process, log_path, state_dir)
    try:
        deadline = time.monotonic() + 60
        while not server.url:
            assert process.poll() is None, f"gunicorn exited:\n{server.log()[-3000:]}"
            assert time.monotonic() < deadline, f"gunicorn did not start:\n{server.log()[-3000:]}"
            match = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", server.log())
            if match:
                server.url = match.group(1)
            else:
                time.sleep(0.1)
        while not server.answers():
            assert process.poll() is None, f"gunicorn exited:\n{server.log()[-3000:]}"
            assert time.monotonic() < deadline, f"gunicorn does not answer:\n{server.log()[-3000:]}"
            time.sleep(0.2)
        server.wait_for_workers(workers)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
