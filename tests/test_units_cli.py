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
