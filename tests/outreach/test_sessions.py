"""Committees record the outreach sessions of mass organisations in their units, with head counts."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.extensions import db
from learnhub.outreach.models import OutreachSession
from learnhub.outreach.sessions import outreach_session_heads
from learnhub.plans.member_plans import local_today
from tests.conftest import login, post


def form(unit_id: int, **overrides) -> dict:
    return {"unit": unit_id, "organisation": "Hội Phụ nữ", "title": "Tuyên truyền Chỉ thị 05",
            "held_on": "2026-03-08", "place": "Nhà văn hóa khu phố 1", "head_count": "45", "course": "0",
            "notes": "", **overrides}


def sessions(app: Flask) -> list[OutreachSession]:
    with app.app_context():
        found = db.session.scalars(sa.select(OutreachSession).order_by(OutreachSession.id)).all()
        db.session.expunge_all()
        return list(found)


def add(app: Flask, unit, held_on: dt.date, head_count: int, title: str = "Buổi tuyên truyền") -> int:
    with app.app_context():
        held = OutreachSession(unit_id=unit.id, organisation="Mặt trận Tổ quốc", title=title, held_on=held_on,
                               head_count=head_count)
        db.session.add(held)
        db.session.commit()
        return held.id


def test_record_change_and_delete_a_session(app: Flask, client, town, make_course) -> None:
    make_course()
    login(client, "bithu1")
    page = client.get("/outreach/sessions/new").get_data(as_text=True)
    assert '<datalist id="organisations">' in page and 'list="organisations"' in page and "Hội Cựu chiến binh" in page
    response = post(client, "/outreach/sessions/new", form(town["a"].id, course="1"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/outreach/sessions?year=2026")
    [held] = sessions(app)
    assert (held.unit_id, held.head_count, held.course_id, held.created_by_id) == (town["a"].id, 45, 1,
                                                                                 town["bithu1"].id)
    listing = client.get("/outreach/sessions?year=2026").get_data(as_text=True)
    assert "Tuyên truyền Chỉ thị 05" in listing and "08/03/2026" in listing and "<dd>45</dd>" in listing
    assert "Tuyên truyền Chỉ thị 05" not in client.get("/outreach/sessions?year=2025").get_data(as_text=True)

    edit = client.get(f"/outreach/sessions/{held.id}/edit").get_data(as_text=True)
    assert 'value="Nhà văn hóa khu phố 1"' in edit
    assert post(client, f"/outreach/sessions/{held.id}/edit", form(town["a"].id, head_count="60")).status_code == 302
    assert sessions(app)[0].head_count == 60

    confirm = client.get(f"/outreach/sessions/{held.id}/delete")
    assert confirm.status_code == 200 and "Tuyên truyền Chỉ thị 05" in confirm.get_data(as_text=True)
    assert sessions(app)  # asking is not deleting
    assert post(client, f"/outreach/sessions/{held.id}/delete").status_code == 302
    assert sessions(app) == []
    with app.app_context():
        entries = db.session.execute(sa.select(AuditEntry.action, AuditEntry.before).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["outreach.create", "outreach.update", "outreach.delete"]
    assert entries[-1].before["head_count"] == 60 and entries[-1].before["title"] == "Tuyên truyền Chỉ thị 05"


@pytest.mark.parametrize("changes, message", [
    ({"head_count": "0"}, "1 or more"),
    ({"head_count": "-3"}, "1 to 100000"),
    ({"head_count": "mười"}, "whole number"),
    ({"head_count": "2.5"}, "whole number"),
    ({"head_count": ""}, "whole number"),
    ({"head_count": "99999999999999999999"}, "1 to 100000"),
    ({"organisation": "   "}, "organisation"),
    ({"title": ""}, "title"),
    ({"held_on": "31/02/2026"}, "date"),
    ({"held_on": (local_today() + dt.timedelta(days=1)).isoformat()}, "future"),
    ({"held_on": "1999-12-31"}, "2000"),
    ({"course": "999"}, "choice"),
    ({"title": "x" * 301}, "300"),
])
def test_a_bad_form_is_refused_with_a_message(app: Flask, client, town, changes, message) -> None:
    client.set_cookie("lh_lang", "en")  # the messages as written, whatever the catalogue says
    login(client, "bithu1")
    response = post(client, "/outreach/sessions/new", form(town["a"].id, **changes))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "lh-error-summary" in html and message in html.replace("\n", " ")
    assert sessions(app) == []


def test_committees_work_only_in_their_scope(app: Flask, town) -> None:
    in_a = add(app, town["a"], dt.date(2026, 4, 1), 30, "Buổi ở khu phố 1")
    in_b = add(app, town["b"], dt.date(2026, 4, 2), 50, "Buổi ở khu phố 2")
    bithu1 = app.test_client()
    login(bithu1, "bithu1")
    listing = bithu1.get("/outreach/sessions?year=2026").get_data(as_text=True)
    assert "Buổi ở khu phố 1" in listing and "Buổi ở khu phố 2" not in listing and "<dd>30</dd>" in listing
    assert bithu1.get(f"/outreach/sessions/{in_b}/edit").status_code == 404
    assert bithu1.get(f"/outreach/sessions/{in_b}/delete").status_code == 404
    assert post(bithu1, f"/outreach/sessions/{in_b}/delete").status_code == 404
    assert post(bithu1, f"/outreach/sessions/{in_b}/edit", form(town["a"].id)).status_code == 404
    # A unit outside the scope is not a choice, for a new session or by moving one there.
    assert post(bithu1, "/outreach/sessions/new", form(town["b"].id)).status_code == 400
    assert post(bithu1, f"/outreach/sessions/{in_a}/edit", form(town["b"].id)).status_code == 400
    assert {s.unit_id for s in sessions(app)} == {town["a"].id, town["b"].id} and len(sessions(app)) == 2

    capuy = app.test_client()
    login(capuy, "capuy")
    listing = capuy.get("/outreach/sessions?year=2026").get_data(as_text=True)
    assert "Buổi ở khu phố 1" in listing and "Buổi ở khu phố 2" in listing and "<dd>80</dd>" in listing

    for username in ("an", "tuyentruyen"):
        other = app.test_client()
        login(other, username)
        assert other.get("/outreach/sessions").status_code == 403
        assert post(other, "/outreach/sessions/new", form(town["a"].id)).status_code == 403
        assert post(other, f"/outreach/sessions/{in_a}/delete").status_code == 403
    assert len(sessions(app)) == 2


def test_outreach_session_heads_sums_the_subtree_in_the_dates(ctx, town, make_unit) -> None:
    from flask import current_app

    from learnhub.orgs.models import UnitKind

    app = current_app._get_current_object()
    group = make_unit("Tổ 1", UnitKind.cell, parent=town["a"])
    add(app, town["root"], dt.date(2026, 1, 1), 100)
    add(app, town["a"], dt.date(2026, 6, 30), 20)
    add(app, group, dt.date(2026, 12, 31), 7)
    add(app, town["b"], dt.date(2026, 7, 1), 300)
    add(app, town["a"], dt.date(2025, 12, 31), 1000)
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert outreach_session_heads(town["root"].id, *year) == 100 + 20 + 7 + 300
    assert outreach_session_heads(town["a"].id, *year) == 20 + 7
    assert outreach_session_heads(group.id, *year) == 7
    assert outreach_session_heads(town["a"].id, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == 1000
    assert outreach_session_heads(town["b"].id, dt.date(2026, 1, 1), dt.date(2026, 6, 30)) == 0
