"""A province-sized organisation with a year of activity (learnhub/bench/activity.py), written in bulk
for benchmarks.

The tree is province → districts → communes/towns → cells; members carry Vietnamese names in the
three categories; there are modules with lessons and quizzes, open and closed plans, lesson
progress, quiz attempts with their answers, reflections and conference attendance, in proportions
like the demo town's. Rows go in with PostgreSQL's COPY (executemany in chunks on SQLite), never
one ORM object at a time (learnhub/bench/bulk.py). The same seed draws the same organisation and
activity on either database; the time of each step is in the summary.
"""
from __future__ import annotations

import datetime as dt
import random
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from learnhub.auth.models import Category, Gender, MemberStatus, Role, User
from learnhub.bench.activity import activity
from learnhub.bench.bulk import drop_indexes, rebuild_indexes
from learnhub.bench.summary import GenerateSummary, Progress, insert_counted
from learnhub.courses.importer import import_course
from learnhub.courses.models import Course, CourseKind
from learnhub.db import analyze, utcnow
from learnhub.demo.names import random_full_name
from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitKind
from learnhub.plans import upkeep
from learnhub.plans.models import (
    Criterion,
    PlanCourse,
    PlanStatus,
    PlanUnit,
    StudyForm,
    StudyPlan,
)
from learnhub.quizzes.attempts import _paper_entry
from learnhub.quizzes.bank import Bank, QuizSettings
from learnhub.quizzes.kept import rebuild_quiz_figures
from learnhub.quizzes.kinds.base import KindName
from learnhub.quizzes.sync import sync_quiz
from learnhub.text import fold, name_sort_key

CHUNK = 5000
# The tables written in bulk, loaded without their secondary indexes on PostgreSQL (bulk.drop_indexes).
BULK_TABLES = ["user_account", "lesson_progress", "quiz_attempt", "attempt_answer", "reflection", "attendance"]
BENCH_PREFIX = "bench"
LESSONS_PER_MODULE = 4
QUESTIONS_PER_QUIZ = 10


