"""`learnhub users create`"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import Role, User
from learnhub.extensions import db
from learnhub.orgs.models import UnitKind
from tests.conftest import login


def test_create_user_reads_the_password_from_stdin(app: Flask, client, make_unit) -> None:
    root = make_unit("Đảng bộ Thị trấn", UnitKind.committee)
    make_unit("Chi bộ Khu phố 3", UnitKind.cell, parent=root)
    result = app.test_cli_runner().invoke(
        args=["users", "create", "Bithu", "--role", "committee", "--unit", "Đảng bộ Thị trấn/Chi bộ Khu phố 3",
              "--full-name", "Trần Thị Bích"],
        input="mat-khau-rat-dai\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created bithu (committee) in Chi bộ Khu phố 3." in result.stderr
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.username == "bithu")).one()
        assert user.role is Role.committee and user.unit.name == "Chi bộ Khu phố 3"
    assert login(client, "bithu", "mat-khau-rat-dai").status_code == 302


def test_create_user_refuses_bad_input_with_one_line(app: Flask, make_unit, make_user) -> None:
    root = make_unit("Đảng bộ Thị trấn", UnitKind.committee)
    make_unit("Chi bộ 1", UnitKind.cell, parent=root)
    other = make_unit("Đảng bộ Xã", UnitKind.committee)
    make_unit("Chi bộ 1", UnitKind.cell, parent=other)
    make_user(username="an", unit=root)
    runner = app.test_cli_runner()
    cases = [
        (["--unit", "Không có"], "no unit named 'Không có'"),
        (["--unit", "Chi bộ 1"], "'Chi bộ 1' names several units"),
        (["--unit", "Đảng bộ Thị trấn", "--role", "king"], "Invalid value for '--role'"),
    ]
    for extra, message in cases:
        result = runner.invoke(args=["users", "create", "moi", *extra], input="mat-khau-dai-du\n")
        assert result.exit_code == 2 and message in result.stderr, result.output
    short = runner.invoke(args=["users", "create", "moi", "--unit", "Đảng bộ Thị trấn"], input="ngan\n")
    assert short.exit_code == 2 and "at least 8 characters" in short.stderr
    taken = runner.invoke(args=["users", "create", "AN", "--unit", "Đảng bộ Thị trấn"], input="mat-khau-dai-du\n")
    assert taken.exit_code == 2 and "already taken" in taken.stderr
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
