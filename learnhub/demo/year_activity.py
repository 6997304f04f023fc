"""The demo town's year: a closed plan, conferences with attendance, outreach, visits and inspections.

Modelled on the seed: eight in-person conferences, nearly everyone studying, outreach to a few
thousand citizens, and two cells that lag behind the 98% target so the evaluation has someone to
remind. Everything is written in bulk and only once (a second `learnhub demo` adds nothing).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
import secrets

import sqlalchemy as sa

from learnhub.auth.models import Category, MemberStatus, User
from learnhub.conferences.models import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    Conference,
    ConferencePresenter,
    ConferenceUnit,
)
from learnhub.courses.models import Course, Lesson, LessonProgress
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.inspections.models import Conclusion, Inspection
from learnhub.orgs.models import Unit
from learnhub.outreach.models import OutreachSession, PublicVisit
from learnhub.plans.models import Criterion, PlanStatus, StudyForm, StudyPlan
from learnhub.plans.services import create_plan, set_status

LOCAL_OFFSET = dt.timedelta(hours=7)  # Asia/Ho_Chi_Minh has no daylight saving
CLOSED_PLAN_TITLE = "Kế hoạch học tập, quán triệt Nghị quyết về nâng cao chất lượng học tập năm {year}"
# cells that lag behind: the share of their roster that completed the closed plan
LAGGING_CELLS = {"Chi bộ Khu phố 6": 0.88, "Chi bộ Trạm Y tế": 0.93}
SESSIONS = [
    ("Ủy ban MTTQ Việt Nam thị trấn", "Tuyên truyền Chỉ thị 05-CT/TW đến các khu dân cư", 412),
    ("Hội Liên hiệp Phụ nữ thị trấn", "Sinh hoạt chuyên đề: học tập và làm theo Bác", 356),
    ("Đoàn Thanh niên thị trấn", "Diễn đàn thanh niên học tập và làm theo Bác", 298),
    ("Hội Nông dân thị trấn", "Tuyên truyền nghị quyết đến hội viên nông dân", 264),
    ("Hội Cựu chiến binh thị trấn", "Nói chuyện chuyên đề về tư tưởng, đạo đức Hồ Chí Minh", 187),
    ("Công đoàn cơ sở thị trấn", "Quán triệt nghị quyết trong đoàn viên công đoàn", 176),
]


def add_year_activity(rng: random.Random, root: Unit, today: dt.date | None = None) -> bool:
    """Add the year's activity once; False when it is already there."""
    today = today or dt.date.today()
    title = CLOSED_PLAN_TITLE.format(year=today.year)
    if db.session.scalar(sa.select(StudyPlan.id).where(StudyPlan.title == title)) is not None:
        return False
    course = db.session.scalar(sa.select(Course).where(Course.slug == "nang-cao-chat-luong-hoc-tap-nghi-quyet"))
    directive = db.session.scalar(sa.select(Course).where(Course.slug == "chi-thi-05-ct-tw"))
    if course is None or directive is None:
        return False
    cells = list(db.session.scalars(sa.select(Unit).where(Unit.parent_id == root.id).order_by(Unit.id)))
    people = db.session.execute(
        sa.select(User.id, User.unit_id, User.category, User.status).where(User.active.is_(True)).order_by(User.id)
    ).all()
    plan = _closed_plan(rng, root, course, cells, people, title, today)
    conferences = _conferences(rng, root, cells, people, plan, today)
    _outreach(rng, root, directive, today)
    _inspections(root, cells, plan, today)
    db.session.flush()
    return bool(conferences)


def _local(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC) - LOCAL_OFFSET


