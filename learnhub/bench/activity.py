"""A year of activity for ``learnhub bench generate``'s members: lesson progress, quiz attempts with
their answers graded as the server would, reflections, and conferences with their attendance, each
drawn from the seed and written in bulk (learnhub/bench/bulk.py)."""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import sqlalchemy as sa

from learnhub.auth.models import User
from learnhub.bench.bulk import insert_rows
from learnhub.bench.summary import insert_counted
from learnhub.conferences.models import Attendance, AttendanceStatus, Conference, ConferenceUnit
from learnhub.courses.models import LessonProgress
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.plans.models import Reflection, ReflectionStatus, StudyForm
from learnhub.quizzes.models import AttemptAnswer, AttemptStatus, QuizAttempt

ANSWERS_PER_COPY = 100_000  # attempts and their answers go in turns (answers need their attempts first)


def activity(rng, member_ids, courses, plans, cells, today, summary, progress) -> None:
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
        insert_counted(LessonProgress, progress_rows(), progress, "lesson progress", summary)
        db.session.commit()
    with summary.step("quiz attempts and answers"):
        _attempts(rng, member_ids, courses, when, summary, progress)
    with summary.step("reflections"):
        _reflections(rng, member_ids, plans, when, summary, progress)
    with summary.step("conferences and attendance"):
        _conferences(rng, member_ids, cells, when, summary, progress)
        db.session.commit()


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

    insert_counted(Reflection, rows(), progress, "reflections", summary)
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
