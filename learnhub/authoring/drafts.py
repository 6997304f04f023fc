"""A module's draft is its course folder held in the database, one row per file.

The browser edits these files and the command line imports and exports them, so both are views
of the same thing (learnhub.authoring.publishing checks, publishes and imports them). Every save
adds a revision; nothing is overwritten. A lesson keeps the file name it was imported with.
"""
from __future__ import annotations

import datetime as dt
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from learnhub.auth.models import User
from learnhub.authoring.models import DraftFile, Revision, RevisionKind
from learnhub.courses.format import LESSON_FILE_RE
from learnhub.courses.frontmatter import FrontMatterError, split_front_matter
from learnhub.courses.models import Course, CourseMedia
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.text import fold

COURSE_FILE = "course.md"
QUIZ_FILES = ("quiz.md", "quiz.gift")
LESSON_PREFIX = "lesson:"
# Autosaves by one author within this window replace each other, so history stays readable.
AUTOSAVE_WINDOW = dt.timedelta(minutes=10)


class EditConflict(Exception):
    """Someone saved the file after the author opened it; the author's text was kept aside."""

    def __init__(self, current: DraftFile, kept: Revision) -> None:
        super().__init__(f"{current.key} changed since revision {kept.based_on}")
        self.current = current
        self.kept = kept


def normalise(text: str) -> str:
    """What is stored: Unicode NFC (Telex and VNI keyboards may send decomposed marks), LF lines."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def lesson_key(slug: str) -> str:
    """The draft key of a lesson: ``lesson:<slug>``."""
    return LESSON_PREFIX + slug


# --- Composing and reading the files the browser edits field by field -------------------------


def _front_matter(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)


def compose_file(data: dict[str, Any], body: str) -> str:
    """A file of the course format: YAML front matter, then the Markdown body."""
    body = normalise(body).strip("\n")
    return "---\n" + _front_matter({k: v for k, v in data.items() if v not in (None, "", [])}) + "---\n" + (
        body + "\n" if body else ""
    )


def compose_lesson(title: str, minutes: int, key_points: list[str], body: str, *, public: bool = False) -> str:
    """A lesson file from its fields (``public: true`` only when the lesson is in the public version)."""
    points = [normalise(p).strip() for p in key_points if p.strip()]
    return compose_file({"title": normalise(title).strip(), "minutes": minutes, "key_points": points,
                         "public": True if public else None}, body)


def read_fields(text: str) -> tuple[dict[str, Any], str]:
    """The front matter and body of a draft file; a broken front matter gives no fields."""
    try:
        front = split_front_matter(text)
    except FrontMatterError:
        return {}, text
    return dict(front.data), front.body.lstrip("\n")


# --- Reading the draft ----------------------------------------------------------------------


def draft_files(course: Course, *, include_archived: bool = False) -> list[DraftFile]:
    """The draft's files in folder order (lessons by number)."""
    statement = sa.select(DraftFile).where(DraftFile.course_id == course.id)
    if not include_archived:
        statement = statement.where(DraftFile.archived_at.is_(None))
    return list(db.session.scalars(statement.order_by(DraftFile.position, DraftFile.key)))


def get_file(course: Course, key: str) -> DraftFile | None:
    """One file of the draft by key, archived or not."""
    return db.session.scalar(sa.select(DraftFile).where(DraftFile.course_id == course.id, DraftFile.key == key))


def lesson_files(course: Course, *, include_archived: bool = False) -> list[DraftFile]:
    """The draft's lessons in their order."""
    return [f for f in draft_files(course, include_archived=include_archived) if f.key.startswith(LESSON_PREFIX)]


def quiz_file(course: Course) -> DraftFile | None:
    """The draft's question bank (quiz.md or quiz.gift), if any."""
    return next((f for f in draft_files(course) if f.key in QUIZ_FILES), None)


# --- Saving, with revisions and conflicts -----------------------------------------------------


def _next_number(course: Course, key: str) -> int:
    highest = db.session.scalar(
        sa.select(sa.func.max(Revision.number)).where(Revision.course_id == course.id, Revision.key == key)
    )
    return (highest or 0) + 1


