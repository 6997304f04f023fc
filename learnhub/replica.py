"""Committee reports on a PostgreSQL read replica (docs/replica.md).

``LEARNHUB_REPLICA_DATABASE_URL`` adds a Flask-SQLAlchemy bind named ``replica``. A view decorated
with ``@reads_replica`` (dashboards, the yearly report, the evaluation, their downloads) has its
reads sent there by ``RoutingSession.get_bind``, the "custom vertical partitioning" recipe of
SQLAlchemy's session documentation keyed on a flag in ``g`` instead of the mapped class. Everything
else, and every write, stays on the primary:

* a flush or an INSERT/UPDATE/DELETE during a replica request raises ``ReplicaReadOnly``: a report
  that wrote would write what it read from a copy that may be behind;
* before the view runs, one query on the replica measures how far behind it is (shown on the page
  past ``REPLICA_LAG_WARN_SECONDS``) and doubles as its health check: when it fails, the request
  reads the primary, a warning says why, and the replica is left alone for
  ``REPLICA_RETRY_SECONDS`` so that a dead server costs one connect timeout, not one per request;
* a user who has just written reads the primary until the replica has replayed that write, so a
  plan saved a moment ago is on the dashboard its redirect opens.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from flask import (
    Response,
    current_app,
    g,
    has_app_context,
    has_request_context,
    make_response,
    session,
)
from flask_sqlalchemy.session import Session as FlaskSession

BIND = "replica"
WROTE = "_lh_wrote"  # when the signed-in browser last committed a write (seconds since the epoch)
LAG_HEADER = "X-LearnHub-Replica-Lag"  # seconds, on every response read from the replica
log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

# Run on the replica. An idle primary sends nothing, so the last replayed commit grows old while the
# replica is complete: it is behind only while it has received WAL it has not replayed yet, or when
# it no longer streams at all (no WAL receiver: the primary is out of reach).
LAG_SQL = sa.text(
    "SELECT pg_is_in_recovery() AS standby,"
    " EXISTS (SELECT 1 FROM pg_stat_wal_receiver) AS streaming,"
    " pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() AS replayed_all,"
    " EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float AS since_replayed,"
    " EXTRACT(EPOCH FROM pg_last_xact_replay_timestamp())::float AS replayed_at"
)
_down_until: dict[str, float] = {}  # replica URL -> monotonic time before which it is not tried


class ReplicaReadOnly(RuntimeError):
    """A request that reads the replica tried to write."""


@dataclass(frozen=True)
class ReplicaState:
    """What the replica said at the start of the request."""

    lag: float | None  # seconds behind the primary: 0 when complete, None when not known
    replayed_at: float | None  # the primary's time of the last commit replayed (epoch seconds)

    def behind(self, warn_seconds: float) -> bool:
        """Whether the page should say how far behind the figures are."""
        return self.lag is None or self.lag > warn_seconds

    @property
    def delay(self) -> dt.timedelta | None:
        """The lag as a duration, for the page."""
        return None if self.lag is None else dt.timedelta(seconds=max(1, round(self.lag)))


def replica_binds(config: dict[str, Any]) -> dict[str, Any]:
    """The ``SQLALCHEMY_BINDS`` entry for ``REPLICA_DATABASE_URL`` (none when it is not set): a
    short connect timeout, and connections checked before use (a restarted replica drops them)."""
    url = config.get("REPLICA_DATABASE_URL")
    if not url:
        return {}
    options: dict[str, Any] = {"url": url, "pool_pre_ping": True}
    if sa.make_url(url).get_backend_name() == "postgresql":
        options["connect_args"] = {"connect_timeout": int(config["REPLICA_CONNECT_TIMEOUT"])}
    return {BIND: options}


def reading_replica() -> bool:
    """Whether this request's reads go to the replica."""
    return has_app_context() and bool(g.get("_lh_replica"))


class RoutingSession(FlaskSession):
    """``db.session``: a replica request's reads go to the replica, everything else to the bind
    Flask-SQLAlchemy chooses (the primary)."""

    def get_bind(self, mapper: Any | None = None, clause: Any | None = None,
                 bind: sa.Engine | sa.Connection | None = None, **kwargs: Any) -> sa.Engine | sa.Connection:
        """The replica for a replica request's reads; refuses its writes."""
        if bind is None and reading_replica():
            if self._flushing or isinstance(clause, sa.UpdateBase):
                raise ReplicaReadOnly("a request reading the replica tried to write; it must not be @reads_replica")
            return self._db.engines[BIND]
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def _noted_write(db_session: sa.orm.Session, *_args: Any) -> None:
    db_session.info["wrote"] = True


