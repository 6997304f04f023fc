"""The example client of docs/api.md, run as written against LearnHub (its HTTP calls routed to the
test client): it syncs a member list from a CSV file, twice without a second change, and pulls figures."""
from __future__ import annotations

import io
import json
import re
import urllib.error
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from learnhub.api.models import TokenScope
from learnhub.auth.models import User
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
    rows = tmp_path / "members.csv"
    rows.write_text("\ufeffusername,full_name,category,phone,birth_date\n"
                    "dovanmanh,Đỗ Văn Mạnh,party_member,0912345678,1980-05-01\n"
                    "lythihoa,Lý Thị Hoa,citizen,,\n", encoding="utf-8")
    base = "http://learnhub.test"
    assert client["sync_members"](base, token, rows) == {"created": 2, "updated": 0, "unchanged": 0}
    assert client["sync_members"](base, token, rows) == {"created": 0, "updated": 0, "unchanged": 2}
    with app.app_context():
        made = db.session.scalars(sa.select(User).where(User.username == "dovanmanh")).one()
        assert (made.unit_id, made.phone) == (town["bithu1"].unit_id, "+84912345678")
    figures = client["plan_figures"](base, token, plan_and_conference["plan"], town["a"].id)
    assert figures["plan_id"] == plan_and_conference["plan"] and figures["required"] >= 1
    outsider = make_token(town["bithu2"], TokenScope.read_write)
    try:
        client["plan_figures"](base, outsider, plan_and_conference["plan"], town["a"].id)
    except RuntimeError as refused:
        assert refused.args[0]["status"] == 404
    else:
        raise AssertionError("another cell's committee got the figures")