def save_file(
    course: Course,
    key: str,
    text: str,
    *,
    author: User | None,
    base_revision: int | None,
    kind: RevisionKind = RevisionKind.save,
    position: int | None = None,
    restored_from: int | None = None,
    unarchive: bool = False,
) -> Revision | None:
    """Save one file of the draft as a new revision; only flushes.

    ``base_revision`` is the revision the author started from. When another save came in since,
    the text is kept as a conflict revision (never current) and :class:`EditConflict` is raised:
    nobody's words are silently overwritten. Saving unchanged text adds nothing and returns None.
    """
    text = normalise(text)
    # Locked until the commit (PostgreSQL; SQLite has one writer at a time): a second save from the
    # same revision waits, then finds the new revision and is a conflict, not a duplicate number.
    file = db.session.scalar(sa.select(DraftFile).where(DraftFile.course_id == course.id, DraftFile.key == key)
                             .with_for_update().execution_options(populate_existing=True))
    now = utcnow()
    if file is not None and base_revision is not None and base_revision != file.revision:
        kept = Revision(
            course_id=course.id, key=key, number=_next_number(course, key), kind=RevisionKind.conflict,
            text=text, author_id=getattr(author, "id", None), created_at=now, updated_at=now,
            based_on=base_revision,
        )
        db.session.add(kept)
        db.session.flush()
        raise EditConflict(file, kept)
    if file is None:
        file = DraftFile(course_id=course.id, key=key, text="", revision=0,
                         position=position if position is not None else 0)
        db.session.add(file)
    elif file.text == text and (file.archived_at is None or not unarchive) and kind != RevisionKind.restore:
        return None
    head = _head(course, file)
    number = _next_number(course, key)  # taken before any superseded autosave goes: numbers are never reused
    if (
        kind == RevisionKind.autosave and head is not None and head.kind == RevisionKind.autosave
        and author is not None and head.author_id == author.id and now - head.created_at < AUTOSAVE_WINDOW
    ):
        # the author's previous autosave is superseded by this one (a later state of the same typing);
        # the window counts from the first of them, so long typing still leaves a trail
        based_on, started = head.based_on, head.created_at
        db.session.delete(head)
        db.session.flush()
    else:
        based_on, started = file.revision or None, now
    revision = Revision(
        course_id=course.id, key=key, number=number, kind=kind, text=text,
        author_id=getattr(author, "id", None), created_at=started, updated_at=now, based_on=based_on,
        restored_from=restored_from,
    )
    db.session.add(revision)
    file.text, file.revision, file.updated_at = text, revision.number, now
    file.updated_by_id = getattr(author, "id", None)
    if unarchive:
        file.archived_at = None  # an archived lesson edited elsewhere stays archived otherwise
    if position is not None:
        file.position = position
    if course.review_requested_at is not None and kind != RevisionKind.imported:
        course.review_requested_by_id = course.review_requested_at = None
    db.session.flush()
    return revision


def _head(course: Course, file: DraftFile) -> Revision | None:
    if not file.revision:
        return None
    return db.session.scalar(sa.select(Revision).where(
        Revision.course_id == course.id, Revision.key == file.key, Revision.number == file.revision))


def revisions(course: Course, key: str) -> list[Revision]:
    """Every revision of one file, newest first."""
    return list(db.session.scalars(
        sa.select(Revision).where(Revision.course_id == course.id, Revision.key == key)
        .order_by(Revision.number.desc())
    ))


def get_revision(course: Course, key: str, number: int) -> Revision | None:
    """One revision of one file by number."""
    return db.session.scalar(sa.select(Revision).where(
        Revision.course_id == course.id, Revision.key == key, Revision.number == number))


def restore_revision(course: Course, key: str, number: int, *, author: User) -> Revision | None:
    """Make an older text current again, as a new revision; the texts in between stay in history."""
    old = get_revision(course, key, number)
    if old is None:
        raise LookupError(number)
    return save_file(course, key, old.text, author=author, base_revision=None,
                     kind=RevisionKind.restore, restored_from=number)


def replace_draft(
    course: Course, files: dict[str, tuple[int, str]], *, author: User | None,
    kind: RevisionKind = RevisionKind.imported, names: dict[str, str] | None = None,
) -> None:
    """Make the draft exactly ``files`` (key → position, text): changed files get a revision and
    files that are gone are archived (their history stays). ``names`` keeps lessons' file names."""
    if course.id is None:
        db.session.flush()
    for key, (position, text) in files.items():
        save_file(course, key, text, author=author, base_revision=None, kind=kind, position=position, unarchive=True)
        file = get_file(course, key)
        if file is not None:
            file.position = position
            if names and key in names:
                file.file_name = names[key]
    now = utcnow()
    for file in draft_files(course):
        if file.key not in files:
            file.archived_at = now
    db.session.flush()


# --- Lessons ------------------------------------------------------------------------------------


def _slugify(title: str, fallback: str) -> str:
    words = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in fold(title).replace("đ", "d")).split()
    return "-".join(words)[:60].strip("-") or fallback