def generate(
    *, members: int, units: int, plans: int, seed: int = 1, today: dt.date | None = None,
    progress: Progress = lambda label, n: None,
) -> GenerateSummary:
    """Build the organisation; commits as it goes (the data is for benchmarks, not a transaction)."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    summary = GenerateSummary()
    # The kept figures are held back while the rows go in (the loads commit as they go) and
    # computed once, at the end, from the raw rows: the step "kept figures".
    with _exit_timed(upkeep.suspended(), summary, "kept figures"):
        with summary.step("units"):
            cells = _tree(rng, units, summary)
            db.session.commit()
        progress("units", summary.units)
        with summary.step("indexes dropped"):
            deferred = drop_indexes(BULK_TABLES)
        try:
            with summary.step("members"):
                member_ids = _members(rng, members, cells, summary, progress)
                db.session.commit()
            with summary.step("modules and plans"):
                courses = _courses(rng, max(2, min(plans, 6)), cells[0][1])
                summary.courses = len(courses)
                db.session.commit()
                plan_rows = _plans(rng, plans, courses, cells, today, summary)
                db.session.commit()
            activity(rng, member_ids, courses, plan_rows, cells, today, summary, progress)
        finally:
            with summary.step("indexes rebuilt"):
                rebuild_indexes(deferred)
            progress("indexes rebuilt", len(deferred))
        with summary.step("statistics after the load"):
            analyze()  # closing a plan snapshots its whole roster: the planner must know the tables' sizes
        with summary.step("plans opened and closed"):
            _open_and_close(plan_rows, progress)
    db.session.commit()
    progress("kept figures", 1)
    with summary.step("kept quiz figures"):
        progress("kept quiz figures", rebuild_quiz_figures())  # the attempts went in in bulk
        db.session.commit()
    with summary.step("statistics at the end"):
        analyze()  # the kept figures' tables are new too
    progress("statistics refreshed", 1)
    return summary


@contextmanager
def _exit_timed(manager: Any, summary: GenerateSummary, name: str) -> Iterator[None]:
    """``with manager:`` around the block, the work ``manager`` does on leaving timed as step ``name``."""
    manager.__enter__()
    try:
        yield
    except BaseException:
        if not manager.__exit__(*sys.exc_info()):
            raise
    else:
        with summary.step(name):
            manager.__exit__(None, None, None)


def _tree(rng: random.Random, units: int, summary: GenerateSummary) -> list[tuple[int, int]]:
    """A province, districts, communes and cells: ``units`` in all (at least 4). Returns (cell id, root id)."""
    now = utcnow()
    root = Unit(name=f"Đảng bộ tỉnh ({BENCH_PREFIX} {secrets.token_hex(2)})", kind=UnitKind.committee)
    db.session.add(root)
    db.session.flush()
    remaining = max(units - 1, 3)
    districts = max(1, round(remaining ** (1 / 3)))
    communes = max(districts, round(remaining ** (2 / 3) / 2))
    cell_count = max(1, remaining - districts - communes)
    district_ids = _bulk_units([(f"Đảng bộ huyện {i + 1}", UnitKind.committee, root.id) for i in range(districts)], now)
    commune_ids = _bulk_units([(f"Đảng bộ xã {i + 1}", UnitKind.committee, district_ids[i % districts])
                               for i in range(communes)], now)
    cell_ids = _bulk_units([(f"Chi bộ {i + 1}", UnitKind.cell, commune_ids[i % communes]) for i in range(cell_count)], now)
    summary.units = 1 + districts + communes + cell_count
    return [(cell_id, root.id) for cell_id in cell_ids]


def _bulk_units(specs: list[tuple[str, UnitKind, int]], now: dt.datetime) -> list[int]:
    marker = secrets.token_hex(4)
    rows = [dict(name=f"{name} ·{marker}", kind=kind, parent_id=parent, created_at=now, updated_at=now)
            for name, kind, parent in specs]
    for start in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(Unit), rows[start:start + CHUNK])
    ids = list(db.session.scalars(sa.select(Unit.id).where(Unit.name.endswith(f" ·{marker}")).order_by(Unit.id)))
    db.session.execute(sa.update(Unit).where(Unit.id.in_(ids)).values(
        name=sa.func.substr(Unit.name, 1, sa.func.length(Unit.name) - len(marker) - 2)))
    return ids


def _members(rng, count, cells, summary, progress) -> list[int]:
    password_hash = generate_password_hash(secrets.token_urlsafe(12))  # nobody signs in as these
    now = utcnow()
    prefix = f"{BENCH_PREFIX}{secrets.token_hex(3)}-"

    keys: dict[str, tuple[str, str]] = {}  # names repeat: fold and sort each once

    def rows():
        for n in range(count):
            full_name, gender = random_full_name(rng)
            draw = rng.random()
            category = Category.party_member if draw < 0.62 else Category.civil_servant if draw < 0.9 else Category.citizen
            if full_name not in keys:
                keys[full_name] = (fold(full_name), name_sort_key(full_name))
            search_name, sort_key = keys[full_name]
            yield dict(username=f"{prefix}{n}", full_name=full_name, search_name=search_name,
                       sort_key=sort_key, category=category, role=Role.member,
                       unit_id=cells[n % len(cells)][0], active=True,
                       status=MemberStatus.exempted if rng.random() < 0.03 else MemberStatus.active,
                       gender=Gender(gender), password_hash=password_hash, created_at=now, updated_at=now)

    insert_counted(User, rows(), progress, "members", summary)
    summary.members = count
    return list(db.session.scalars(sa.select(User.id).where(User.username.startswith(prefix)).order_by(User.id)))


@dataclass
class BenchCourse:
    course_id: int
    lessons: list[tuple[int, int]]  # (lesson id, minutes)
    quiz_id: int
    paper: list[dict[str, Any]]
    max_score: float


def _courses(rng: random.Random, count: int, root_id: int) -> list[BenchCourse]:
    from learnhub.courses.format import CourseSource, LessonSource
    from learnhub.quizzes.bank import Choice, Question

    made = []
    token = secrets.token_hex(3)
    for i in range(count):
        source = CourseSource(
            slug=f"{BENCH_PREFIX}-{token}-{i + 1}", title=f"Học tập, quán triệt Nghị quyết số {i + 1:02d}-NQ/TW",
            kind=CourseKind.resolution, summary="Học phần dùng để đo hiệu năng.",
            intro_markdown="Giới thiệu học phần.\n",
            lessons=[LessonSource(slug=f"bai-{n}", position=n, title=f"Bài {n}", minutes=rng.choice([8, 10, 15]),
                                  key_points=[f"Ý chính của bài {n}"], body_markdown=f"Nội dung bài {n}.\n" * 20)
                     for n in range(1, LESSONS_PER_MODULE + 1)],
        )
        import_course(source)
        course = db.session.scalars(sa.select(Course).where(Course.slug == source.slug)).one()
        course.owner_unit_id = root_id
        questions = [Question(id=f"q{n}", kind=KindName.single, stem=f"Câu hỏi số {n}?",
                              choices=[Choice("a", "Phương án đúng", 1.0), Choice("b", "Phương án sai", 0.0),
                                       Choice("c", "Phương án khác", 0.0)])
                     for n in range(1, QUESTIONS_PER_QUIZ + 1)]
        quiz = sync_quiz(course, Bank(QuizSettings(pass_score=70), questions))
        assert quiz is not None
        paper = [_paper_entry(q.data, False, rng) for q in quiz.active_questions]
        lessons = [(lesson.id, lesson.minutes) for lesson in course.active_lessons]
        made.append(BenchCourse(course.id, lessons, quiz.id, paper, float(len(paper))))
    return made


def _plans(rng, count, courses, cells, today, summary) -> list[tuple[StudyPlan, bool]]:
    """Plans of the year for the whole province: the first half closed, the rest open."""
    root_id = cells[0][1]
    made = []
    for i in range(count):
        closed = i < count // 2
        opens = dt.date(today.year, 1 + (i % 6), 1)
        due = opens + dt.timedelta(days=60) if closed else dt.date(today.year, 12, 31)
        plan = StudyPlan(
            unit_id=root_id, title=f"Kế hoạch học tập số {i + 1}", issued_on=opens,
            modules=[PlanCourse(course_id=courses[i % len(courses)].course_id, position=0)],
            categories=[Category.party_member.value, Category.civil_servant.value], opens_on=opens, due_on=due,
            criteria=[Criterion.lessons.value, Criterion.quiz.value], all_required=True, form=StudyForm.online,
            status=PlanStatus.draft,
        )
        plan.target_units = [PlanUnit(unit_id=root_id)]
        db.session.add(plan)
        made.append((plan, closed))
    db.session.flush()
    summary.plans = count
    return made


def _open_and_close(plans: list[tuple[StudyPlan, bool]], progress: Progress) -> None:
    """Open every plan through the service, and close the first half (closing snapshots the roster)."""
    from learnhub.plans.services import set_status

    for plan, closed in plans:
        set_status(plan, PlanStatus.open)
        if closed:
            set_status(plan, PlanStatus.closed)
        db.session.commit()
        progress("plans opened or closed", 1)
