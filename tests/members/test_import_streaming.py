"""Big member lists import streamed: memory does not grow with the rows, all-or-nothing still holds,
and the browser's confirmation creates exactly the members its preview showed."""
from __future__ import annotations

import csv
import html
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.auth.models import User
from learnhub.demo.names import random_full_name
from learnhub.extensions import db
from learnhub.members.importer import (
    MAX_PROBLEMS,
    PREVIEW_ROWS,
    ImportChanged,
    apply_member_import,
    plan_member_import,
)
from learnhub.orgs.models import Unit
from learnhub.phones import normalise_phone
from tests.conftest import login, post

CELLS = ["Chi bộ Khu phố 1", "Chi bộ Khu phố 2"]
HEADERS = ["STT", "Họ và tên", "Chi bộ", "Đối tượng", "Ngày sinh", "Giới tính", "Số điện thoại"]
PREVIEW_ROW = re.compile(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td>")


def member_rows(count: int, seed: int = 11) -> list[list[str]]:
    """``count`` different people: no two share a full name and a date of birth (the import's key)."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    people: set[tuple[str, str]] = set()
    while len(rows) < count:
        name, gender = random_full_name(rng)
        born = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1950, 2004)}"
        if (name, born) in people:
            continue
        people.add((name, born))
        n = len(rows) + 1
        rows.append([str(n), name, CELLS[n % 2], rng.choice(["Đảng viên", "CBCCVC", "Quần chúng"]), born,
                     "Nam" if gender == "male" else "Nữ", f"09{rng.randrange(10**8):08d}"])
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def members(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(User))


# Measured in a fresh interpreter: tracemalloc counts every thread of a process, and a test server
# left running by the browser tests allocates in its own threads while the import runs.
MEASURE = """
import sys, tracemalloc
from pathlib import Path
from learnhub import create_app
from learnhub.extensions import db
from learnhub.members.importer import apply_member_import, plan_member_import
from learnhub.orgs.models import Unit

url, path, unit_id = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "tests-only"})
with app.app_context():
    root = db.session.get(Unit, unit_id)
    tracemalloc.start()
    plan = plan_member_import(path, filename=path.name, base_unit=root, viewer=None, keep=True)
    assert plan.ok, plan.problems[:3]
    apply_member_import(plan, actor=None)  # from the rows spooled to disk, as the CLI does
    db.session.commit()
    print(tracemalloc.get_traced_memory()[1])
"""


def import_measured(app: Flask, root_id: int, path: Path) -> int:
    """Plan and apply `path` as one committed import; the peak bytes Python allocated meanwhile."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    done = subprocess.run([sys.executable, "-c", MEASURE, url, str(path), str(root_id)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return int(done.stdout.split()[-1])


def test_twenty_thousand_rows_import_in_memory_that_does_not_grow_with_the_rows(
    app: Flask, town, tmp_path: Path
) -> None:
    before = members(app)
    with app.app_context():
        last_id = db.session.scalar(sa.select(sa.func.max(User.id)))
    smaller = import_measured(app, town["root"].id, write_csv(tmp_path / "10k.csv", member_rows(10_000)))
    assert members(app) == before + 10_000
    with app.app_context():  # the same starting point for the larger file
        db.session.execute(sa.delete(User).where(User.id > last_id))
        db.session.commit()

    rows = member_rows(20_000, seed=12)
    larger = import_measured(app, town["root"].id, write_csv(tmp_path / "20k.csv", rows))

    # Holding every row, as the import did, cost about 3.4 KB a row: a peak of 34 MB at 10,000 rows
    # and 68 MB at 20,000. Streamed, the peak is 4-6 MB and only the set of usernames (kept so that
    # new ones stay unique) grows with the rows, by under 200 bytes a row.
    assert (larger - smaller) / 10_000 < 500, (smaller, larger)
    assert larger < 20_000_000, (smaller, larger)
    assert members(app) == before + 20_000
    with app.app_context():
        imported = db.session.execute(
            sa.select(User.full_name, User.phone, User.username, Unit.name).join(Unit, User.unit_id == Unit.id)
            .where(User.id > last_id).order_by(User.id)).all()
        assert [(m.full_name, m.phone, m.name) for m in imported] == [(r[1], normalise_phone(r[6]), r[2]) for r in rows]
        assert len({m.username for m in imported}) == 20_000
        summaries = db.session.scalars(sa.select(AuditEntry.summary).where(AuditEntry.action == "members.import"))
        assert "imported 20k.csv: 20000 new, 0 updated" in list(summaries)


