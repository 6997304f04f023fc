"""`learnhub units create|list`"""
from __future__ import annotations

import json

from flask import Flask


def test_create_and_list_units_as_json(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["units", "create", "Đảng bộ Thị trấn", "--kind", "committee"]).exit_code == 0
    made = runner.invoke(args=["units", "create", "Chi bộ Khu phố 3", "--kind", "cell", "--parent", "Đảng bộ Thị trấn"])
    assert made.exit_code == 0 and "Đảng bộ Thị trấn/Chi bộ Khu phố 3" in made.stderr
    listed = runner.invoke(args=["units", "list", "--format", "json"])
    assert listed.exit_code == 0
    units = json.loads(listed.stdout)  # stdout holds the JSON alone
    assert [(u["name"], u["kind"], u["parent"]) for u in units] == [
        ("Đảng bộ Thị trấn", "committee", None),
        ("Chi bộ Khu phố 3", "cell", units[0]["id"]),
    ]


def test_bad_unit_arguments_exit_non_zero_with_one_line(app: Flask) -> None:
    runner = app.test_cli_runner()
    runner.invoke(args=["units", "create", "Đảng bộ", "--kind", "committee"])
    duplicate = runner.invoke(args=["units", "create", "Đảng bộ", "--kind", "committee"])
    assert duplicate.exit_code == 2 and "already exists" in duplicate.stderr
    orphan = runner.invoke(args=["units", "create", "Chi bộ", "--kind", "cell", "--parent", "Không có"])
    assert orphan.exit_code == 2 and "no unit named 'Không có'" in orphan.stderr
    slash = runner.invoke(args=["units", "create", "A/B", "--kind", "cell"])
    assert slash.exit_code == 2 and "cannot contain '/'" in slash.stderr
    kind = runner.invoke(args=["units", "create", "X", "--kind", "club"])
    assert kind.exit_code == 2


def test_create_goes_through_the_unit_service(app: Flask) -> None:
    """The command names units as the admin pages do (NFC, spaces collapsed) and leaves an audit entry."""
    import sqlalchemy as sa

    from learnhub.audit import AuditEntry
    from learnhub.extensions import db
    from learnhub.orgs.models import Unit

    runner = app.test_cli_runner()
    decomposed = "Đảng bộ  Thi\u0323 trấn"  # "ị" as i + combining dot below, and a double space
    assert runner.invoke(args=["units", "create", decomposed, "--kind", "committee"]).exit_code == 0
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit))
        assert unit is not None and unit.name == "Đảng bộ Thị trấn"
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "unit.create"))
        assert entry is not None and entry.object_id == unit.id and entry.actor_name == "command line"
    # The same name written the composed way is the same unit.
    again = runner.invoke(args=["units", "create", "Đảng bộ Thị trấn", "--kind", "committee"])
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_create_under_an_archived_parent_is_refused(app: Flask) -> None:
    import sqlalchemy as sa

    from learnhub.db import utcnow
    from learnhub.extensions import db
    from learnhub.orgs.models import Unit

    runner = app.test_cli_runner()
    runner.invoke(args=["units", "create", "Đảng bộ", "--kind", "committee"])
    with app.app_context():
        db.session.scalar(sa.select(Unit)).archived_at = utcnow()
        db.session.commit()
    refused = runner.invoke(args=["units", "create", "Chi bộ", "--kind", "cell", "--parent", "Đảng bộ"])
    assert refused.exit_code == 2 and "archived" in refused.stderr
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) == 1
