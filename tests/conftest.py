"""Fixtures: an app on a temporary database (SQLite, or PostgreSQL when
LEARNHUB_TEST_DATABASE_URL is set), clients, and factories for units, users and courses."""
from __future__ import annotations

import fcntl
import functools
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from learnhub import create_app
from learnhub.auth.models import Category, Role, User
from learnhub.courses.format import CourseSource, LessonSource
from learnhub.courses.importer import import_course
from learnhub.courses.models import Course, CourseKind
from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitKind

PASSWORD = "mat-khau-thu-nghiem"
# Every sequence a test drew from back to 1, as TRUNCATE ... RESTART IDENTITY does (pg_sequences
# shows last_value NULL for a sequence never drawn from since).
RESTART_SEQUENCES = sa.text(
    "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false) FROM pg_sequences"
    " WHERE schemaname = current_schema() AND last_value IS NOT NULL"
)
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@functools.cache
def password_hash() -> str:
    """One hash of PASSWORD for every test user: hashing is deliberately slow."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD)


# pytest-xdist's worker ("gw0", "gw1", ...) or "" when the tests run in one process.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def pytest_configure(config: pytest.Config) -> None:
    # The app must never write into the checkout's instance folder during tests; each xdist
    # worker gets its own, so two workers never race to write the same secret key file.
    instance = Path(config.rootpath, ".pytest_cache", "instance")
    if WORKER:
        os.environ["LEARNHUB_INSTANCE_PATH"] = str(instance / WORKER)
    else:
        os.environ.setdefault("LEARNHUB_INSTANCE_PATH", str(instance))


def recreate_database(url: sa.URL, name: str, *, drop_only: bool = False) -> None:
    """Drop the PostgreSQL database ``name`` on ``url``'s server (and create it anew unless
    ``drop_only``), through the ``postgres`` maintenance database so it works on a clean server.

    Its commits do not wait for the disk (synchronous_commit off): every test commits, and a
    committed row is as visible to the other connections as before; only a crash of the server
    itself could lose the last few, which no test does."""
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if not drop_only:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
                connection.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite: a file in this process's temporary folder. PostgreSQL: LEARNHUB_TEST_DATABASE_URL, or,
    under pytest-xdist, a database of the worker's own beside it ("<name>_gw0"), dropped afterwards."""
    url = os.environ.get("LEARNHUB_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'learnhub-test.sqlite'}"
        return
    if not WORKER:
        yield url
        return
    base = sa.make_url(url)
    name = f"{base.database}_{WORKER}"
    recreate_database(base, name)
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        recreate_database(base, name, drop_only=True)


def reset_schema(engine: sa.Engine) -> None:
    """An empty database: on PostgreSQL the whole public schema, on SQLite every table."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        else:
            metadata = sa.MetaData()
            metadata.reflect(connection)
            metadata.drop_all(connection)


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "tests-only-secret",
            "PUBLIC_URL": "http://localhost",
        }
    )
    with app.app_context():
        reset_schema(db.engine)
        db.create_all()  # tests only: the app itself always migrates
    yield app
    with app.app_context():
        db.session.remove()
        reset_schema(db.engine)
        db.engine.dispose()


@pytest.fixture(scope="session")
def _second_database(database_url: str) -> Iterator[str | None]:
    """PostgreSQL: a second database beside this worker's ("<name>_empty"), created once; None on SQLite."""
    if database_url.startswith("sqlite"):
        yield None
        return
    url = sa.make_url(database_url)
    name = f"{url.database}_empty"
    recreate_database(url, name)
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        recreate_database(url, name, drop_only=True)


@pytest.fixture
def empty_database_url(_second_database: str | None, tmp_path: Path) -> str:
    """A second, empty database of the same kind, for migrations and first-run commands.

    On PostgreSQL its schema is dropped and made anew for each test (any connection a previous
    test left is closed first): dropping the database itself forces a checkpoint, seconds each."""
    if _second_database is None:
        return f"sqlite:///{tmp_path / 'empty.sqlite'}"
    engine = sa.create_engine(_second_database, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ))
        reset_schema(engine)
    finally:
        engine.dispose()
    return _second_database


