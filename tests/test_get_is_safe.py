"""No GET changes state, except the few writes listed in ALLOWED (ASVS V3: no state change on GET).

Every GET of the access matrix is walked as each role with the matrix's objects; the whole database
is read before and after each request and compared table by table, so a failure names the URL, the
endpoint and the table. Changes must go through POST, which carries the CSRF token.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.exceptions import MethodNotAllowed

from learnhub.extensions import db
from tests.conftest import csrf_token, login
from tests.test_access_matrix import CASES, LOGIN_AS, ROLES, objects  # noqa: F401

Key = tuple[Any, ...]
Snapshot = dict[str, dict[Key, dict[str, Any]]]


@dataclass(frozen=True)
class Allowed:
    """A write a GET may make: new rows (passing ``new_row``) and changes to ``updated`` columns only."""

    endpoints: frozenset[str]
    why: str
    new_row: Callable[[dict[str, Any]], bool] = lambda row: False
    updated: frozenset[str] = field(default_factory=frozenset)


ALLOWED: dict[str, Allowed] = {
    "lesson_progress": Allowed(
        frozenset({"study.lesson"}),
        "the lesson page records that the member opened it (study.services.record_lesson_opened): the first "
        "open adds the row with nothing studied; later opens move last_seen_at, never the reading time or "
        "studied_at, which only POSTs (heartbeat, studied) change",
        new_row=lambda row: row["first_opened_at"] == row["last_seen_at"] and row["studied_at"] is None
        and row["seconds_spent"] == 0,
        updated=frozenset({"last_seen_at"}),
    ),
    "public_visit": Allowed(
        frozenset({"outreach.public_module"}),
        "a public module page counts a citizen's visit, one row per module, day and browser "
        "(outreach/visits.py); rows are only ever added",
        new_row=lambda row: True,
    ),
    "audit_entry": Allowed(
        frozenset({"members.export", "contests.export_results"}),
        "an export of personal data (the member list, a contest round's entrants) is audited "
        "(members/exports.py, contests/routes.py, audit.py); audit rows are only added",
        new_row=lambda row: row["action"] in {"members.export", "contests.export"},
    ),
}
# Sign-in bookkeeping is not among them: the last-seen time lives in the session cookie
# (auth/sessions.py), and user_account.last_login_at is written by the sign-in POST only.

# The documented writes the walk must see, which shows the snapshots do catch a write. Accounts other
# than citizens are not counted as visitors; exporting the member list is for committees.
EXPECTED_WRITES: dict[str, set[tuple[str, str]]] = {
    "anonymous": {("outreach.public_module", "public_visit")},
    "member": {("study.lesson", "lesson_progress")},
    "propagandist": {("study.lesson", "lesson_progress")},
    **{role: {("study.lesson", "lesson_progress"), ("members.export", "audit_entry")}
       for role in ("committee_in_scope", "committee_out_of_scope", "admin")},
    # Only the organising unit's committee (and the admin) may download a round's entrants.
    **{role: {("study.lesson", "lesson_progress"), ("members.export", "audit_entry"),
              ("contests.export_results", "audit_entry")} for role in ("committee_in_scope", "admin")},
}
GETS = {endpoint: case for endpoint, case in CASES.items() if case.method == "GET"}
POSTS = {endpoint: case for endpoint, case in CASES.items() if case.method == "POST"}


def snapshot(app: Flask) -> Snapshot:
    """Every row of every table, keyed by primary key, read in primary-key order."""
    with app.app_context(), db.engine.connect() as connection:
        tables = {}
        for table in db.metadata.sorted_tables:
            key = list(table.primary_key.columns)
            rows = connection.execute(sa.select(table).order_by(*key)).mappings()
            tables[table.name] = {tuple(row[c.name] for c in key): dict(row) for row in rows}
        return tables


def disallowed_changes(before: Snapshot, after: Snapshot, endpoint: str, seen: set[tuple[str, str]]) -> list[str]:
    """What changed between the snapshots beyond ALLOWED for ``endpoint``; allowed writes are added to ``seen``."""
    problems = []
    for table, old in before.items():
        new = after[table]
        if old == new:
            continue
        allowed = ALLOWED.get(table)
        allowed = allowed if allowed is not None and endpoint in allowed.endpoints else Allowed(frozenset(), "")
        added = [new[key] for key in new.keys() - old.keys()]
        deleted = sorted(old.keys() - new.keys())
        updated = {key: sorted(c for c in old[key] if old[key][c] != new[key][c])
                   for key in old.keys() & new.keys() if old[key] != new[key]}
        table_problems = []
        if bad := [row for row in added if not allowed.new_row(row)]:
            table_problems.append(f"{table}: {len(bad)} row(s) added: {bad}")
        if deleted:
            table_problems.append(f"{table}: rows {deleted} deleted")
        if bad := {key: columns for key, columns in updated.items() if not set(columns) <= allowed.updated}:
            table_problems.append(f"{table}: columns changed {bad}")
        if table_problems:
            problems += table_problems
        else:
            seen.add((endpoint, table))
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_no_get_changes_state_beyond_the_documented_writes(app: Flask, objects: dict, role: str) -> None:  # noqa: F811  (the fixture imported above)
    client = app.test_client()
    if role != "anonymous":
        assert login(client, LOGIN_AS[role]).status_code == 302
    failures, seen = [], set()
    before = snapshot(app)
    for endpoint, case in GETS.items():
        url = case.url(objects)
        response = client.get(url)
        after = snapshot(app)
        if response.status_code != case.expect[role]:  # the request must reach the view it walks
            failures.append(f"GET {url} ({endpoint}) as {role}: {response.status_code}, expected {case.expect[role]}")
        failures += [f"GET {url} ({endpoint}) as {role}: {problem}"
                     for problem in disallowed_changes(before, after, endpoint, seen)]
        before = after
    assert not failures, "\n".join(failures)
    assert seen == EXPECTED_WRITES[role]


def test_no_state_changing_endpoint_accepts_get(app: Flask) -> None:
    accepting_get = [f"{rule.rule} ({rule.endpoint})" for rule in app.url_map.iter_rules()
                     if rule.endpoint in POSTS and "GET" in rule.methods]
    assert accepting_get == []


def acting_user(endpoint: str) -> str:
    """Someone for whom the POST would act: the first role not refused (403, 404), else the attempt's owner."""
    expect = POSTS[endpoint].expect
    return next((LOGIN_AS[role] for role in ROLES[1:] if expect[role] not in (403, 404)), "hai")