def new_lesson_slug(course: Course, title: str) -> str:
    """A free lesson slug made from ``title``."""
    base = _slugify(title, "bai")
    if base in ("media", "quiz", "faq"):
        base = f"bai-{base}"
    taken = set(db.session.scalars(sa.select(DraftFile.key).where(DraftFile.course_id == course.id)))
    slug, n = base, 2
    while lesson_key(slug) in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def add_lesson(course: Course, title: str, *, author: User, minutes: int = 10, body: str = "") -> DraftFile:
    """A new lesson at the end of the module, with the next free number; only flushes."""
    slug = new_lesson_slug(course, title)
    last = max((f.position for f in lesson_files(course)), default=0)
    save_file(course, lesson_key(slug), compose_lesson(title, minutes, [], body), author=author,
              base_revision=None, position=last + 1)
    file = get_file(course, lesson_key(slug))
    assert file is not None
    return file


def move_lesson(course: Course, key: str, offset: int) -> None:
    """Swap a lesson with its neighbour above (-1) or below (+1): the two trade numbers, and every
    other lesson keeps its number (and so its file name)."""
    lessons = lesson_files(course)
    index = next((i for i, f in enumerate(lessons) if f.key == key), None)
    if index is None:
        raise LookupError(key)  # archived meanwhile, or not a lesson
    other = index + offset
    if 0 <= other < len(lessons):
        lessons[index].position, lessons[other].position = lessons[other].position, lessons[index].position
    db.session.flush()


def set_lesson_archived(course: Course, key: str, archived: bool) -> None:
    """Archive a lesson, or bring it back at the end with the next free number; only flushes."""
    file = get_file(course, key)
    if file is None or not file.key.startswith(LESSON_PREFIX):
        raise LookupError(key)
    if archived:
        file.archived_at = utcnow()
    else:
        file.archived_at = None
        file.position = max((f.position for f in lesson_files(course)), default=0) + 1
    db.session.flush()


# --- The draft as a course folder ----------------------------------------------------------------


def lesson_file_name(file: DraftFile) -> str:
    """The lesson's name in the folder: the one it was imported with while its number and slug still
    hold (``10-tong-ket.md`` stays so), else ``NN-slug.md`` from its place in the module."""
    match = LESSON_FILE_RE.match(file.file_name or "")
    if match and int(match.group(1)) == file.position and match.group(2) == file.lesson_slug:
        return str(file.file_name)
    return f"{file.position:02d}-{file.lesson_slug}.md"


def write_folder(course: Course, parent: Path) -> Path:
    """Write the draft as ``parent/<slug>/``, in the course folder format, and return that path."""
    folder = parent / course.slug
    folder.mkdir(parents=True)
    for file in draft_files(course):
        name = lesson_file_name(file) if file.key.startswith(LESSON_PREFIX) else file.key
        (folder / name).write_text(file.text, encoding="utf-8")
    media = db.session.scalars(sa.select(CourseMedia).where(CourseMedia.course_id == course.id))
    for item in media:
        target = folder / "media" / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(item.data)
    return folder


@contextmanager
def draft_folder(course: Course) -> Iterator[Path]:
    """The draft written as a course folder in a temporary directory, for the ``with`` block."""
    with tempfile.TemporaryDirectory(prefix="learnhub-draft-") as parent:
        yield write_folder(course, Path(parent))


def new_module_slug(title: str) -> str:
    """A free module slug made from ``title``."""
    base = _slugify(title, "hoc-phan")
    slug, n = base, 2
    while db.session.scalar(sa.select(Course.id).where(Course.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_module(
    *, slug: str, title: str, kind: Any, summary: str, owner_unit_id: int | None, shared_down: bool, author: User,
) -> Course:
    """A new, unpublished module with its course.md and one empty lesson, written by ``author``."""
    course = Course(slug=slug, title=normalise(title).strip(), kind=kind, summary=normalise(summary).strip(),
                    owner_unit_id=owner_unit_id, shared_down=shared_down, published_at=None)
    db.session.add(course)
    db.session.flush()
    data = {"title": course.title, "kind": str(kind), "summary": course.summary}
    save_file(course, COURSE_FILE, compose_file(data, ""), author=author, base_revision=None)
    return course


def switch_quiz_file(course: Course, key: str, text: str, *, author: User) -> None:
    """Make ``key`` (quiz.md or quiz.gift) the module's bank; the other file is archived with its history."""
    save_file(course, key, text, author=author, base_revision=None, unarchive=True)
    for other in QUIZ_FILES:
        file = get_file(course, other)
        if other != key and file is not None and file.archived_at is None:
            file.archived_at = utcnow()
    db.session.flush()