@pytest.fixture
def fresh_app(empty_database_url: str) -> Iterator[Flask]:
    """An app on an empty database that has never been migrated."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x"})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _machine_to_itself(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Under pytest-xdist, a test marked ``xdist_group("load")`` (gunicorn under load, workers killed,
    the benchmark harness: each timed against its own budget) waits for the other workers' tests
    to end and has the machine to itself; the other tests run side by side.

    A reader-writer lock on two files of this run's temporary folder: a waiting load test holds the
    turnstile, so the other workers cannot keep it out by starting test after test."""
    if not WORKER:
        yield
        return
    group = request.node.get_closest_marker("xdist_group")
    alone = group is not None and group.args[:1] == ("load",)
    folder = tmp_path_factory.getbasetemp().parent  # shared by this run's workers only
    with open(folder / "machine.turnstile", "a") as turnstile, open(folder / "machine.lock", "a") as lock:
        fcntl.flock(turnstile, fcntl.LOCK_EX)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        finally:
            fcntl.flock(turnstile, fcntl.LOCK_UN)
        yield  # the lock is released as its file closes


def empty_tables() -> None:
    """Delete every row, children first, and count ids from 1 again (inside an app context)."""
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        if db.engine.dialect.name == "postgresql":
            connection.execute(RESTART_SEQUENCES)


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts from empty tables and ids counting from 1 (tests may commit, as the views do).

    DELETE, children first, rather than TRUNCATE: PostgreSQL's TRUNCATE makes new files for every
    table, over a second per test on a busy machine, where deleting the few rows a test wrote takes
    milliseconds."""
    yield
    if "app" not in request.fixturenames:
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        empty_tables()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An app context for tests that call services directly."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def without_tokens(html: str) -> str:
    """The page with its long random values (the CSRF token, hashed asset names) blanked: a test
    that looks for a leaked number must not find it by chance inside one."""
    return re.sub(r'"[A-Za-z0-9_\-./?=&]{20,}"', '""', html)


def csrf_token(client: FlaskClient, url: str = "/login") -> str:
    """The CSRF token a page gives the browser (every page carries it in a meta tag)."""
    html = client.get(url, follow_redirects=True).get_data(as_text=True)
    match = CSRF_META.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD, **extra: str):
    token = csrf_token(client, "/login")
    data = {"username": username, "password": password, "csrf_token": token, **extra}
    return client.post("/login", data=data)


def post(client: FlaskClient, url: str, data: dict | None = None, **kwargs):
    """POST a form the way the browser does, with the page's CSRF token."""
    token = csrf_token(client, "/")
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def persist(app: Flask, obj):
    """Commit ``obj`` in a short app context and hand it back detached with its columns loaded.

    Tests then use the client without an outer app context, as a browser would.
    """
    with app.app_context():
        db.session.add(obj)
        db.session.commit()
        db.session.refresh(obj)
        db.session.expunge(obj)
    return obj


@pytest.fixture
def make_unit(app: Flask) -> Callable[..., Unit]:
    def make(name: str = "Chi bộ Khu phố 1", kind: UnitKind = UnitKind.cell, parent: Unit | None = None) -> Unit:
        return persist(app, Unit(name=name, kind=kind, parent_id=parent.id if parent else None))

    return make


@pytest.fixture
def make_user(app: Flask, make_unit: Callable[..., Unit]) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(
        role: Role = Role.member,
        *,
        username: str | None = None,
        full_name: str = "Nguyễn Văn An",
        unit: Unit | None = None,
        category: Category = Category.party_member,
        active: bool = True,
        password: str = PASSWORD,
    ) -> User:
        if unit is None:
            with app.app_context():
                unit_id = db.session.scalar(sa.select(Unit.id).order_by(Unit.id))
            unit_id = unit_id or make_unit().id
        else:
            unit_id = unit.id
        user = User(
            username=username or f"{role.value}{next(counter)}",
            full_name=full_name,
            role=role,
            unit_id=unit_id,
            category=category,
            active=active,
        )
        if password == PASSWORD:
            user.password_hash = password_hash()
        else:
            user.set_password(password)
        return persist(app, user)

    return make


