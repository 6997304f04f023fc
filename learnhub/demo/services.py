"""Builds the demo organisation; safe to run again (it only adds what is missing)."""
from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from learnhub.auth.models import Category, Gender, MemberStatus, Role, User
from learnhub.courses.importer import check_paths
from learnhub.courses.models import Course, Lesson, LessonProgress
from learnhub.db import utcnow
from learnhub.demo.contest_activity import add_contest
from learnhub.demo.names import random_full_name
from learnhub.demo.quiz_activity import add_quiz_attempts
from learnhub.demo.year_activity import add_year_activity
from learnhub.extensions import db
from learnhub.members.services import unique_username
from learnhub.orgs.assignments import assign
from learnhub.orgs.models import Unit, UnitKind
from learnhub.orgs.services import get_or_create_unit
from learnhub.plans.models import PlanStatus, StudyPlan
from learnhub.plans.services import create_plan, set_status
from learnhub.quizzes.attempts import AttemptRefused
from learnhub.resources import resource_dir
from learnhub.text import fold, name_sort_key

ROOT_NAME = "Đảng bộ Thị trấn"
# (name, kind, people): 401 in the cells plus two accounts of the town committee make the
# seed's 403.
CELLS = [
    ("Chi bộ Khu phố 1", UnitKind.cell, 45),
    ("Chi bộ Khu phố 2", UnitKind.cell, 41),
    ("Chi bộ Khu phố 3", UnitKind.cell, 43),
    ("Chi bộ Khu phố 4", UnitKind.cell, 38),
    ("Chi bộ Khu phố 5", UnitKind.cell, 36),
    ("Chi bộ Khu phố 6", UnitKind.cell, 33),
    ("Chi bộ Cơ quan Ủy ban nhân dân", UnitKind.cell, 36),
    ("Chi bộ Trường THCS Thị trấn", UnitKind.cell, 34),
    ("Chi bộ Trường Tiểu học Thị trấn", UnitKind.cell, 32),
    ("Chi bộ Trường Mầm non Thị trấn", UnitKind.cell, 25),
    ("Chi bộ Công an Thị trấn", UnitKind.cell, 22),
    ("Chi bộ Trạm Y tế", UnitKind.cell, 16),
]
DEMO_ACCOUNTS = [
    # username, full name, role, cell index (None: the town committee), category
    ("admin", "Quản trị hệ thống", Role.admin, None, Category.civil_servant),
    ("capuy", "Trần Văn Hùng", Role.committee, None, Category.party_member),
    ("tuyentruyen", "Lê Thị Thu Hà", Role.propagandist, 6, Category.party_member),
    ("dangvien", "Nguyễn Văn An", Role.member, 0, Category.party_member),
]


@dataclass
class DemoSummary:
    units: int
    members_created: int
    courses: list[str]


def build_demo(password: str, seed: int = 2021) -> DemoSummary:
    """Create the town, its cells, the demo accounts and members, import the shipped courses."""
    rng = random.Random(seed)
    root = get_or_create_unit(ROOT_NAME, UnitKind.committee, None)
    cells = [get_or_create_unit(name, kind, root) for name, kind, _ in CELLS]
    password_hash = generate_password_hash(password)
    taken = set(db.session.scalars(sa.select(User.username)))
    for username, full_name, role, cell, category in DEMO_ACCOUNTS:
        if username not in taken:
            unit = root if cell is None else cells[cell]
            db.session.add(
                User(username=username, full_name=full_name, role=role, category=category,
                     unit=unit, password_hash=password_hash)
            )
            taken.add(username)
    db.session.flush()
    _assign_committee(root)
    created = _add_members(rng, cells, password_hash, taken)
    slugs = _import_shipped_courses()
    if created:
        _add_progress(rng, created)
        _or_skip("quiz attempts", add_quiz_attempts, rng, created)
    _or_skip("the open plan", _add_open_plan, root)
    _or_skip("the year's activity", add_year_activity, rng, root)
    _or_skip("the online contest", add_contest, rng, root)
    return DemoSummary(units=len(cells) + 1, members_created=len(created), courses=slugs)


def _or_skip(what: str, step: Callable[..., object], *args: object) -> None:
    """Run an optional step in a savepoint; when the database refuses it (a quiz with no attempts
    left, a plan the rules refuse), undo just that step and say so on stderr."""
    try:
        with db.session.begin_nested():
            step(*args)
    except (AttemptRefused, ValueError) as refused:
        print(f"demo: {what} skipped: {type(refused).__name__}: {refused}", file=sys.stderr)


def _add_members(
    rng: random.Random, cells: list[Unit], password_hash: str, taken: set[str]
) -> list[int]:
    """Fill each cell up to its size, in bulk; returns the ids of the members created."""
    counts = dict(
        db.session.execute(
            sa.select(User.unit_id, sa.func.count(User.id))
            .where(User.unit_id.in_([c.id for c in cells]))
            .group_by(User.unit_id)
        ).tuples().all()
    )
    rows = []
    now = utcnow()
    for cell, (_, _, size) in zip(cells, CELLS, strict=True):
        for _ in range(size - counts.get(cell.id, 0)):
            full_name, gender = random_full_name(rng)
            username = unique_username(full_name, taken)
            born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 52))
            status = MemberStatus.exempted if born.year < 1958 and rng.random() < 0.5 else MemberStatus.active
            draw = rng.random()
            category = (
                Category.party_member if draw < 0.62
                else Category.civil_servant if draw < 0.9 else Category.citizen
            )
            rows.append(dict(username=username, full_name=full_name, category=category,
                             search_name=fold(full_name), sort_key=name_sort_key(full_name),
                             role=Role.member, unit_id=cell.id, active=True, status=status,
                             birth_date=born, gender=Gender(gender), phone=f"09{rng.randint(10**7, 10**8 - 1)}",
                             password_hash=password_hash, created_at=now, updated_at=now))
    if not rows:
        return []
    db.session.execute(sa.insert(User), rows)
    return list(db.session.scalars(sa.select(User.id).where(User.username.in_([r["username"] for r in rows]))))


