"""Tables partitioned by year: on a migrated database (PostgreSQL partitions, SQLite plain tables),
rows take the year of their creation, uniqueness holds across years, and old answers can be forgotten
while attempts and rates stay (docs/partitions.md)."""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from learnhub.auth.models import Category, Role, User
from learnhub.courses.importer import import_course
from learnhub.courses.models import Course, Lesson, LessonProgress
from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitKind
from learnhub.partitions import ensure_year, partitions
from learnhub.quizzes import analysis, attempts
from learnhub.quizzes.bank import Bank, QuizSettings
from learnhub.quizzes.models import AttemptAnswer, Quiz, QuizAttempt
from learnhub.quizzes.sync import sync_quiz
from learnhub.study.services import record_lesson_opened
from tests.conftest import course_source
from tests.quiz_factory import sample_questions

THIS_YEAR = dt.datetime.now(dt.UTC).year
BEFORE_PARTITIONED = "96e45948d97c"


@dataclass
class World:
    user_id: int
    lesson_id: int
    quiz_id: int

    def user(self) -> User:
        return db.session.get_one(User, self.user_id)

    def lesson(self) -> Lesson:
        return db.session.get_one(Lesson, self.lesson_id)

    def quiz(self) -> Quiz:
        return db.session.get_one(Quiz, self.quiz_id)


@pytest.fixture
def world(fresh_app: Flask) -> Iterator[World]:
    """A database migrated to head holding a member and a module with a quiz."""
    with fresh_app.app_context():
        upgrade()
        unit = Unit(name="Chi bộ Khu phố 1", kind=UnitKind.cell)
        db.session.add(unit)
        db.session.flush()
        user = User(username="an", full_name="Nguyễn Văn An", role=Role.member, unit_id=unit.id,
                    category=Category.party_member, active=True)
        db.session.add(user)
        import_course(course_source())
        course = db.session.scalars(sa.select(Course)).one()
        sync_quiz(course, Bank(QuizSettings(pass_score=50, shuffle=False), sample_questions(4)))
        db.session.commit()
        made = World(user.id, course.lessons[0].id, db.session.scalars(sa.select(Quiz.id)).one())
        db.session.remove()  # no transaction left open: a test migrates this database again
    yield made


def at(year: int, month: int = 3) -> dt.datetime:
    return dt.datetime(year, month, 1, 8, 0, tzinfo=dt.UTC)


def sit(world: World, when: dt.datetime, right: bool = True) -> QuizAttempt:
    """One graded attempt started at ``when``: every answer right (or every one wrong)."""
    attempt = attempts.start_attempt(world.user(), world.quiz(), now=when)
    db.session.flush()
    wanted = "a" if right else "b"  # the paper shows choices by tokens of its own
    answers = {entry["qid"]: next(token for token, choice in entry["choices"].items() if choice == wanted)
               for entry in attempt.paper if entry["qid"].startswith("chon")}
    attempts.submit_attempt(attempt, answers, now=when + dt.timedelta(minutes=5))
    db.session.commit()
    return attempt


def partition_of(table: str, key: str, row_id: int) -> str:
    return db.session.scalar(sa.text(f"SELECT tableoid::regclass::text FROM {table} WHERE {key} = :id"), {"id": row_id})