def course_source(slug: str = "nghi-quyet-thu", lessons: int = 3, **overrides) -> CourseSource:
    """A valid course as the folder reader would give it."""
    values = dict(
        slug=slug,
        title="Học tập Nghị quyết thử nghiệm",
        kind=CourseKind.resolution,
        summary="Tóm tắt học phần.",
        intro_markdown="Giới thiệu **học phần**.\n",
        lessons=[
            LessonSource(
                slug=f"bai-{n}",
                position=n,
                title=f"Bài {n}",
                minutes=10,
                key_points=[f"Ý chính của bài {n}"],
                body_markdown=f"Nội dung bài {n}.\n",
            )
            for n in range(1, lessons + 1)
        ],
    )
    values.update(overrides)
    return CourseSource(**values)


@pytest.fixture
def make_course(app: Flask) -> Callable[..., Course]:
    def make(slug: str = "nghi-quyet-thu", lessons: int = 3, **overrides) -> Course:
        with app.app_context():
            import_course(course_source(slug, lessons, **overrides))
            db.session.commit()
            course = db.session.scalars(sa.select(Course).where(Course.slug == slug)).one()
            course.lessons  # noqa: B018  (load the lessons before detaching)
            db.session.expunge_all()
        return course

    return make


@pytest.fixture
def assign(app: Flask) -> Callable[[User, Unit], None]:
    """Make ``user`` responsible for ``unit`` (their scope becomes its subtree)."""
    from learnhub.orgs.models import UnitAssignment

    def make(user: User, unit: Unit) -> None:
        persist(app, UnitAssignment(user_id=user.id, unit_id=unit.id))

    return make


@pytest.fixture
def town(make_unit, make_user, assign) -> dict:
    """A town committee with two cells, a committee member for each cell and one for the town."""
    root = make_unit("Đảng bộ Thị trấn", UnitKind.committee)
    cell_a = make_unit("Chi bộ Khu phố 1", UnitKind.cell, parent=root)
    cell_b = make_unit("Chi bộ Khu phố 2", UnitKind.cell, parent=root)
    town_committee = make_user(Role.committee, username="capuy", unit=root, full_name="Trần Văn Hùng")
    secretary_a = make_user(Role.committee, username="bithu1", unit=cell_a, full_name="Lê Thị Lan")
    secretary_b = make_user(Role.committee, username="bithu2", unit=cell_b, full_name="Phạm Văn Nam")
    assign(town_committee, root)
    assign(secretary_a, cell_a)
    assign(secretary_b, cell_b)
    return {
        "root": root, "a": cell_a, "b": cell_b, "capuy": town_committee,
        "bithu1": secretary_a, "bithu2": secretary_b,
        "admin": make_user(Role.admin, username="admin", unit=root, full_name="Quản trị"),
        "member_a": make_user(username="an", unit=cell_a, full_name="Nguyễn Văn An"),
        "member_b": make_user(username="binh", unit=cell_b, full_name="Hoàng Thị Bình"),
        "propagandist": make_user(Role.propagandist, username="tuyentruyen", unit=cell_a, full_name="Vũ Minh Tâm"),
    }


@pytest.fixture
def make_quiz(app: Flask, make_course):
    """The test course with a quiz of ``count`` questions of every kind (tests/quiz_factory.py)."""
    from learnhub.quizzes.bank import Bank, QuizSettings
    from learnhub.quizzes.models import Quiz
    from learnhub.quizzes.sync import sync_quiz
    from tests.quiz_factory import sample_questions

    def make(count: int = 12, **settings):
        make_course()
        with app.app_context():
            course = db.session.scalars(sa.select(Course)).one()
            options = {"pass_score": 80, "shuffle": True, **settings}
            sync_quiz(course, Bank(QuizSettings(**options), sample_questions(count)))
            db.session.commit()
            quiz = db.session.scalars(sa.select(Quiz)).one()
            quiz.questions  # noqa: B018
            db.session.expunge_all()
            return quiz

    return make


@pytest.fixture
def count_queries(app: Flask):
    """Count the SQL statements run inside the ``with`` block: catches queries in loops (N+1)."""
    import contextlib

    @contextlib.contextmanager
    def counter():
        statements: list[str] = []

        def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)

    return counter
