"""The read replica's settings, and what a report does when the replica cannot be reached
(the tests against a real streaming replica are in tests/replica/)."""
from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from learnhub import create_app
from learnhub.config import DEFAULTS
from learnhub.extensions import db
from learnhub.replica import BIND, LAG_HEADER, forget_failures
from tests.conftest import login

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
TABLE = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]


def test_the_readme_lists_every_replica_setting() -> None:
    keys = [key for key in DEFAULTS if key.startswith("REPLICA_")]
    assert len(keys) == 4
    assert [key for key in keys if f"`LEARNHUB_{key}`" not in TABLE] == []


def test_without_a_replica_there_is_no_second_engine(app: Flask) -> None:
    with app.app_context():
        assert BIND not in db.engines


@pytest.fixture
def dead_replica_app(database_url: str, app: Flask) -> Iterator[Flask]:
    """An app on the test database whose replica is a port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    forget_failures()
    dead = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "tests-only-secret",
                       "REPLICA_DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{port}/learnhub"})
    yield dead
    forget_failures()
    with dead.app_context():
        db.session.remove()
        db.engines[BIND].dispose()


def test_an_unreachable_replica_leaves_reports_to_the_primary_and_is_not_tried_on_every_request(
        dead_replica_app: Flask, town, caplog) -> None:
    client = dead_replica_app.test_client()
    login(client, "capuy")
    with caplog.at_level(logging.WARNING, logger="learnhub.replica"):
        for _ in range(3):
            response = client.get(f"/reports/year?unit={town['root'].id}&year=2026")
            assert response.status_code == 200 and "Đảng bộ Thị trấn" in response.get_data(as_text=True)
            assert LAG_HEADER not in response.headers  # read from the primary
    warnings = [r.getMessage() for r in caplog.records if r.name == "learnhub.replica"]
    assert len(warnings) == 1 and "unreachable, reading reports from the primary for 30s" in warnings[0]


def test_the_replica_is_tried_again_after_the_retry_delay(dead_replica_app: Flask, town, caplog,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    client = dead_replica_app.test_client()
    login(client, "capuy")
    later = time.monotonic() + 31
    with caplog.at_level(logging.WARNING, logger="learnhub.replica"):
        client.get(f"/plans/overview?unit={town['root'].id}")
        monkeypatch.setattr("learnhub.replica.time.monotonic", lambda: later)
        assert client.get(f"/plans/overview?unit={town['root'].id}").status_code == 200
    assert len([r for r in caplog.records if r.name == "learnhub.replica"]) == 2