def test_a_get_with_the_form_in_the_query_string_triggers_no_action(app: Flask, objects: dict) -> None:  # noqa: F811
    """``GET /plans/1/status?status=closed`` and the like: 405, or the page that shares the URL, which writes nothing."""
    adapter = app.url_map.bind("localhost")
    failures = []
    for username in sorted({acting_user(endpoint) for endpoint in POSTS}):
        client = app.test_client()
        assert login(client, username).status_code == 302
        token = csrf_token(client, "/")  # a valid token too: only the method may stand in the way
        for endpoint in (e for e in POSTS if acting_user(e) == username):
            case = POSTS[endpoint]
            path, _, query = case.url(objects).partition("?")
            try:
                shared = adapter.match(path, method="GET")[0]
            except MethodNotAllowed:
                shared = None
            before = snapshot(app)
            form = {**dict(parse_qsl(query)), "csrf_token": token, **case.data(objects)}
            response = client.get(path, query_string=form)
            changed = [table for table, rows in snapshot(app).items() if rows != before[table]]
            if shared is None and response.status_code != 405:
                failures.append(f"GET {path} ({endpoint}) as {username}: {response.status_code}, expected 405")
            if shared is not None and shared not in GETS:
                failures.append(f"GET {path} ({endpoint}) reaches {shared}, which the walk does not cover")
            if changed:
                failures.append(f"GET {path} ({endpoint}) as {username} changed {changed}")
    assert not failures, "\n".join(failures)
