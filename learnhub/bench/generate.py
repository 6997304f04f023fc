"""A province-sized organisation with a year of activity, written in bulk for benchmarks.

The tree is province → districts → communes/towns → cells; members carry Vietnamese names in the
three categories; there are modules with lessons and quizzes, open and closed plans, lesson
progress, quiz attempts with their answers, reflections and conference attendance, in proportions
like the demo town's. Rows go in with PostgreSQL's COPY (executemany in chunks on SQLite), never
one ORM object at a time (learnhub/bench/bulk.py). The same seed draws the same organisation and
activity on either database; the time of each step is in the summary.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import secrets
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from learnhub.auth.models import Category, Gender, MemberStatus, Role, User
from learnhub.bench.bulk import drop_indexes, insert_rows, rebuild_indexes
from learnhub.conferences.models import Attendance, AttendanceStatus, Conference, ConferenceUnit
from learnhub.courses.importer import import_course
from learnhub.courses.models import Course, CourseKind, LessonProgress
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
    Reflection,
    ReflectionStatus,
    StudyForm,
    StudyPlan,
)
from learnhub.quizzes.attempts import _paper_entry
from learnhub.quizzes.bank import Bank, QuizSettings
from learnhub.quizzes.kept import rebuild_quiz_figures
from learnhub.quizzes.kinds.base import KindName
from learnhub.quizzes.models import AttemptAnswer, AttemptStatus, QuizAttempt
from learnhub.quizzes.sync import sync_quiz
from learnhub.text import fold, name_sort_key

CHUNK = 5000
# The tables written in bulk, loaded without their secondary indexes on PostgreSQL (bulk.drop_indexes).
BULK_TABLES = ["user_account", "lesson_progress", "quiz_attempt", "attempt_answer", "reflection", "attendance"]
ANSWERS_PER_COPY = 100_000  # attempts and their answers go in turns (answers need their attempts first)
BENCH_PREFIX = "bench"
LESSONS_PER_MODULE = 4
QUESTIONS_PER_QUIZ = 10


@dataclass
class GenerateSummary:
    units: int = 0
    members: int = 0
    courses: int = 0
    plans: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # each step's wall time, in order
    # The CPU seconds this process and the database's server processes spent: on a machine others
    # share, the wall time says how busy it was, the CPU time what the generation itself costs.
    cpu: dict[str, float] = field(default_factory=dict)
    database_cpu: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the block as step ``name``."""
        started, cpu, database = time.perf_counter(), time.process_time(), _database_cpu()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - started, 2)
            self.cpu[name] = round(self.cpu.get(name, 0.0) + time.process_time() - cpu, 2)
            if database is not None and (after := _database_cpu()) is not None:
                self.database_cpu[name] = round(self.database_cpu.get(name, 0.0) + after - database, 2)


def _database_cpu() -> float | None:
    """CPU seconds used so far by this database's PostgreSQL server processes, when the server runs
    on this machine (read from /proc); None elsewhere."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    try:
        pids = db.session.scalars(sa.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                                          " AND backend_type = 'client backend'")).all()
        db.session.commit()
    except sa.exc.SQLAlchemyError:  # a step that failed: its own error is the one to see
        return None
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


Progress = Callable[[str, int], None]


def _insert(model: Any, rows: Iterable[dict[str, Any]], progress: Progress, label: str, summary: GenerateSummary) -> None:
    done = summary.rows.get(label, 0)

    def report(written: int) -> None:
        summary.rows[label] = done + written
        progress(label, done + written)

    insert_rows(model, rows, report)


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
            _activity(rng, member_ids, courses, plan_rows, cells, today, summary, progress)
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

    _insert(User, rows(), progress, "members", summary)
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


def _activity(rng, member_ids, courses, plans, cells, today, summary, progress) -> None:
    # Activity from New Year to the start of ``today``: the span, hence every draw, depends on the
    # seed and the day only, not on the second the run started.
    year_start = dt.datetime(today.year, 1, 1, tzinfo=dt.UTC)
    span = max(1, int((dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC) - year_start).total_seconds()))

    def when() -> dt.datetime:
        return year_start + dt.timedelta(seconds=rng.randrange(span))

    def progress_rows():
        for user_id in member_ids:
            for course in courses:
                draw = rng.random()
                done = len(course.lessons) if draw < 0.7 else rng.randint(1, len(course.lessons)) if draw < 0.9 else 0
                started = when()
                for lesson_id, minutes in course.lessons[:done]:
                    seconds = int(minutes * 60 * rng.uniform(0.15, 1.4))
                    studied = started + dt.timedelta(seconds=seconds)
                    yield dict(user_id=user_id, lesson_id=lesson_id, first_opened_at=started, last_seen_at=studied,
                               studied_at=studied, seconds_spent=seconds, year=started.year)
                    started = studied

    with summary.step("lesson progress"):
        _insert(LessonProgress, progress_rows(), progress, "lesson progress", summary)
        db.session.commit()
    with summary.step("quiz attempts and answers"):
        _attempts(rng, member_ids, courses, when, summary, progress)
    with summary.step("reflections"):
        _reflections(rng, member_ids, plans, when, summary, progress)
    with summary.step("conferences and attendance"):
        _conferences(rng, member_ids, cells, when, summary, progress)
        db.session.commit()


def _open_and_close(plans: list[tuple[StudyPlan, bool]], progress: Progress) -> None:
    """Open every plan through the service, and close the first half (closing snapshots the roster)."""
    from learnhub.plans.services import set_status

    for plan, closed in plans:
        set_status(plan, PlanStatus.open)
        if closed:
            set_status(plan, PlanStatus.closed)
        db.session.commit()
        progress("plans opened or closed", 1)


def _next_id(model: Any) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def _fix_sequence(table: str) -> None:
    """After rows with explicit ids, PostgreSQL's sequence must move past them."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))


