"""Reports read from a real streaming replica: what it has replayed, how far behind it says it is,
that it never writes, and that the pages go on from the primary when it stops."""
from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.api.models import TokenScope
from learnhub.api.tokens import create_token
from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.replica import LAG_HEADER, ReplicaReadOnly, reads_replica
from tests.conftest import login, post
from tests.replica.pair import Pair

# One worker runs these, so that one pair serves them all (tests/replica/conftest.py).
pytestmark = pytest.mark.xdist_group("replica")
BANNER = "data-replica-lag"


def rename(app: Flask, unit: Unit, name: str) -> None:
    """Change a unit's name on the primary (as another committee's edit would)."""
    with app.app_context():
        db.session.execute(sa.update(Unit).where(Unit.id == unit.id).values(name=name))
        db.session.commit()


def year_page(client, unit: Unit) -> tuple[str, float | None]:
    """The yearly report page and the replica's lag it was read with (None: read from the primary)."""
    response = client.get(f"/reports/year?unit={unit.id}&year=2026")
    assert response.status_code == 200
    lag = response.headers.get(LAG_HEADER)
    return response.get_data(as_text=True), None if lag is None else float(lag)


@pytest.fixture
def signed_in(app: Flask, pair: Pair, town):
    client = app.test_client()
    login(client, "capuy")
    pair.wait_for_replica()
    return client


@pytest.fixture
def paused(pair: Pair) -> Iterator[None]:
    """The replica receives WAL but does not replay it, until the test ends."""
    pair.sql(pair.replica_port, "SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        pair.sql(pair.replica_port, "SELECT pg_wal_replay_resume()")
        pair.wait_for_replica()


def test_report_shows_what_the_replica_replayed_and_says_when_it_is_behind(app, pair, town, signed_in, paused):
    app.config["REPLICA_LAG_WARN_SECONDS"] = 0  # any lag at all is shown
    try:
        html, lag = year_page(signed_in, town["root"])
        assert "Đảng bộ Thị trấn" in html and lag == 0 and BANNER not in html  # complete: no banner

        rename(app, town["root"], "Đảng bộ Thị trấn Mới")
        pair.wait_for_replica(replayed=False)  # received, not replayed
        html, lag = year_page(signed_in, town["root"])
        assert "Đảng bộ Thị trấn Mới" not in html  # read from the replica, not the primary
        assert BANNER in html and "bản sao cơ sở dữ liệu" in html
        assert lag is not None and lag > 0

        pair.sql(pair.replica_port, "SELECT pg_wal_replay_resume()")
        pair.wait_for_replica()
        html, lag = year_page(signed_in, town["root"])
        assert "Đảng bộ Thị trấn Mới" in html and lag == 0 and BANNER not in html
    finally:
        app.config["REPLICA_LAG_WARN_SECONDS"] = 60


def test_a_lag_under_the_setting_is_not_shown(app, pair, town, signed_in, paused):
    rename(app, town["root"], "Đảng bộ Thị trấn Mới")
    pair.wait_for_replica(replayed=False)
    html, lag = year_page(signed_in, town["root"])
    assert "Đảng bộ Thị trấn Mới" not in html and lag is not None and lag > 0
    assert BANNER not in html  # behind by a second or two: under 60 s, said only in the header


def test_the_users_own_write_is_read_from_the_primary_until_the_replica_has_it(app, pair, town, signed_in, paused):
    """A committee member who has just renamed a unit sees the new name on the next report page."""
    response = post(signed_in, f"/units/{town['root'].id}/rename", {"name": "Đảng bộ Thị trấn Mới"})
    assert response.status_code == 302
    html, lag = year_page(signed_in, town["root"])
    assert "Đảng bộ Thị trấn Mới" in html and lag is None  # from the primary: the replica lacks it

    pair.sql(pair.replica_port, "SELECT pg_wal_replay_resume()")
    pair.wait_for_replica()
    html, lag = year_page(signed_in, town["root"])
    assert "Đảng bộ Thị trấn Mới" in html and lag == 0  # the replica has it now: read from there


def test_a_replica_request_cannot_write(app, pair, town):
    @reads_replica
    def report_that_writes(statement: bool) -> None:
        assert db.session.get(Unit, town["root"].id) is not None  # reading is fine
        if statement:
            db.session.execute(sa.update(Unit).values(name="x"))
        else:
            db.session.add(Unit(name="Chi bộ mới", parent_id=town["root"].id))
            db.session.flush()

    pair.wait_for_replica()
    for statement in (False, True):
        with app.test_request_context("/"):
            with pytest.raises(ReplicaReadOnly):
                report_that_writes(statement)
            db.session.rollback()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) == 3  # nothing written
        assert db.session.scalar(sa.select(Unit.name).where(Unit.id == town["root"].id)) == "Đảng bộ Thị trấn"


def test_a_stopped_replica_leaves_the_pages_to_the_primary(app, pair, town, signed_in, caplog):
    pair.stop_replica()
    try:
        rename(app, town["root"], "Đảng bộ Thị trấn Mới")
        with caplog.at_level(logging.WARNING, logger="learnhub.replica"):
            html, lag = year_page(signed_in, town["root"])
            assert "Đảng bộ Thị trấn Mới" in html and lag is None  # from the primary
            assert signed_in.get(f"/reports/year.json?unit={town['root'].id}&year=2026").status_code == 200
        warnings = [r.getMessage() for r in caplog.records if r.name == "learnhub.replica"]
        assert len(warnings) == 1, warnings  # the second request did not try it again
        assert "unreachable, reading reports from the primary" in warnings[0]
        assert str(pair.replica_port) in warnings[0]
    finally:
        pair.start_replica()
        pair.wait_for_replica()


@pytest.fixture
def token(app: Flask, town) -> str:
    with app.app_context():
        _token, secret = create_token(db.session.get(User, town["capuy"].id), name="Hệ thống", scope=TokenScope.read)
        db.session.commit()
    return secret


def test_the_api_and_the_report_commands_read_the_replica(app, pair, town, token, paused):
    """The API's completion and yearly figures and `learnhub report` read the replica too: behind
    it, they say so (the API in its header, a command in one line on stderr)."""
    secret = token
    rename(app, town["root"], "Đảng bộ Thị trấn Mới")
    pair.wait_for_replica(replayed=False)
    response = app.test_client().get(f"/api/v1/reports/yearly?unit_id={town['root'].id}&year=2026",
                                     headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert float(response.headers[LAG_HEADER]) > 0
    app.config["REPLICA_LAG_WARN_SECONDS"] = 0
    try:
        result = app.test_cli_runner().invoke(args=["report", "year", "--unit", "Đảng bộ Thị trấn Mới",
                                                    "--year", "2026", "--format", "json"])
        assert result.exit_code == 0, result.output
        assert "read from the replica" in result.stderr and "behind the primary" in result.stderr
        assert json.loads(result.stdout)["year"] == 2026
    finally:
        app.config["REPLICA_LAG_WARN_SECONDS"] = 60
    pair.stop_replica()
    try:  # the replica down: the command reads the primary and says nothing of a replica
        result = app.test_cli_runner().invoke(args=["report", "year", "--unit", "Đảng bộ Thị trấn Mới",
                                                    "--year", "2026", "--format", "json"])
        assert result.exit_code == 0 and "read from the replica" not in result.stderr
    finally:
        pair.start_replica()
