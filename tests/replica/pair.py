"""A PostgreSQL primary and its streaming replica on loopback, made for the tests in a temporary folder.

``initdb`` makes the primary (its default pg_hba.conf lets 127.0.0.1 replicate, with trust), and
``pg_basebackup -R`` copies it into a replica that follows it; both listen on free ports of
127.0.0.1 only and are stopped and removed at the end. Under root the servers run as the
``postgres`` system user (PostgreSQL refuses to run as root)."""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

SETTINGS = """
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
port = {port}
fsync = off
full_page_writes = off
max_connections = 40
shared_buffers = 32MB
wal_receiver_status_interval = 1s
wal_retrieve_retry_interval = 200ms
max_standby_streaming_delay = 5s
"""
# The replica keeps its WAL on the primary through a slot: a replica stopped by a test can never
# find the WAL it needs gone when it starts again.
SLOT = "learnhub_test_replica"


def postgres_bindir() -> Path | None:
    """Where initdb, pg_ctl and pg_basebackup are (LEARNHUB_PG_BINDIR, Debian's newest, or PATH)."""
    if os.environ.get("LEARNHUB_PG_BINDIR"):
        chosen = Path(os.environ["LEARNHUB_PG_BINDIR"])
        return chosen if (chosen / "initdb").exists() else None
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if debian:
        return Path(debian[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _memory_folder() -> str | None:
    """/dev/shm when it has room (the clusters then never touch a busy disk: making and removing
    them on disk took 10 to 16 s on a loaded machine), else the usual temporary folder."""
    try:
        free = shutil.disk_usage("/dev/shm").free
    except OSError:
        return None
    return "/dev/shm" if free > 1 << 30 else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Pair:
    """The two servers: URLs of the ``learnhub`` database on each, and control of the replica."""

    bindir: Path
    folder: Path
    primary_port: int
    replica_port: int

    def url(self, port: int, database: str = "learnhub") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def replica_url(self) -> str:
        return self.url(self.replica_port)

    def run(self, *command: str) -> None:
        """Run a PostgreSQL program as the user that owns the clusters."""
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, str(self.bindir / command[0]), *command[1:]], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.folder)

    def pg_ctl(self, name: str, action: str) -> None:
        """Start or stop (fast) one of the servers, waiting until it is done."""
        extra = ["-m", "fast"] if action == "stop" else ["-l", str(self.folder / f"{name}.log")]
        self.run("pg_ctl", "-D", str(self.folder / name), "-w", "-t", "60", *extra, action)

    def stop_replica(self) -> None:
        self.pg_ctl("replica", "stop")

    def start_replica(self) -> None:
        self.pg_ctl("replica", "start")

    def rows(self, port: int, statement: str) -> list[dict[str, object]]:
        """One statement on a server's ``learnhub`` database, outside any transaction; its rows."""
        engine = sa.create_engine(self.url(port), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with engine.connect() as connection:
            result = connection.execute(sa.text(statement))
            return [dict(row._mapping) for row in result] if result.returns_rows else []

    def sql(self, port: int, statement: str) -> object:
        """One statement's first value (None when it returns no row)."""
        found = self.rows(port, statement)
        return next(iter(found[0].values())) if found else None

    def wait_for_replica(self, *, replayed: bool = True, timeout: float = 90.0) -> None:
        """Wait until the replica has received (and, if ``replayed``, replayed) all the primary wrote.

        The wait is long because it costs nothing when all is well (a few milliseconds) and a
        loaded CI machine once needed more than 20 s after the replica was restarted; a timeout
        says what both servers reported, so that the next failure can be read, not guessed."""
        lsn = self.sql(self.primary_port, "SELECT pg_current_wal_lsn()")
        function = "pg_last_wal_replay_lsn" if replayed else "pg_last_wal_receive_lsn"
        deadline = time.monotonic() + timeout
        while not self.sql(self.replica_port, f"SELECT coalesce({function}() >= '{lsn}'::pg_lsn, false)"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica has not reached {lsn} within {timeout} s\n{self.state()}")
            time.sleep(0.02)

    def state(self) -> str:
        """What the primary says of its senders and the replica of its receiver, and the end of both logs."""
        def shown(port: int, statement: str) -> str:
            try:
                return repr(self.rows(port, statement))
            except sa.exc.SQLAlchemyError as error:
                return f"({error.__class__.__name__}: {error})"

        return "\n".join([
            "primary's senders: " + shown(self.primary_port, "SELECT state, sent_lsn, replay_lsn FROM pg_stat_replication"),
            "replica's receiver: " + shown(self.replica_port, "SELECT status, written_lsn, flushed_lsn FROM pg_stat_wal_receiver"),
            "replica's backends: " + shown(self.replica_port, "SELECT backend_type, state, wait_event_type, wait_event"
                                          " FROM pg_stat_activity"),
            "replica's log:", self.log_tail("replica"), "primary's log:", self.log_tail("primary"),
        ])

    def log_tail(self, name: str, lines: int = 30) -> str:
        """The last lines a server logged (what a failed wait shows)."""
        try:
            return "\n".join((self.folder / f"{name}.log").read_text(errors="replace").splitlines()[-lines:])
        except OSError as error:
            return f"(no log: {error})"


def start_pair() -> Pair:
    """Make, start and return a primary with its replica (``stop_pair`` removes them)."""
    bindir = postgres_bindir()
    assert bindir is not None
    folder = Path(tempfile.mkdtemp(prefix="learnhub-replica-", dir=_memory_folder()))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    pair = Pair(bindir, folder, _free_port(), _free_port())
    try:
        pair.run("initdb", "-D", str(folder / "primary"), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync")
        with open(folder / "primary" / "postgresql.conf", "a") as conf:
            conf.write(SETTINGS.format(port=pair.primary_port))
        pair.pg_ctl("primary", "start")
        engine = sa.create_engine(pair.url(pair.primary_port, "postgres"), isolation_level="AUTOCOMMIT",
                                  poolclass=sa.pool.NullPool)
        with engine.connect() as connection:
            connection.execute(sa.text("CREATE DATABASE learnhub"))
        pair.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(pair.primary_port), "-U", "postgres",
                 "-D", str(folder / "replica"), "-R", "-C", "-S", SLOT, "-X", "stream", "--checkpoint=fast", "--no-sync")
        with open(folder / "replica" / "postgresql.conf", "a") as conf:
            conf.write(f"port = {pair.replica_port}\n")
        pair.start_replica()
    except BaseException:
        stop_pair(pair)
        raise
    return pair


def stop_pair(pair: Pair) -> None:
    """Stop both servers (if running) and remove their folder."""
    for name in ("replica", "primary"):
        if (pair.folder / name / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                pair.run("pg_ctl", "-D", str(pair.folder / name), "-w", "-m", "fast", "stop")
    shutil.rmtree(pair.folder, ignore_errors=True)
