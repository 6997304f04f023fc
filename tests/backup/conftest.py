"""A site of its own for each backup test: a seeded database (a SQLite file, or a PostgreSQL database
with a unique name, created and dropped here) and an instance folder."""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask

from learnhub import create_app
from learnhub.auth.models import Category, Role, User
from learnhub.courses.importer import import_course
from learnhub.courses.models import Course, CourseMedia, LessonProgress
from learnhub.extensions import db, migrate
from learnhub.orgs.models import Unit, UnitKind
from tests.backup.alembic_logging import logging_kept
from tests.conftest import course_source, password_hash

MEDIA = bytes(range(256)) * 64  # an uploaded image is stored in the database
ALEMBIC_VERSION = sa.Table("alembic_version", sa.MetaData(), sa.Column("version_num", sa.String(32), primary_key=True))


@pytest.fixture(scope="session")
def seeded_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite: a database file at the newest migration, seeded once, that tests copy. PostgreSQL: a
    database with a unique name (never the shared test database) that each test rebuilds; dropping
    a database forces a checkpoint, far slower than rebuilding the schema."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'seeded.sqlite'}"
        _build(url)
        yield url
        return
    server = sa.make_url(database_url)
    name = f"learnhub_backup_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _build(url: str) -> None:
    """Bring the database to the seeded state: empty the tables (or rebuild a schema that differs)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "tests-only"})
    with app.app_context():
        tables = db.metadata.sorted_tables
        with db.engine.begin() as connection:
            present = set(sa.inspect(connection).get_table_names())
            if present == {t.name for t in tables} | {"alembic_version"}:
                # DELETE, not TRUNCATE: a few rows go faster than new files for every table.
                for table in [ALEMBIC_VERSION, *reversed(tables)]:
                    connection.execute(table.delete())
            elif present:
                connection.execute(sa.text("DROP SCHEMA public CASCADE"))
                connection.execute(sa.text("CREATE SCHEMA public"))
        create_schema()
        seed()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def site_url(seeded_url: str, tmp_path: Path) -> str:
    """A seeded database for one test."""
    seeded = sa.make_url(seeded_url)
    if seeded.get_backend_name() == "sqlite":
        shutil.copyfile(seeded.database, tmp_path / "site.sqlite")
        return f"sqlite:///{tmp_path / 'site.sqlite'}"
    _build(seeded_url)
    return seeded_url


def create_schema() -> None:
    """The newest migration's schema, quicker than running every migration (tests/test_migrations.py
    proves they match) and without Alembic's env.py, which reconfigures logging."""
    db.create_all()
    head = ScriptDirectory.from_config(migrate.get_config()).get_current_head()
    with db.engine.begin() as connection:
        ALEMBIC_VERSION.create(connection, checkfirst=True)
        connection.execute(ALEMBIC_VERSION.insert().values(version_num=head))


@pytest.fixture(autouse=True)
def _logging_kept() -> Iterator[None]:
    with logging_kept():
        yield


def make_site(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Flask:
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    monkeypatch.setenv("LEARNHUB_INSTANCE_PATH", str(instance))
    return create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "tests-only",
        "BACKUP_FOLDER": str(tmp_path / "backups"),
    })


@pytest.fixture
def site(site_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """An app on a schema at the newest migration, holding a town, members, a module and its media."""
    app = make_site(site_url, tmp_path, monkeypatch)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def seed() -> None:
    town = Unit(name="Đảng bộ Thị trấn", kind=UnitKind.committee)
    cell = Unit(name="Chi bộ Khu phố 1", kind=UnitKind.cell, parent=town)
    db.session.add_all([town, cell])
    db.session.flush()
    for n, name in enumerate(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"], start=1):
        user = User(username=f"dv{n}", full_name=name, role=Role.member, unit_id=cell.id,
                    category=Category.party_member)
        user.password_hash = password_hash()
        db.session.add(user)
    import_course(course_source())
    db.session.flush()
    course = db.session.scalars(sa.select(Course)).one()
    db.session.add(CourseMedia(course_id=course.id, path="so-do.png", content_type="image/png",
                               sha256=hashlib.sha256(MEDIA).hexdigest(), data=MEDIA, size=len(MEDIA)))
    first = db.session.scalars(sa.select(User).order_by(User.id)).first()
    opened = dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC)
    db.session.add(LessonProgress(user_id=first.id, lesson_id=course.lessons[0].id, first_opened_at=opened,
                                  last_seen_at=opened, studied_at=opened, seconds_spent=420))
    db.session.commit()


def data_hash(app: Flask) -> str:
    """SHA-256 of every row of every table (the models' and alembic_version), in primary-key order."""
    digest = hashlib.sha256()
    with app.app_context():
        db.session.remove()
        with db.engine.connect() as connection:
            for table in [*db.metadata.sorted_tables, ALEMBIC_VERSION]:
                order = list(table.primary_key.columns) or list(table.columns)
                digest.update(table.name.encode())
                for row in connection.execute(sa.select(table).order_by(*order)):
                    digest.update(repr(tuple(row)).encode())
            names = set(sa.inspect(connection).get_table_names())
        db.engine.dispose()
    assert names == {table.name for table in db.metadata.sorted_tables} | {"alembic_version"}
    return digest.hexdigest()