def _closed_plan(rng, root, course, cells, people, title, today) -> StudyPlan:
    """The first half-year's plan on the resolution module, studied and closed (its figures frozen)."""
    opens, due = dt.date(today.year, 3, 1), min(dt.date(today.year, 6, 30), today)
    plan = create_plan(
        unit=root, course=course, title=title, number="09-KH/ĐU", target_units=[root], opens_on=opens, due_on=due,
        issued_on=opens - dt.timedelta(days=10), time_of_day="14 giờ 00",
        criteria=(Criterion.lessons,), form=StudyForm.hybrid,
        purpose="Nâng cao chất lượng học tập, quán triệt nghị quyết; khắc phục tình trạng hình thức, chiếu lệ.",
        presenters="Báo cáo viên của Đảng ủy Thị trấn", place="Hội trường Ủy ban nhân dân Thị trấn",
    )
    lessons = db.session.execute(
        sa.select(Lesson.id, Lesson.minutes).where(Lesson.course_id == course.id, Lesson.archived_at.is_(None))
    ).all()
    lesson_ids = [lesson_id for lesson_id, _ in lessons]
    # what members had already studied of this module, they studied during the plan
    shift = dt.timedelta(days=(today - due).days + 12)
    earlier = [
        dict(id=row.id, first_opened_at=row.first_opened_at - shift, last_seen_at=row.last_seen_at - shift,
             studied_at=row.studied_at - shift if row.studied_at else None)
        for row in db.session.execute(sa.select(
            LessonProgress.id, LessonProgress.first_opened_at, LessonProgress.last_seen_at, LessonProgress.studied_at,
        ).where(LessonProgress.lesson_id.in_(lesson_ids)))
    ]
    if earlier:
        db.session.execute(sa.update(LessonProgress), earlier)
    done = set(db.session.execute(
        sa.select(LessonProgress.user_id, LessonProgress.lesson_id).where(LessonProgress.lesson_id.in_(lesson_ids))
    ).all())
    behind = _left_behind(cells, people, lesson_ids, done)
    rows = []
    for user_id, _unit_id, category, status in people:
        if category == Category.citizen or status != MemberStatus.active or user_id in behind:
            continue
        started = _local(opens + dt.timedelta(days=rng.randint(0, (due - opens).days)), rng.randint(7, 20))
        for lesson_id, minutes in lessons:
            if (user_id, lesson_id) in done:
                continue
            seconds = int(minutes * 60 * rng.uniform(0.6, 1.3))
            rows.append(dict(user_id=user_id, lesson_id=lesson_id, first_opened_at=started, last_seen_at=started,
                             studied_at=started + dt.timedelta(seconds=seconds), seconds_spent=seconds))
            started += dt.timedelta(seconds=seconds + rng.randint(60, 3600))
    if rows:
        db.session.execute(sa.insert(LessonProgress), rows)
    # those studying late in the lagging cells did so after the plan closed
    set_status(plan, PlanStatus.open)
    db.session.flush()
    set_status(plan, PlanStatus.closed)
    return plan


def _left_behind(cells, people, lesson_ids, done) -> set[int]:
    """In the lagging cells, enough of those who had not finished stay unfinished to miss the target."""
    behind: set[int] = set()
    for cell in cells:
        share = LAGGING_CELLS.get(cell.name)
        if share is None:
            continue
        roster = [p for p in people if p.unit_id == cell.id and p.category != Category.citizen
                  and p.status == MemberStatus.active]
        unfinished = [p.id for p in roster if any((p.id, lesson_id) not in done for lesson_id in lesson_ids)]
        behind.update(unfinished[: math.ceil((1 - share) * len(roster))])
    return behind


