"""The conference figures of a unit and a year, against a hand-built year."""
from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from learnhub.auth.models import Category, User
from learnhub.conferences import attendance, check_in, services
from learnhub.conferences.figures import conference_figures
from learnhub.conferences.models import AttendanceStatus, Conference, GuestKind
from learnhub.extensions import db
from learnhub.orgs.models import UnitKind
from learnhub.plans.models import StudyForm
from tests.conferences.conftest import make_conference

LOCAL = dt.timezone(dt.timedelta(hours=7))
YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
MID_YEAR = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)


@pytest.fixture
def year(app: Flask, town, make_user, make_unit) -> dict:
    """Three conferences held in 2026 by the town and cell A, and four that do not count."""
    citizen = make_user(unit=town["a"], full_name="Lý Thị Dân", category=Category.citizen, username="dan")
    servant = make_user(unit=town["a"], full_name="Mai Văn Chức", category=Category.civil_servant, username="chuc")
    elsewhere = make_unit("Đảng bộ Xã", UnitKind.committee)
    with app.app_context():
        users = {key: db.session.get(User, town[key].id) for key in ("member_a", "member_b", "propagandist",
                                                                        "bithu1", "bithu2", "capuy")}
        users["citizen"], users["servant"] = db.session.get(User, citizen.id), db.session.get(User, servant.id)
        root, a, b = town["root"].id, town["a"].id, town["b"].id

        def held(unit, local_start, form, present=(), excused=(), guests=(), civil=0, citizens=0, invited=None):
            conference_id = make_conference(unit, invited or [root], starts_at=local_start.astimezone(dt.UTC), form=form)
            conference = db.session.get(Conference, conference_id)
            for key in present:
                attendance.mark(conference, users[key], AttendanceStatus.present, by=users["capuy"])
            for key in excused:
                attendance.mark(conference, users[key], AttendanceStatus.excused, by=users["capuy"])
            for kind, name, organisation in guests:
                attendance.add_guest(conference, kind=kind, name=name, organisation=organisation)
            attendance.set_head_counts(conference, civil_servants=civil, citizens=citizens)
            db.session.commit()
            return conference

        cs, cit = GuestKind.civil_servant, GuestKind.citizen
        held(root, dt.datetime(2026, 3, 10, 8, tzinfo=LOCAL), StudyForm.in_person,
             present=("member_a", "member_b", "propagandist", "citizen"), excused=("bithu1",),
             guests=((cs, "Ngô Văn Khách", "Phòng Tư pháp"), (cs, "", ""), (cit, "Bà Tư", "")), civil=3, citizens=10)
        held(a, dt.datetime(2026, 5, 2, 14, tzinfo=LOCAL), StudyForm.online, present=("member_a", "servant"),
             guests=((cs, "Ngô Văn Khách", "Phòng Tư pháp"),), citizens=5, invited=[a])
        # half an hour into 2026 in Hanoi, still 2025 in UTC: counts in 2026
        held(root, dt.datetime(2026, 1, 1, 0, 30, tzinfo=LOCAL), StudyForm.in_person, present=("bithu2",))
        # do not count: the evening before (2025 in Hanoi), cancelled, after "now", another organisation
        held(root, dt.datetime(2025, 12, 31, 23, 30, tzinfo=LOCAL), StudyForm.hybrid, present=("member_a",), civil=7)
        cancelled = held(b, dt.datetime(2026, 6, 1, 8, tzinfo=LOCAL), StudyForm.hybrid, present=("member_b",),
                         invited=[b], citizens=9)
        services.cancel_conference(cancelled)
        db.session.commit()
        held(root, dt.datetime(2026, 9, 1, 8, tzinfo=LOCAL), StudyForm.in_person, present=("member_a",), civil=5)
        held(elsewhere.id, dt.datetime(2026, 4, 1, 8, tzinfo=LOCAL), StudyForm.online, citizens=50,
             invited=[elsewhere.id])
    return town


def test_the_figures_of_the_town_for_the_year(app: Flask, year) -> None:
    with app.app_context():
        figures = conference_figures(year["root"].id, *YEAR, now=MID_YEAR)
    assert figures.conferences_total == 3
    assert figures.by_form == {"online": 1, "in_person": 2, "hybrid": 0}
    # by name: an, binh, tuyentruyen, chuc (civil servant), bithu2 = 5; the named guest once although
    # he came twice; the unnamed guest row; 3 unnamed civil servants
    assert figures.participants == 5 + 1 + 1 + 3
    assert figures.member_attendances == 3 + 2 + 1  # the citizen and the excused secretary are not members present
    assert figures.civil_servant_guests == 3 + 3  # three guest rows and three unnamed
    assert figures.citizen_attendances == 1 + 1 + 15  # a citizen with an account, a citizen guest, 10 + 5 unnamed
    assert figures.attendances == 12
    assert figures.as_dict()["participants"] == 10


def test_a_cell_counts_its_own_conferences_and_the_range_is_respected(app: Flask, year) -> None:
    with app.app_context():
        cell = conference_figures(year["a"].id, *YEAR, now=MID_YEAR)
        spring = conference_figures(year["root"].id, dt.date(2026, 1, 2), dt.date(2026, 3, 31), now=MID_YEAR)
        before_may = conference_figures(year["root"].id, *YEAR, now=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
        whole_year_later = conference_figures(year["root"].id, *YEAR, now=dt.datetime(2027, 1, 5, tzinfo=dt.UTC))
        empty = conference_figures(year["b"].id, *YEAR, now=MID_YEAR)
    assert (cell.conferences_total, cell.participants, cell.member_attendances, cell.civil_servant_guests,
            cell.citizen_attendances) == (1, 3, 2, 1, 5)
    assert spring.conferences_total == 1 and spring.participants == 3 + 2 + 3  # 10 March only
    assert before_may.conferences_total == 2  # the May conference had not been held yet
    assert whole_year_later.conferences_total == 4 and whole_year_later.civil_servant_guests == 6 + 5
    assert (empty.conferences_total, empty.participants, empty.citizen_attendances) == (0, 0, 0)
    assert empty.by_form == {"online": 0, "in_person": 0, "hybrid": 0}


def test_self_check_ins_count_like_roster_marks(app: Flask, year) -> None:
    with app.app_context():
        conference_id = make_conference(year["b"].id, [year["b"].id], starts_at=dt.datetime(2026, 6, 10, 1, tzinfo=dt.UTC))
        conference = db.session.get(Conference, conference_id)
        check_in.check_in(conference, db.session.get(User, year["member_b"].id), conference.starts_at)
        db.session.commit()
        figures = conference_figures(year["b"].id, *YEAR, now=MID_YEAR)
    assert (figures.conferences_total, figures.participants, figures.member_attendances) == (1, 1, 1)
