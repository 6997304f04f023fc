"""A hand-built year 2026 for the town: members of every category, four plans (three count),
conferences with attendance and guests, outreach sessions and public-page visits.

The expected figures are worked out by hand in EXPECTED, from the definitions in docs/metrics.md.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import Category, Role
from learnhub.conferences.models import (
    Attendance,
    AttendanceStatus,
    Conference,
    ConferenceGuest,
    GuestKind,
)
from learnhub.courses.models import Course, Lesson, LessonProgress
from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitKind
from learnhub.outreach.models import OutreachSession, PublicVisit
from learnhub.plans.models import Criterion, PlanStatus
from learnhub.plans.services import create_plan, set_status

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
STUDIED = dt.datetime(2026, 2, 10, 3, 0, tzinfo=dt.UTC)
EVERYONE = (Category.party_member, Category.civil_servant, Category.citizen)

# Worked out by hand (see the comments in the fixture).
EXPECTED = {
    "conferences": 3, "by_form": {"in_person": 2, "online": 1, "hybrid": 0},
    "participants": 10, "member_attendances": 7, "civil_servant_guests": 6, "citizens_at_conferences": 18,
    "sessions": 1280, "public_visits": 42, "outreach": 1340,
    "roster": 21, "completed": 18, "headline": (19, 16), "citizens": (2, 2),
}


def study(course_slug: str, *user_ids: int) -> None:
    """Mark every lesson of the module studied by these members."""
    lessons = db.session.scalars(sa.select(Lesson.id).join(Course).where(Course.slug == course_slug)).all()
    for user_id in user_ids:
        for lesson_id in lessons:
            db.session.add(LessonProgress(user_id=user_id, lesson_id=lesson_id, first_opened_at=STUDIED,
                                          last_seen_at=STUDIED, studied_at=STUDIED, seconds_spent=600))


def at(day: str, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=LOCAL)


def conference(unit_id: int, day: str, form: str = "in_person", **values) -> Conference:
    held = Conference(unit_id=unit_id, title=f"Hội nghị {day}", starts_at=at(day), ends_at=at(day, 11), form=form,
                      check_in_token=f"token-{unit_id}-{day}", **values)
    db.session.add(held)
    db.session.flush()
    return held


def present(held: Conference, *user_ids: int, status: AttendanceStatus = AttendanceStatus.present) -> None:
    for user_id in user_ids:
        db.session.add(Attendance(conference_id=held.id, user_id=user_id, status=status))


@pytest.fixture
def year(app: Flask, town: dict, make_unit, make_user, make_course) -> dict:
    """Town ⊃ Khu phố 1 (a), Khu phố 2 (b), Khu phố 3 (c, nobody); another commune outside.

    Active members, beyond the town fixture's (capuy, admin at the town; bithu1, an, tuyentruyen in a;
    bithu2, binh in b, all party members): a civil servant and a citizen in a and in b.
    """
    c = make_unit("Chi bộ Khu phố 3", UnitKind.cell, parent=town["root"])
    other = make_unit("Đảng bộ Xã Bên", UnitKind.committee)
    people = dict(town)
    people.update(
        a_cs=make_user(username="cc_a", unit=town["a"], full_name="Đỗ Văn Công", category=Category.civil_servant),
        a_cit=make_user(username="dan_a", unit=town["a"], full_name="Mai Thị Dân", category=Category.citizen),
        b_cs=make_user(username="cc_b", unit=town["b"], full_name="Lý Văn Chức", category=Category.civil_servant),
        b_cit=make_user(username="dan_b", unit=town["b"], full_name="Tô Thị Chúng", category=Category.citizen),
        outsider=make_user(Role.member, username="ngoai", unit=other, full_name="Người Xã Bên"),
    )
    for slug in ("chi-thi-05", "nghi-quyet-21", "ket-luan-01", "nghi-quyet-nam-truoc"):
        make_course(slug=slug, lessons=2)
    ids = {key: value.id for key, value in people.items() if hasattr(value, "username")}
    with app.app_context():
        root, a, b, cell_c = (db.session.get(Unit, u.id) for u in (town["root"], town["a"], town["b"], c))
        courses = {course.slug: course for course in db.session.scalars(sa.select(Course))}
        courses["chi-thi-05"].owner_unit_id = root.id
        courses["nghi-quyet-21"].owner_unit_id = a.id
        courses["ket-luan-01"].owner_unit_id = other.id

        def plan(slug, title, due, targets, status=PlanStatus.open, **values):
            made = create_plan(unit=root, course=courses[slug], title=title, opens_on=dt.date(due.year, 1, 1),
                               due_on=due, target_units=targets, criteria=(Criterion.lessons,), **values)
            if status != PlanStatus.draft:
                set_status(made, PlanStatus.open)
            return made

        # Plan 1 (town, 98%): roster town 2 + a 4 + b 3 = 9 party members and civil servants; 8 completed
        # (all but admin). Per unit: town 1/2, a 4/4, b 3/3.
        p1 = plan("chi-thi-05", "Học tập Chỉ thị 05", dt.date(2026, 6, 30), [root], number="15-KH/ĐU")
        study("chi-thi-05", ids["capuy"], ids["bithu1"], ids["member_a"], ids["propagandist"], ids["a_cs"],
              ids["bithu2"], ids["member_b"], ids["b_cs"])
        # Plan 2 (cells a and b, citizens too, 90%): a 3/5 (an, a_cs, a_cit), b 4/4 → 7/9;
        # party members and civil servants 5/7, citizens 2/2. Chi bộ Khu phố 1 lags (60% < 90%).
        p2 = plan("nghi-quyet-21", "Học tập Nghị quyết 21", dt.date(2026, 10, 31), [a, b], categories=EVERYONE,
                  target_rate=0.9)
        study("nghi-quyet-21", ids["member_a"], ids["a_cs"], ids["a_cit"], ids["bithu2"], ids["member_b"],
              ids["b_cs"], ids["b_cit"])
        # Plan 3 (cell b, closed): 3/3 frozen; binh's study is removed after closing and must still count.
        p3 = plan("ket-luan-01", "Học tập Kết luận 01", dt.date(2026, 3, 31), [b])
        study("ket-luan-01", ids["bithu2"], ids["member_b"], ids["b_cs"])
        db.session.flush()
        set_status(p3, PlanStatus.closed)
        db.session.flush()
        db.session.execute(sa.delete(LessonProgress).where(
            LessonProgress.user_id == ids["member_b"],
            LessonProgress.lesson_id.in_(sa.select(Lesson.id).where(Lesson.course_id == courses["ket-luan-01"].id))))
        # Not counted: a draft plan, a plan of 2025, and a plan for Khu phố 3 where nobody is to study.
        plan("chi-thi-05", "Bản nháp", dt.date(2026, 5, 1), [root], status=PlanStatus.draft)
        plan("nghi-quyet-nam-truoc", "Kế hoạch năm trước", dt.date(2025, 12, 31), [root])
        plan("nghi-quyet-nam-truoc", "Kế hoạch Khu phố 3", dt.date(2026, 9, 30), [cell_c])

        # Conferences of 2026 held by the town or below: 2 in person, 1 online.
        c1 = conference(root.id, "2026-03-10", unnamed_civil_servants=3, unnamed_citizens=10)
        present(c1, ids["member_a"], ids["member_b"], ids["a_cs"], ids["a_cit"])
        present(c1, ids["bithu1"], status=AttendanceStatus.excused)
        db.session.add_all([
            ConferenceGuest(conference_id=c1.id, kind=GuestKind.civil_servant, name="Trần Văn Khách", organisation="UBND"),
            ConferenceGuest(conference_id=c1.id, kind=GuestKind.citizen),
        ])
        c2 = conference(a.id, "2026-05-05")
        present(c2, ids["member_a"], ids["propagandist"])
        db.session.add_all([
            ConferenceGuest(conference_id=c2.id, kind=GuestKind.civil_servant, name="Trần Văn Khách", organisation="UBND"),
            ConferenceGuest(conference_id=c2.id, kind=GuestKind.civil_servant),
        ])
        c3 = conference(b.id, "2026-09-01", form="online", unnamed_citizens=5)
        present(c3, ids["member_b"], ids["b_cs"], ids["b_cit"])
        # Not counted: last year's, a cancelled one, another commune's.
        present(conference(root.id, "2025-12-20"), ids["capuy"])
        present(conference(root.id, "2026-04-04", cancelled_at=at("2026-04-01")), ids["capuy"])
        present(conference(other.id, "2026-04-04"), ids["outsider"])
        # participants: an, binh, a_cs, tuyentruyen, b_cs (5) + Trần Văn Khách once (1) + the unnamed
        # guest row (1) + 3 unnamed = 10; attendances 7 + guests (1 + 2 + 3) = 13;
        # citizens: a_cit, b_cit (2) + citizen guest (1) + 10 + 5 unnamed = 18.

        db.session.add_all([
            OutreachSession(unit_id=root.id, organisation="Ủy ban MTTQ thị trấn", title="Tuyên truyền Chỉ thị 05",
                            held_on=dt.date(2026, 4, 1), head_count=1200),
            OutreachSession(unit_id=b.id, organisation="Hội Phụ nữ", title="Tuyên truyền Nghị quyết 21",
                            held_on=dt.date(2026, 8, 1), head_count=80),
            OutreachSession(unit_id=root.id, organisation="Đoàn Thanh niên", title="Năm trước",
                            held_on=dt.date(2025, 8, 1), head_count=999),
            OutreachSession(unit_id=other.id, organisation="MTTQ xã", title="Xã bên",
                            held_on=dt.date(2026, 8, 1), head_count=500),
        ])
        # Public visits: 30 + 12 in 2026 to the town's and cell a's modules; last year's and the other
        # commune's module do not count.
        visits = [(courses["chi-thi-05"].id, dt.date(2026, 1 + n % 12, 1 + n % 28), f"v{n}") for n in range(30)]
        visits += [(courses["nghi-quyet-21"].id, dt.date(2026, 11, 1 + n), "v") for n in range(12)]
        visits += [(courses["chi-thi-05"].id, dt.date(2025, 5, 1 + n), "v") for n in range(5)]
        visits += [(courses["ket-luan-01"].id, dt.date(2026, 5, 1 + n), "v") for n in range(7)]
        db.session.add_all(PublicVisit(course_id=course, day=day, visitor=visitor) for course, day, visitor in visits)
        db.session.commit()
        plans = {"p1": p1.id, "p2": p2.id, "p3": p3.id}
    return {**people, "c": c, "other": other, **plans}