postgresql_only = pytest.mark.skipif(
    not os.environ.get("LEARNHUB_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="SQLite has no partitions: the same tables are plain there")


def test_rows_take_the_year_they_were_created_in(world: World, fresh_app: Flask) -> None:
    with fresh_app.app_context():
        progress = record_lesson_opened(world.user(), world.lesson(), now=at(2027))
        db.session.commit()
        attempt = sit(world, at(2027, 12))
        assert progress.year == 2027
        assert attempt.year == 2027
        answers = db.session.scalars(sa.select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id)).all()
        assert answers and {answer.attempt_year for answer in answers} == {2027}
        # Studied again a year later: the same row, not a second one in the new year.
        record_lesson_opened(world.user(), world.lesson(), now=at(2028))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 1


def test_one_row_per_member_and_lesson_across_years(world: World, fresh_app: Flask) -> None:
    with fresh_app.app_context():
        record_lesson_opened(world.user(), world.lesson(), now=at(2026))
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(sa.insert(LessonProgress).values(
                user_id=world.user_id, lesson_id=world.lesson_id, first_opened_at=at(2027),
                last_seen_at=at(2027), seconds_spent=0, year=2027))
        db.session.rollback()
        attempt = sit(world, at(2026))
        with pytest.raises(IntegrityError):  # the attempt number is the member's, whatever the year
            db.session.execute(sa.insert(QuizAttempt).values(
                quiz_id=world.quiz_id, user_id=world.user_id, number=attempt.number, bank_version=1,
                started_at=at(2027), paper=[], pass_score=50, review="always", max_score=1, year=2027))
        db.session.rollback()


@postgresql_only
def test_partitions_exist_after_upgrade(world: World, fresh_app: Flask) -> None:
    with fresh_app.app_context():
        names = {p["name"] for p in partitions(db.session.connection())}
        for table in ("lesson_progress", "quiz_attempt", "attempt_answer"):
            assert {f"{table}_{THIS_YEAR}", f"{table}_{THIS_YEAR + 1}", f"{table}_default"} <= names


@postgresql_only
def test_a_row_of_2027_lands_in_its_partition(world: World, fresh_app: Flask) -> None:
    with fresh_app.app_context():
        ensure_year(db.session.connection(), 2027)
        progress = record_lesson_opened(world.user(), world.lesson(), now=at(2027))
        db.session.commit()
        attempt = sit(world, at(2027))
        assert partition_of("lesson_progress", "id", progress.id) == "lesson_progress_2027"
        assert partition_of("quiz_attempt", "id", attempt.id) == "quiz_attempt_2027"
        assert partition_of("attempt_answer", "attempt_id", attempt.id) == "attempt_answer_2027"


@postgresql_only
def test_the_default_partition_catches_an_odd_year_until_its_partitions_are_made(world: World, fresh_app: Flask) -> None:
    with fresh_app.app_context():
        progress = record_lesson_opened(world.user(), world.lesson(), now=at(1999))
        db.session.commit()
        attempt = sit(world, at(1999))
        assert partition_of("lesson_progress", "id", progress.id) == "lesson_progress_default"
        assert partition_of("attempt_answer", "attempt_id", attempt.id) == "attempt_answer_default"

        created = ensure_year(db.session.connection(), 1999)
        db.session.commit()
        assert created == ["lesson_progress_1999", "quiz_attempt_1999", "attempt_answer_1999"]
        assert partition_of("lesson_progress", "id", progress.id) == "lesson_progress_1999"
        assert partition_of("quiz_attempt", "id", attempt.id) == "quiz_attempt_1999"
        assert partition_of("attempt_answer", "attempt_id", attempt.id) == "attempt_answer_1999"
        assert db.session.scalar(sa.text("SELECT count(*) FROM attempt_answer_default")) == 0


def test_forgetting_old_answers_drops_their_year_and_leaves_every_rate(world: World, fresh_app: Flask) -> None:
    with fresh_app.app_context():
        ensure_year(db.session.connection(), 2019)
        db.session.commit()
        old = sit(world, at(2019), right=False)
        recent = sit(world, at(THIS_YEAR))
        before = analysis.summary(world.quiz())
        best_before = attempts.standing(world.user(), world.quiz()).best
        assert best_before is not None
        runner = fresh_app.test_cli_runner()

        dry = runner.invoke(args=["quiz", "forget-answers", "--dry-run", "--format", "json"])
        assert dry.exit_code == 0, dry.output
        assert '"by_year": {"2019": 4}' in dry.stdout
        result = runner.invoke(args=["quiz", "forget-answers", "--yes"])
        assert result.exit_code == 0, result.output
        db.session.expire_all()

        left = db.session.execute(sa.select(AttemptAnswer.attempt_id).distinct()).scalars().all()
        assert left == [recent.id]
        assert db.session.get(QuizAttempt, old.id) is not None
        assert analysis.summary(world.quiz()) == before
        best_after = attempts.standing(world.user(), world.quiz()).best
        assert best_after is not None and best_after.id == best_before.id
        if db.engine.dialect.name == "postgresql":
            names = {p["name"] for p in partitions(db.session.connection())}
            assert "attempt_answer_2019" not in names and "quiz_attempt_2019" in names


def test_rows_survive_downgrade_and_upgrade_again(world: World, fresh_app: Flask) -> None:
    with fresh_app.app_context():
        record_lesson_opened(world.user(), world.lesson(), now=at(2025))
        db.session.commit()
        attempt_id = sit(world, at(2027)).id
        columns = {
            "lesson_progress": "id, user_id, lesson_id, first_opened_at, studied_at, seconds_spent",
            "quiz_attempt": "id, user_id, quiz_id, number, started_at, percent, passed",
            "attempt_answer": "id, attempt_id, qid, response_key, fraction, score",
        }

        def rows() -> dict[str, list[sa.Row]]:
            with db.engine.connect() as connection:
                return {table: list(connection.execute(sa.text(f"SELECT {c} FROM {table} ORDER BY id")).all())
                        for table, c in columns.items()}

        before = rows()
        db.session.remove()
        downgrade(revision=BEFORE_PARTITIONED)
        assert rows() == before
        upgrade()
        assert rows() == before
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT DISTINCT attempt_year FROM attempt_answer")).scalars().all() == [2027]
            assert connection.scalar(sa.text("SELECT year FROM lesson_progress")) == 2025
            if connection.dialect.name == "postgresql":
                found = connection.scalar(sa.text("SELECT tableoid::regclass::text FROM quiz_attempt WHERE id = :id"),
                                          {"id": attempt_id})
                assert found == "quiz_attempt_2027"