def _conferences(rng, root, cells, people, plan, today) -> list[int]:
    """Eight in-person conferences of the town in the first ten months, most members present."""
    presenters = list(db.session.scalars(
        sa.select(User.id).where(User.username.in_(["tuyentruyen", "capuy"])).order_by(User.username.desc())))
    open_plan = db.session.scalar(
        sa.select(StudyPlan.id).where(StudyPlan.status == PlanStatus.open, StudyPlan.unit_id == root.id))
    months = [m for m in (1, 2, 3, 4, 5, 7, 9, 10) if dt.date(today.year, m, 10) <= today]
    now = utcnow()
    conference_ids = []
    for number, month in enumerate(months, start=1):
        day = dt.date(today.year, month, 10 + rng.randint(0, 8))
        conference = Conference(
            plan_id=plan.id if month in (3, 4, 5) else open_plan if month >= 9 else None, unit_id=root.id,
            title=f"Hội nghị học tập, quán triệt chuyên đề {number} năm {today.year}",
            starts_at=_local(day, 8), ends_at=_local(day, 11), place="Hội trường Ủy ban nhân dân Thị trấn",
            form=StudyForm.in_person, presenters="Đồng chí Bí thư Đảng ủy; báo cáo viên của Đảng ủy",
            agenda="1. Khai mạc\n2. Quán triệt nội dung chuyên đề\n3. Thảo luận\n4. Bế mạc",
            check_in_token=secrets.token_urlsafe(24), unnamed_civil_servants=rng.randint(0, 6),
            unnamed_citizens=rng.randint(10, 40), created_at=now, updated_at=now,
        )
        conference.invited_units = [ConferenceUnit(unit_id=root.id)]
        conference.presenter_links = [ConferencePresenter(user_id=user_id) for user_id in presenters]
        db.session.add(conference)
        db.session.flush()
        conference_ids.append(conference.id)
        rows = []
        for user_id, _unit_id, category, status in people:
            if status != MemberStatus.active:
                continue
            draw = rng.random()
            attendance = (AttendanceStatus.present if draw < (0.9 if category != Category.citizen else 0.6)
                          else AttendanceStatus.excused if draw < 0.96 else AttendanceStatus.absent)
            rows.append(dict(conference_id=conference.id, user_id=user_id, status=attendance,
                             method=CheckInMethod.self_check_in if rng.random() < 0.4 else CheckInMethod.roster,
                             recorded_at=conference.starts_at + dt.timedelta(minutes=rng.randint(-20, 30))))
        db.session.execute(sa.insert(Attendance), rows)
    return conference_ids


def _outreach(rng, root, directive, today) -> None:
    """Sessions of the mass organisations, and visits to the directive's public page month by month."""
    now = utcnow()
    for index, (organisation, title, heads) in enumerate(SESSIONS):
        month = 2 + index * 1 if 2 + index <= today.month else today.month
        db.session.add(OutreachSession(
            unit_id=root.id, organisation=organisation, title=title, held_on=dt.date(today.year, month, 15),
            place="Nhà văn hóa khu phố", head_count=heads, course_id=directive.id, created_at=now, updated_at=now))
    rows = []
    start = dt.date(today.year, 1, 1)
    for offset in range((today - start).days + 1):
        day = start + dt.timedelta(days=offset)
        for _ in range(rng.randint(0, 5)):
            visitor = hashlib.sha256(f"demo-{day}-{rng.random()}".encode()).hexdigest()
            rows.append(dict(course_id=directive.id, day=day, visitor=visitor))
    if rows:
        db.session.execute(sa.insert(PublicVisit), rows)


def _inspections(root, cells, plan, today) -> None:
    by_name = {cell.name: cell for cell in cells}
    now = utcnow()
    records = [
        ("Chi bộ Khu phố 1", Conclusion.praise, "Tổ chức học tập nghiêm túc; 100% đảng viên hoàn thành.", "", None),
        ("Chi bộ Khu phố 6", Conclusion.remind,
         "Một số đảng viên chưa hoàn thành học tập; thời gian đọc bài ngắn so với yêu cầu.",
         "Tổ chức học bù cho đảng viên chưa hoàn thành; báo cáo kết quả về Đảng ủy.", 30),
        ("Chi bộ Trạm Y tế", Conclusion.remind, "Tỷ lệ học tập chưa đạt chỉ tiêu 98%.",
         "Rà soát danh sách, đôn đốc đảng viên học tập.", -10),
    ]
    for name, conclusion, findings, follow_up, due_in in records:
        cell = by_name.get(name)
        if cell is None:
            continue
        held = min(today, dt.date(today.year, 7, 20))
        db.session.add(Inspection(
            unit_id=cell.id, plan_id=plan.id, held_on=held, inspectors="Ủy ban Kiểm tra Đảng ủy Thị trấn",
            findings=findings, conclusion=conclusion, follow_up=follow_up,
            follow_up_due=(today + dt.timedelta(days=due_in)) if due_in is not None else None,
            created_at=now, updated_at=now))