def _orm_write(state: sa.orm.ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["wrote"] = True


def _commit_started(db_session: sa.orm.Session) -> None:
    db_session.info["commit_started"] = time.time()


def _committed(db_session: sa.orm.Session) -> None:
    """Remember in the browser's session when its last write committed (only with a replica)."""
    started = db_session.info.pop("commit_started", None)
    if db_session.info.pop("wrote", False) and started and has_request_context():
        if BIND in cast(RoutingSession, db_session)._db.engines:
            session[WROTE] = started


def _rolled_back(db_session: sa.orm.Session, *_args: Any) -> None:
    db_session.info.pop("wrote", None)


sa.event.listen(RoutingSession, "after_flush", _noted_write)
sa.event.listen(RoutingSession, "do_orm_execute", _orm_write)
sa.event.listen(RoutingSession, "before_commit", _commit_started)
sa.event.listen(RoutingSession, "after_commit", _committed)
sa.event.listen(RoutingSession, "after_rollback", _rolled_back)


def _measure(engine: sa.Engine) -> ReplicaState | None:
    """The replica's lag, or None (logged, and not tried again for a while) when it cannot answer."""
    key = engine.url.render_as_string(hide_password=True)
    if time.monotonic() < _down_until.get(key, 0.0):
        return None
    try:
        with engine.connect() as connection:
            if engine.dialect.name != "postgresql":
                connection.execute(sa.text("SELECT 1"))
                return ReplicaState(lag=0.0, replayed_at=None)
            row = connection.execute(LAG_SQL).one()
    except sa.exc.DBAPIError as error:
        retry = float(current_app.config["REPLICA_RETRY_SECONDS"])
        _down_until[key] = time.monotonic() + retry
        reason = str(error.orig or error).strip().splitlines()[0]
        log.warning("Read replica %s unreachable, reading reports from the primary for %gs: %s", key, retry, reason)
        return None
    if key in _down_until:
        del _down_until[key]
        log.warning("Read replica %s answers again: reports read from it", key)
    if not row.standby or (row.streaming and row.replayed_all):
        return ReplicaState(lag=0.0, replayed_at=row.replayed_at)
    return ReplicaState(lag=row.since_replayed, replayed_at=row.replayed_at)


def forget_failures() -> None:
    """Try every replica again at the next request (tests)."""
    _down_until.clear()


def _replica_for_request() -> ReplicaState | None:
    """The replica's state when this request (or command) should read it, else None."""
    from learnhub.extensions import db

    engine = db.engines.get(BIND)
    if engine is None:
        return None
    state = _measure(engine)
    wrote = session.get(WROTE) if has_request_context() else None
    if state is not None and isinstance(wrote, int | float):
        # The user's own write is not on the replica yet: read it where it is, for a while.
        missing = state.replayed_at is None or state.replayed_at < wrote
        if missing and time.time() - wrote < float(current_app.config["REPLICA_LAG_WARN_SECONDS"]):
            return None
    return state


def on_replica(read: Callable[[], T]) -> tuple[T, ReplicaState | None]:
    """``read()`` with its queries sent to the replica when there is one and it answers, else to the
    primary; with the replica's state (None: read from the primary). ``read`` must only read: when
    the replica stops answering halfway, it is run again on the primary. For views, ``@reads_replica``;
    the report commands call it directly."""
    state = _replica_for_request()
    if state is None:
        return read(), None
    g._lh_replica, g.replica = True, state
    try:
        return read(), state
    except sa.exc.OperationalError:
        if not _replica_died():
            raise
        return read(), None  # read-only, so running it again on the primary is safe
    finally:
        g._lh_replica = False


def reads_replica(view: F) -> F:
    """Serve a report view's reads from the replica when there is one and it answers.

    Put it below the access decorators: the signed-in user is loaded from the primary first."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        response, state = on_replica(lambda: make_response(view(*args, **kwargs)))
        return response if state is None else _with_lag(response, state)

    return cast(F, wrapped)


def _replica_died() -> bool:
    """After an error in a replica request: whether the replica stopped answering (then the
    request is run again on the primary) rather than the query being at fault."""
    from learnhub.extensions import db

    g._lh_replica, g.replica = False, None
    db.session.rollback()
    return _measure(db.engines[BIND]) is None


def _with_lag(response: Response, state: ReplicaState) -> Response:
    response.headers[LAG_HEADER] = "unknown" if state.lag is None else f"{state.lag:.3f}"
    return response


def say_if_behind(state: ReplicaState | None) -> None:
    """For a report command: one line on stderr when its figures came from a replica that is
    further behind than the setting."""
    if state is not None and state.behind(float(current_app.config["REPLICA_LAG_WARN_SECONDS"])):
        behind = "an unknown time" if state.lag is None else f"{state.lag:.0f} s"
        print(f"read from the replica, {behind} behind the primary", file=sys.stderr)


def replica_delay() -> ReplicaState | None:
    """For the page: the replica's state when this page was read from a replica that is too far behind."""
    state: ReplicaState | None = g.get("replica")
    if state is None or not state.behind(float(current_app.config["REPLICA_LAG_WARN_SECONDS"])):
        return None
    return state


def init_replica(app: Any) -> None:
    """Give templates ``replica_delay()`` (base.html says how far behind a replica page is).

    Flask-SQLAlchemy makes an empty MetaData for every bind key; the replica holds no tables of its
    own, and ``db.create_all()`` must never reach for it (nor, in tests, for another app's replica)."""
    from learnhub.extensions import db

    db.metadatas.pop(BIND, None)
    app.context_processor(lambda: {"replica_delay": replica_delay})