DEMO_PLAN_TITLE = "Kế hoạch học tập, quán triệt Chỉ thị số 05-CT/TW năm " + str(dt.date.today().year)


def _add_open_plan(root: Unit) -> None:
    """An open plan for the whole town on the directive module, due later this year."""
    if db.session.scalar(sa.select(StudyPlan.id).where(StudyPlan.title == DEMO_PLAN_TITLE)) is not None:
        return
    course = db.session.scalars(sa.select(Course).where(Course.slug == "chi-thi-05-ct-tw")).one()
    today = dt.date.today()
    opens_on = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=30))
    cells = db.session.scalars(sa.select(Unit).where(Unit.parent_id == root.id).order_by(Unit.name).limit(2)).all()
    plan = create_plan(
        unit=root, course=course, title=DEMO_PLAN_TITLE, number="15-KH/ĐU", target_units=[root],
        issued_on=opens_on - dt.timedelta(days=7), opens_on=opens_on,
        due_on=min(dt.date(today.year, 12, 31), today + dt.timedelta(days=20)),
        purpose="Giúp cán bộ, đảng viên nắm vững nội dung Chỉ thị số 05-CT/TW; mỗi đồng chí xây dựng kế hoạch "
                "làm theo gắn với nhiệm vụ được giao.",
        requirements="Học tập nghiêm túc, đầy đủ; tránh hình thức, chiếu lệ; mỗi đảng viên viết bài thu hoạch.",
        content="Những nội dung cơ bản của Chỉ thị số 05-CT/TW và liên hệ thực tiễn của Thị trấn.",
        presenters="Báo cáo viên của Đảng ủy Thị trấn", time_of_day="7 giờ 30",
        place="Hội trường Ủy ban nhân dân Thị trấn",
        decoration="Treo cờ Đảng, cờ Tổ quốc, tượng Bác; băng rôn tên hội nghị; bố trí âm thanh, màn chiếu.",
        tasks=[(root, "Văn phòng Đảng ủy chuẩn bị tài liệu, hội trường; theo dõi, tổng hợp kết quả.")]
              + [(cell, "Chi ủy tổ chức cho đảng viên học tập, viết bài thu hoạch; báo cáo kết quả về Đảng ủy.")
                 for cell in cells],
        responsible_id=db.session.scalar(sa.select(User.id).where(User.username == "capuy")),
    )
    set_status(plan, PlanStatus.open)


def _assign_committee(root: Unit) -> None:
    """The demo committee member oversees the whole town; the propagandist writes for it."""
    committee = db.session.scalar(sa.select(User).where(User.username == "capuy"))
    if committee is not None:
        assign(committee, root)
    # the town's propagandist belongs to a cell and writes the town's modules
    propagandist = db.session.scalar(sa.select(User).where(User.username == "tuyentruyen"))
    if propagandist is not None:
        assign(propagandist, root)


def _import_shipped_courses() -> list[str]:
    """Import the shipped modules, leaving alone any that were edited in the browser."""
    from learnhub.authoring.publishing import import_folder, is_diverged

    reports, problems = check_paths([resource_dir("courses")])
    bad = problems + [p for r in reports for p in r.errors]
    if bad:
        raise RuntimeError("the shipped courses have errors:\n" + "\n".join(map(str, bad)))
    root_id = db.session.scalar(sa.select(Unit.id).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    slugs = []
    for report in reports:
        assert report.source is not None
        existing = db.session.scalar(sa.select(Course).where(Course.slug == report.source.slug))
        if existing is not None and is_diverged(existing):
            print(f"{existing.slug}: edited in the browser, left as it is", file=sys.stderr)
        else:
            import_folder(report, owner_unit_id=root_id if existing is None else None)
        slugs.append(report.source.slug)
    return slugs


def _add_progress(rng: random.Random, member_ids: list[int]) -> None:
    """Put some members part-way through the courses, with plausible reading times."""
    lessons = db.session.execute(
        sa.select(Lesson.id, Lesson.minutes, Lesson.course_id)
        .join(Course)
        .where(Lesson.archived_at.is_(None))
        .order_by(Lesson.course_id, Lesson.position)
    ).all()
    by_course: dict[int, list[tuple[int, int]]] = {}
    for lesson_id, minutes, course_id in lessons:
        by_course.setdefault(course_id, []).append((lesson_id, minutes))
    now = utcnow()
    rows = []
    for member_id in member_ids:
        for course_lessons in by_course.values():
            draw = rng.random()  # most have studied everything, some are part-way, a few not started
            done = len(course_lessons) if draw < 0.75 else rng.randint(0, len(course_lessons)) if draw < 0.95 else 0
            started = now - dt.timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
            for lesson_id, minutes in course_lessons[:done]:
                seconds = int(minutes * 60 * rng.uniform(0.5, 1.4))
                studied = started + dt.timedelta(seconds=seconds)
                rows.append(dict(user_id=member_id, lesson_id=lesson_id, first_opened_at=started,
                                 last_seen_at=studied, studied_at=studied, seconds_spent=seconds))
                started = studied + dt.timedelta(minutes=rng.randint(1, 90))
    if rows:
        db.session.execute(sa.insert(LessonProgress), rows)
