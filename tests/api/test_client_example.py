"""The example client of docs/api.md, run as written against LearnHub (its HTTP calls routed to the
test client): it syncs statuses from a CSV file, twice without a second change, and pulls figures."""
from __future__ import annotations

import io
import json
import re
import urllib.error
from pathlib import Path

from flask import Flask

from learnhub.api.models import TokenScope
from learnhub.auth.models import MemberStatus, User
from learnhub.extensions import db

DOC = Path(__file__).parents[2] / "docs" / "api.md"


class _Answer(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def load_client(app: Flask, api) -> dict:
    """The script's functions, with urlopen sending through ``api`` (so its answers are checked too)."""
    code = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    namespace: dict = {"__name__": "client"}
    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102  (our own documentation)

    def urlopen(request):
        path = request.full_url.removeprefix("http://learnhub.test")
        body = json.loads(request.data) if request.data else None
        response = api.call(request.get_method(), path, json=body,
                            headers={k: v for k, v in request.header_items() if k != "Content-type"})
        if response.status_code >= 400:
            raise urllib.error.HTTPError(request.full_url, response.status_code, "", response.headers,
                                         io.BytesIO(response.data))
        return _Answer(response.data)

    namespace["urlopen"] = urlopen
    return namespace


def test_the_documented_client_syncs_and_pulls_figures(app: Flask, api, town: dict, make_token,
                                                        plan_and_conference, tmp_path: Path) -> None:
    client = load_client(app, api)
    token = make_token(town["bithu1"], TokenScope.read_write)
    rows = tmp_path / "statuses.csv"
    rows.write_text("member_id,status,effective_on,reason\n"
                    f"{town['member_a'].id},exempted,2026-06-01,Ốm dài ngày\n"
                    f"{town['propagandist'].id},active,2026-06-01,\n", encoding="utf-8")
    base = "http://learnhub.test"
    assert client["sync_statuses"](base, token, rows) == 1
    assert client["sync_statuses"](base, token, rows) == 0  # the same file again changes nothing
    with app.app_context():
        assert db.session.get(User, town["member_a"].id).status == MemberStatus.exempted
    figures = client["plan_figures"](base, token, plan_and_conference["plan"], town["a"].id)
    assert figures["plan_id"] == plan_and_conference["plan"] and figures["required"] >= 1
    outsider = make_token(town["bithu2"], TokenScope.read_write)
    try:
        client["plan_figures"](base, outsider, plan_and_conference["plan"], town["a"].id)
    except RuntimeError as refused:
        assert refused.args[0]["status"] == 404
    else:
        raise AssertionError("another cell's committee got the figures")
