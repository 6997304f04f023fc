"""No number in an address makes a 500: ids in paths, numeric query arguments and dates, as every role.

Every URL rule with an ``<int:...>`` part and every numeric query argument a view reads (found by
watching ``learnhub.numbers.query_int`` while the access matrix is walked) is sent huge, negative,
zero and non-numeric values. The answer is "not found" (404) or "bad request" (400), or the refusal
the role gets anyway (the sign-in redirect, 403); never a 500.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from learnhub import numbers
from tests.conftest import csrf_token, login
from tests.test_access_matrix import CASES, LOGIN_AS, ROLES, objects  # noqa: F401

HUGE = str(10**30)
BAD_NUMBERS = [str(2**31), str(2**63), str(2**64), str(10**30), "9" * 5000, "-1", "0", "abc", "1e3", "١٢"]
# Query arguments the watch below cannot see: read through a form, or by a POST.
FORM_ARGUMENTS = {"reports.year": ["unit", "year"], "reports.year_docx": ["unit", "year"],
                  "reports.year_json": ["unit", "year"], "members.index": ["unit", "page"],
                  "members.export": ["unit"],
                  # POSTs are not walked to find arguments (they change things): listed here.
                  "notifications.remind": ["unit"]}
BAD_DATES = ["0000-01-01", "0001-01-01", "9999-12-31", "10000-01-01", "2026-13-01", "2026-02-30", "x"]
# Arguments a page ignores when bad, falling back to its default: the member list's unit filter shows
# every unit in scope; the outreach pages show this year (tests/outreach/test_visits_page.py;
# outreach.public.chosen_year, broadcasts included).
IGNORED = {("members.index", "unit"), ("members.export", "unit"), ("outreach.visits", "year"),
           ("outreach.sessions", "year"), ("bulletins.broadcasts", "year")}
INT_PART = re.compile(r"<int:(\w+)>")


def refusals(role: str, endpoint: str) -> set[int]:
    """What a bad number may get: 400 or 404, or the refusal the role gets with good numbers.

    405 too: ``.../history/<path:key>/abc/restore`` is the address of a page (the key swallows the
    rest), and a POST to a page is refused as such.
    """
    normal = CASES[endpoint].expect[role]
    refused = normal in (403, 404) or (role == "anonymous" and normal == 302)
    return {400, 404, 405} | ({normal} if refused else set())


def send(client: FlaskClient, endpoint: str, url: str, objects: dict):  # noqa: F811
    case = CASES[endpoint]
    if case.method == "GET":
        return client.get(url)
    if not hasattr(client, "token"):  # one token per session serves every POST
        client.token = csrf_token(client, "/login")  # type: ignore[attr-defined]
    return client.post(url, data={"csrf_token": client.token, **case.data(objects)})  # type: ignore[attr-defined]


def signed_in(app: Flask, role: str) -> FlaskClient:
    client = app.test_client()
    if role != "anonymous":
        assert login(client, LOGIN_AS[role]).status_code == 302
    return client


def paths_with_bad_ids(app: Flask, objects: dict) -> list[tuple[str, str]]:  # noqa: F811
    """(endpoint, url) for every rule with an ``<int:...>`` part, each such part in turn a bad number."""
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        names = INT_PART.findall(rule.rule)
        if not names:
            continue
        case = CASES[rule.endpoint]
        path, _, query = case.url(objects).partition("?")
        _endpoint, values = adapter.match(path, method=case.method)
        for name in names:
            marked = adapter.build(rule.endpoint, {**values, name: 7654321}, method=case.method)
            assert "7654321" in marked, (rule.rule, marked)
            urls += [(rule.endpoint, marked.replace("7654321", bad) + (f"?{query}" if query else ""))
                     for bad in BAD_NUMBERS if bad != "0"]
    return urls


def test_id_zero_is_whatever_a_missing_object_is_and_never_a_500(app: Flask, objects: dict) -> None:  # noqa: F811
    """``0`` is a well-formed id no row has: each view answers as for any missing object."""
    client = signed_in(app, "admin")
    zero = [(endpoint, url.replace("/-1", "/0", 1)) for endpoint, url in paths_with_bad_ids(app, objects)
            if "/-1" in url]
    failures = [f"{url}: {status}" for endpoint, url in zero
                if (status := send(client, endpoint, url, objects).status_code) >= 500]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_no_id_in_a_path_makes_a_500(app: Flask, objects: dict, role: str) -> None:  # noqa: F811
    client = signed_in(app, role)
    urls = paths_with_bad_ids(app, objects)
    assert len({endpoint for endpoint, _url in urls}) > 50  # every rule with an id, not a few
    failures = []
    for endpoint, url in urls:
        status = send(client, endpoint, url, objects).status_code
        if status not in refusals(role, endpoint):
            failures.append(f"{CASES[endpoint].method} {url[:120]} as {role}: {status}")
    assert not failures, "\n".join(failures)


_SEEN: dict[str, set[str]] = {}


def numeric_arguments(app: Flask, objects: dict, monkeypatch) -> dict[str, set[str]]:  # noqa: F811
    """The numeric query arguments each endpoint reads, seen while the matrix is walked as those who may
    (once: the arguments a view reads do not depend on who asks)."""
    if _SEEN:
        return {endpoint: set(names) for endpoint, names in _SEEN.items()}
    seen = _SEEN
    real = numbers.query_int

    def watching(name: str, **bounds):
        from flask import request

        seen.setdefault(request.endpoint, set()).add(name)
        return real(name, **bounds)

    monkeypatch.setattr(numbers, "query_int", watching)
    for role in ("committee_in_scope", "propagandist", "admin"):
        client = signed_in(app, role)
        for endpoint, case in CASES.items():
            if case.method == "GET":
                send(client, endpoint, case.url(objects), objects)
    monkeypatch.undo()
    for endpoint, names in FORM_ARGUMENTS.items():
        seen.setdefault(endpoint, set()).update(names)
    return {endpoint: set(names) for endpoint, names in seen.items()}


@pytest.mark.parametrize("role", ROLES)
def test_no_numeric_query_argument_makes_a_500(app: Flask, objects: dict, role: str, monkeypatch) -> None:  # noqa: F811
    arguments = numeric_arguments(app, objects, monkeypatch)
    assert {"unit", "year"} <= arguments["plans.overview"] and "page" in arguments["admin.audit"]
    client = signed_in(app, role)
    failures = []
    for endpoint, names in sorted(arguments.items()):
        path, _, query = CASES[endpoint].url(objects).partition("?")
        for name in sorted(names):
            for bad in BAD_NUMBERS:
                url = f"{path}?{urlencode({**dict(parse_qsl(query)), name: bad})}"
                status = send(client, endpoint, url, objects).status_code
                allowed = refusals(role, endpoint) | ({CASES[endpoint].expect[role]} if (endpoint, name) in IGNORED else set())
                if status not in allowed:
                    failures.append(f"{url[:120]} ({endpoint}) as {role}: {status}")
    assert not failures, "\n".join(failures)


def test_a_year_the_calendar_cannot_hold_is_a_bad_request(app: Flask, objects: dict) -> None:  # noqa: F811
    client = signed_in(app, "committee_in_scope")
    for year in ("0", "10000", "99999999999", "-2026"):
        assert client.get(f"/plans/overview?year={year}").status_code == 400, year
    assert client.get("/plans/overview?year=2026").status_code == 200
    assert client.get("/plans/overview?year=").status_code == 200  # empty: this year


def test_dates_beyond_the_calendar_in_the_audit_filter_are_refused_not_crashed(app: Flask, objects: dict) -> None:  # noqa: F811
    client = signed_in(app, "admin")
    for bad in BAD_DATES:
        for name in ("since", "until"):
            response = client.get(f"/admin/audit?{name}={bad}")
            assert response.status_code == 400, (name, bad, response.status_code)
    assert client.get("/admin/audit?since=2026-01-01&until=2026-12-31").status_code == 200


def test_ids_and_dates_in_posted_forms_are_refused_not_crashed(app: Flask, objects: dict) -> None:  # noqa: F811
    """Form fields that name a row (chosen from a list the server does not re-check) or a date: the form
    again with its error (200 or 400) or 404, never a 500 and never the redirect of a saved form."""
    client = signed_in(app, "admin")
    conference = objects["conference"]
    forms = [
        ("/assignments", {"user": HUGE, "unit": objects["a"].id}),
        ("/assignments", {"user": objects["hai"].id, "unit": HUGE}),
        (f"/conferences/{conference}/attendance", {"member": HUGE, "status": "present"}),
        ("/inspections/new", {"unit": HUGE, "plan": "0", "held_on": "2026-01-01", "inspectors": "x",
                              "findings": "x", "conclusion": "remind"}),
        ("/inspections/new", {"unit": objects["a"].id, "plan": HUGE, "held_on": "2026-01-01", "inspectors": "x",
                              "findings": "x", "conclusion": "remind"}),
        ("/conferences/new", {"unit": objects["a"].id, "plan": "0", "title": "x", "form": "in_person",
                              "starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T01:00",
                              "invited_units": objects["a"].id}),
    ]
    failures = []
    for url, data in forms:
        status = client.post(url, data={"csrf_token": csrf_token(client, "/login"), **data}).status_code
        if status not in (200, 400, 404):
            failures.append(f"POST {url} {data}: {status}")
    assert not failures, "\n".join(failures)
