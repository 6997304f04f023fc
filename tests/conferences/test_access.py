"""Every conference route walked as each kind of user, with the statuses the access matrix expects
(the same lines belong in tests/test_access_matrix.py's CASES)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import Role
from learnhub.conferences import attendance
from learnhub.conferences.models import Conference, GuestKind
from learnhub.extensions import db
from tests.conferences.conftest import make_conference
from tests.conftest import login
from tests.test_access_matrix import Case, committee, everyone

CHECK_IN_POST = {"anonymous": 302, "member": 302, "propagandist": 302, "committee_in_scope": 302,
                 "committee_out_of_scope": 403, "admin": 403}  # only the invited (cell A) check in
C = "/conferences"
CASES: dict[str, Case] = {
    "conferences.index": Case("GET", lambda o: f"{C}/", committee(200)),
    "conferences.new": Case("GET", lambda o: f"{C}/new", committee(200)),
    "conferences.show": Case("GET", lambda o: f"{C}/{o['conference']}", committee(200, 404)),
    "conferences.notice": Case("GET", lambda o: f"{C}/{o['conference']}/notice", committee(200, 404)),
    "conferences.notice_docx": Case("GET", lambda o: f"{C}/{o['conference']}/notice.docx", committee(200, 404)),
    "conferences.edit": Case("GET", lambda o: f"{C}/{o['conference']}/edit", committee(200, 404)),
    "conferences.roster": Case("GET", lambda o: f"{C}/{o['conference']}/roster", committee(200, 404)),
    "conferences.roster_state": Case("GET", lambda o: f"{C}/{o['conference']}/roster.json", committee(200, 404)),
    "conferences.screen": Case("GET", lambda o: f"{C}/{o['conference']}/screen", committee(200, 404)),
    "conferences.check_in": Case("GET", lambda o: f"{C}/check-in/{o['token']}", everyone(200)),
    "conferences.confirm_check_in": Case("POST", lambda o: f"{C}/check-in/{o['token']}", CHECK_IN_POST),
    "conferences.mark": Case("POST", lambda o: f"{C}/{o['conference']}/attendance", committee(302, 404),
                             lambda o: {"member": o["hai"].id, "status": "present"}),
    "conferences.add_guest": Case("POST", lambda o: f"{C}/{o['conference']}/guests", committee(302, 404),
                                  lambda o: {"kind": "citizen", "name": "Bà Tư"}),
    "conferences.remove_guest": Case("POST", lambda o: f"{C}/{o['conference']}/guests/{o['guest']}/remove",
                                     committee(302, 404)),
    "conferences.head_counts": Case("POST", lambda o: f"{C}/{o['conference']}/head-counts", committee(302, 404),
                                    lambda o: {"unnamed_civil_servants": "1", "unnamed_citizens": "2"}),
    "conferences.new_token": Case("POST", lambda o: f"{C}/{o['conference']}/token", committee(302, 404)),
    "conferences.cancel": Case("POST", lambda o: f"{C}/{o['conference']}/cancel", committee(302, 404)),
}


@pytest.fixture
def objects(app: Flask, town, make_user) -> dict:
    """Cell A's conference, running now, for cell A, with one guest; "hai" is a member of cell A."""
    hai = make_user(username="hai", unit=town["a"], full_name="Đinh Văn Hải")
    with app.app_context():
        conference_id = make_conference(town["a"].id, [town["a"].id])
        conference = db.session.get(Conference, conference_id)
        guest, _added = attendance.add_guest(conference, kind=GuestKind.civil_servant, name="Ngô Văn Khách")
        db.session.commit()
        return {**town, "hai": hai, "conference": conference_id, "token": conference.check_in_token,
                "guest": guest.id}


def test_members_never_reach_the_organiser_pages(app: Flask, objects: dict, make_user) -> None:
    """A propagandist who presents is still not an organiser."""
    client = app.test_client()
    make_user(Role.propagandist, username="bcv", unit=objects["a"])
    login(client, "bcv")
    assert client.get(f"{C}/{objects['conference']}/roster").status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Conference)) == 1