def test_a_bad_row_at_the_end_of_a_big_file_imports_nothing(app: Flask, town, tmp_path: Path) -> None:
    rows = member_rows(5_000)
    rows[4_988][2] = "Chi bộ Không Có"  # row 4,990 of the sheet, in the last chunk
    rows[-1][4] = "31/02/1990"  # the very last row, 5,001
    path = write_csv(tmp_path / "cuoi.csv", rows)
    before = members(app)
    result = app.test_cli_runner().invoke(args=["members", "import", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "rows read" not in line]
    assert lines == [
        f"{path}:4990: Chi bộ: no unit “Chi bộ Không Có” under Đảng bộ Thị trấn",
        f"{path}:5001: Ngày sinh: not a date: use dd/mm/yyyy",
        "Error: 2 problem(s): nothing was imported",
    ]
    assert members(app) == before


def test_thousands_of_bad_rows_list_the_first_and_count_the_rest(app: Flask, client, town, tmp_path: Path) -> None:
    rows = member_rows(MAX_PROBLEMS + 500)
    for row in rows:
        row[4] = "99/99/1999"
    path = write_csv(tmp_path / "loi.csv", rows)
    result = app.test_cli_runner().invoke(args=["members", "import", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "rows read" not in line]
    assert len(lines) == MAX_PROBLEMS + 2
    assert lines[0] == f"{path}:2: Ngày sinh: not a date: use dd/mm/yyyy"
    assert lines[-2:] == [f"{path}: and 500 more problem(s)", "Error: 1500 problem(s): nothing was imported"]

    client.set_cookie("lh_lang", "en")
    login(client, "capuy")
    with path.open("rb") as handle:
        preview_url = post(client, "/members/import/", {"file": (handle, "loi.csv"), "unit": town["root"].id},
                           content_type="multipart/form-data").headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "1500 problems: nothing will be imported" in page
    assert "…and 500 more problems, not listed here." in page
    assert page.count("<td>Ngày sinh</td>") == MAX_PROBLEMS


def preview_of(client, path: Path, unit_id: int) -> tuple[str, str]:
    with path.open("rb") as handle:
        response = post(client, "/members/import/", {"file": (handle, path.name), "unit": unit_id},
                        content_type="multipart/form-data")
    assert response.status_code == 302
    return response.headers["Location"], client.get(response.headers["Location"]).get_data(as_text=True)


def shown_rows(page: str) -> list[tuple[int, str, str]]:
    return [(int(row), html.unescape(name), username) for row, name, username in PREVIEW_ROW.findall(page)]


def digest_of(page: str) -> str:
    return re.search(r'name="plan" value="([0-9a-f]{64})"', page).group(1)


def test_the_preview_of_a_big_file_confirms_into_the_members_it_showed(
    app: Flask, client, town, tmp_path: Path
) -> None:
    rows = member_rows(1_500)
    rows[3][1] = rows[2][1]  # two people of the same name: the second gets a numbered username
    path = write_csv(tmp_path / "lon.csv", rows)
    client.set_cookie("lh_lang", "en")
    login(client, "capuy")
    before = members(app)
    preview_url, page = preview_of(client, path, town["root"].id)
    shown = shown_rows(page)
    assert [row for row, _name, _username in shown] == list(range(2, PREVIEW_ROWS + 2))
    assert [name for _row, name, _username in shown] == [r[1] for r in rows[:PREVIEW_ROWS]]
    assert f"The first {PREVIEW_ROWS} of 1500 rows are shown." in page
    assert "1500 new members, 0 to update, 0 unchanged." in page and "Import 1500 rows" in page
    assert shown[3][2] != shown[2][2] and shown[3][2].rstrip("0123456789") == shown[2][2].rstrip("0123456789")
    assert members(app) == before

    confirmed = post(client, preview_url, {"plan": digest_of(page)})
    assert confirmed.status_code == 302
    assert members(app) == before + 1_500
    with app.app_context():
        found = dict(db.session.execute(sa.select(User.username, User.full_name)
                                        .where(User.username.in_([u for _r, _n, u in shown]))).all())
    assert found == {username: name for _row, name, username in shown}


def test_a_confirmation_after_the_members_changed_imports_nothing_and_shows_the_new_plan(
    app: Flask, client, town, make_user, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "ds.csv", member_rows(30))
    client.set_cookie("lh_lang", "en")
    login(client, "capuy")
    preview_url, page = preview_of(client, path, town["root"].id)
    promised = shown_rows(page)[0][2]
    make_user(username=promised, unit=town["a"], full_name="Người Khác")  # someone takes that username
    before = members(app)

    refused = post(client, preview_url, {"plan": digest_of(page)})
    assert refused.status_code == 409
    again = refused.get_data(as_text=True)
    assert "The members changed since the preview" in again
    assert members(app) == before
    assert shown_rows(again)[0][2] == promised + "2"

    assert post(client, preview_url, {"plan": digest_of(again)}).status_code == 302
    assert members(app) == before + 30


def test_applying_a_plan_the_database_no_longer_matches_writes_nothing(
    app: Flask, town, make_user, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "ds.csv", member_rows(2_500))
    with app.app_context():
        plan = plan_member_import(path, filename=path.name, base_unit=db.session.get(Unit, town["root"].id),
                                  viewer=None)
        assert plan.ok and plan.created == 2_500 and len(plan.rows) == PREVIEW_ROWS
        username = plan.rows[-1].username
        db.session.rollback()
    make_user(username=username, unit=town["a"], full_name="Người Khác")
    before = members(app)
    with app.app_context(), pytest.raises(ImportChanged):
        apply_member_import(plan, actor=None)
    assert members(app) == before