def _attempts(rng, member_ids, courses, when, summary, progress) -> None:
    """Half the members sit each quiz, some twice; answers graded as the server would."""
    attempt_id = _next_id(QuizAttempt)
    attempts: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []

    def flush() -> None:
        summary.rows["quiz attempts"] = summary.rows.get("quiz attempts", 0) + insert_rows(QuizAttempt, attempts)
        summary.rows["answers"] = summary.rows.get("answers", 0) + insert_rows(AttemptAnswer, answers)
        progress("quiz attempts", summary.rows["quiz attempts"])
        attempts.clear()
        answers.clear()

    for user_id in member_ids:
        for course in courses:
            if rng.random() > 0.5:
                continue
            skill = rng.uniform(0.4, 0.98)
            for number in (1, 2):
                started = when()
                score = 0
                for entry in course.paper:
                    right = rng.random() < skill
                    choice = "a" if right else rng.choice(["b", "c"])
                    score += int(right)
                    answers.append(dict(attempt_id=attempt_id, attempt_year=started.year, qid=entry["qid"], response=choice, response_key=choice,
                                        saved_at=started, fraction=float(right), score=float(right)))
                percent = 100 * score / course.max_score
                attempts.append(dict(
                    id=attempt_id, year=started.year, quiz_id=course.quiz_id, user_id=user_id, number=number, bank_version=1,
                    status=AttemptStatus.submitted, started_at=started, deadline=None,
                    submitted_at=started + dt.timedelta(minutes=rng.randint(3, 15)), late=False, paper=course.paper,
                    pass_score=70, review="always", score=float(score), max_score=course.max_score, percent=percent,
                    passed=percent >= 70))
                attempt_id += 1
                if percent >= 70 or rng.random() < 0.5:
                    break
            if len(answers) >= ANSWERS_PER_COPY:
                flush()
    flush()
    _fix_sequence("quiz_attempt")
    db.session.commit()


def _reflections(rng, member_ids, plans, when, summary, progress) -> None:
    plan_ids = [plan.id for plan, _closed in plans]  # read before the rows stream (bulk.insert_rows)

    def rows():
        for plan_id in plan_ids:
            for user_id in member_ids:
                if rng.random() < 0.1:
                    submitted = when()
                    yield dict(plan_id=plan_id, user_id=user_id, learned="Nội dung đã học được.",
                               application="Vận dụng vào công việc.", commitment="Cam kết thực hiện.",
                               status=ReflectionStatus.accepted, submitted_at=submitted, reviewed_at=submitted,
                               review_comment="")

    _insert(Reflection, rows(), progress, "reflections", summary)
    db.session.commit()


def _conferences(rng, member_ids, cells, when, summary, progress) -> None:
    """Each commune holds two conferences for its cells; about 80% of their members attend."""
    cell_parent: dict[int, int] = {
        cell_id: parent_id for cell_id, parent_id in db.session.execute(
            sa.select(Unit.id, Unit.parent_id).where(Unit.id.in_([cell_id for cell_id, _ in cells])))
        if parent_id is not None
    }
    communes = sorted(set(cell_parent.values()))
    by_commune: dict[int, list[int]] = {}
    members_by_unit: dict[int, list[int]] = {}
    # The generated members have consecutive ids: a range, not 100,000 bound parameters (PostgreSQL takes 65,535).
    for user_id, unit_id in db.session.execute(
            sa.select(User.id, User.unit_id).where(User.id.between(member_ids[0], member_ids[-1]))):
        members_by_unit.setdefault(unit_id, []).append(user_id)
    for cell_id, parent in cell_parent.items():
        by_commune.setdefault(parent, []).extend(members_by_unit.get(cell_id, []))
    conference_id = _next_id(Conference)
    conferences, invited, attendance = [], [], []
    now = utcnow()
    for commune in communes:
        for n in range(2):
            starts = when()
            conferences.append(dict(id=conference_id, unit_id=commune, title=f"Hội nghị quán triệt số {n + 1}",
                                    starts_at=starts, ends_at=starts + dt.timedelta(hours=3), place="Hội trường",
                                    form=StudyForm.in_person, presenters="", agenda="",
                                    check_in_token=secrets.token_urlsafe(16), unnamed_civil_servants=0,
                                    unnamed_citizens=rng.randint(0, 30), created_at=now, updated_at=now))
            invited.append(dict(conference_id=conference_id, unit_id=commune))
            for user_id in by_commune.get(commune, []):
                if rng.random() < 0.8:
                    attendance.append(dict(conference_id=conference_id, user_id=user_id,
                                           status=AttendanceStatus.present, recorded_at=starts))
            conference_id += 1
    for model, rows, label in ((Conference, conferences, "conferences"), (ConferenceUnit, invited, "invitations"),
                               (Attendance, attendance, "attendance")):
        summary.rows[label] = insert_rows(model, rows)
        progress(label, len(rows))
    _fix_sequence("conference")
    db.session.commit()


