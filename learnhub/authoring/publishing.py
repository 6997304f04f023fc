"""The draft as a course folder: checked, published for members, imported from a folder or zip,
and first written from what members see for a module that predates authoring."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from learnhub.auth.models import User
from learnhub.authoring.drafts import (
    COURSE_FILE,
    QUIZ_FILES,
    compose_file,
    compose_lesson,
    draft_files,
    draft_folder,
    lesson_key,
    normalise,
    replace_draft,
)
from learnhub.authoring.models import DraftFile
from learnhub.courses.format import LESSON_FILE_RE, CourseReport, read_course
from learnhub.courses.importer import ImportSummary, import_course
from learnhub.courses.models import Course, CourseMedia
from learnhub.courses.problems import Problem
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.quizzes.gift import without_unsupported
from learnhub.text import clean_text


class DraftRefused(ValueError):
    """The draft cannot be published or imported; ``problems`` say where, as `file:line`."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class ReviewRequired(PermissionError):
    """The organisation asks for a second person to publish."""


class Diverged(ValueError):
    """A module from a course folder was edited in the browser since it was last imported."""

    def __init__(self, slug: str) -> None:
        super().__init__(f"{slug}: edited in the browser since the last import; use --force to replace")
        self.slug = slug

def ensure_draft(course: Course) -> None:
    """Give a module imported before authoring existed its draft, written from what is live."""
    if course.id is not None and db.session.scalar(
        sa.select(sa.func.count()).select_from(DraftFile).where(DraftFile.course_id == course.id)
    ):
        return
    document = {
        "number": course.document_number,
        "issued_by": course.document_issued_by,
        "issued_on": course.document_issued_on,
    }
    files = {COURSE_FILE: (0, compose_file(_course_data(course, document), course.intro_markdown))}
    for lesson in course.active_lessons:
        files[lesson_key(lesson.slug)] = (
            lesson.position,
            compose_lesson(lesson.title, lesson.minutes, list(lesson.key_points), lesson.body_markdown,
                           public=lesson.public),
        )
    if course.quiz_source and course.quiz_format in ("md", "gift"):
        files[f"quiz.{course.quiz_format}"] = (0, course.quiz_source)
    replace_draft(course, files, author=None)
    course.files_digest = draft_digest(course)
    if course.published_at is not None:
        course.published_digest = course.files_digest


def _course_data(course: Course, document: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": course.title,
        "kind": str(course.kind),
        "document": {k: v for k, v in document.items() if v} or None,
        "summary": course.summary,
        "language": course.language if course.language != "vi" else None,
        "tags": list(course.tags or []),
        "public": True if course.public else None,
    }


def draft_digest(course: Course) -> str:
    """A fingerprint of the draft: its files, their order and its media."""
    digest = hashlib.sha256()
    for file in draft_files(course):
        digest.update(f"{file.key}\0{file.position}\0{file.text}\0".encode())
    for sha in db.session.scalars(
        sa.select(CourseMedia.sha256).where(CourseMedia.course_id == course.id).order_by(CourseMedia.path)
    ):
        digest.update(sha.encode())
    return digest.hexdigest()


def is_diverged(course: Course) -> bool:
    """Was the draft changed (in the browser) since the folder was last imported?"""
    has_draft = db.session.scalar(
        sa.select(sa.func.count()).select_from(DraftFile).where(DraftFile.course_id == course.id)
    )
    return bool(has_draft) and course.files_digest != draft_digest(course)

def relative_problems(report: CourseReport) -> list[Problem]:
    """Problems with paths relative to the course folder, as an author knows the files."""
    base = str(report.folder)
    return [
        p.moved(p.path.removeprefix(base).lstrip("/\\") or report.folder.name)
        for p in report.problems
    ]


def check_draft(course: Course) -> tuple[CourseReport, list[Problem]]:
    """The draft checked as `courses check` checks a folder, with paths relative to it."""
    with draft_folder(course) as folder:
        report = read_course(folder)
    return report, relative_problems(report)


def file_key_for(path: str) -> str | None:
    """The draft key of a file named in a problem (``03-slug.md`` → ``lesson:slug``)."""
    if path in (COURSE_FILE, *QUIZ_FILES):
        return path
    match = LESSON_FILE_RE.match(path)
    return lesson_key(match.group(2)) if match else None


def publish(course: Course, *, publisher: User, review_required: bool = False) -> ImportSummary:
    """Make the draft live for members; refuses a draft with errors. Only flushes."""
    if review_required:
        if course.review_requested_by_id is None or course.review_requested_by_id == publisher.id:
            raise ReviewRequired(course.slug)
    report, problems = check_draft(course)
    if report.source is None:
        raise DraftRefused([p for p in problems if p.severity == "error"])
    summary = import_course(report.source)
    course.review_requested_by_id = course.review_requested_at = None
    db.session.flush()
    course.published_digest = draft_digest(course)
    return summary


def has_unpublished_changes(course: Course) -> bool:
    """Whether the draft differs from what members see."""
    return course.published_at is None or course.published_digest != draft_digest(course)

def request_review(course: Course, author: User) -> None:
    """Ask another author to publish; refuses a draft with errors. Only flushes."""
    report, problems = check_draft(course)
    if report.source is None:
        raise DraftRefused([p for p in problems if p.severity == "error"])
    course.review_requested_by_id, course.review_requested_at = author.id, utcnow()


def folder_files(folder: Path) -> tuple[dict[str, tuple[int, str]], dict[str, str]]:
    """The draft files of a checked course folder (key → number, text) and the lessons' file names."""
    files: dict[str, tuple[int, str]] = {}
    names: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        # As the import stores them: no control characters; GIFT items skipped on import as comments.
        text = clean_text(normalise(path.read_bytes().decode("utf-8-sig")), multiline=True)
        if path.name == "quiz.gift":
            text = without_unsupported(text)
        if path.name == COURSE_FILE or path.name in QUIZ_FILES:
            files[path.name] = (0, text)
        elif match := LESSON_FILE_RE.match(path.name):
            key = lesson_key(match.group(2))
            files[key], names[key] = (int(match.group(1)), text), path.name
    return files, names


def _add_media(course: Course, report: CourseReport) -> None:
    """Add or replace the folder's media files without touching what members see."""
    assert report.source is not None
    existing = {item.path: item for item in course.media}
    for media in report.source.media:
        digest = hashlib.sha256(media.data).hexdigest()
        item = existing.get(media.path)
        if item is not None and item.sha256 == digest:
            continue
        if item is None:
            item = CourseMedia(path=media.path)
            course.media.append(item)
        item.data, item.sha256, item.size = media.data, digest, len(media.data)
        item.content_type, item.uploaded_at, item.published_at = media.content_type, utcnow(), None


@dataclass
class FolderImport:
    course: Course
    summary: ImportSummary


def import_folder(
    report: CourseReport, *, owner_unit_id: int | None, force: bool = False, author: User | None = None,
    publish_now: bool = True,
) -> FolderImport:
    """Import a checked folder: the draft becomes the folder's files, then (by default) it is live.

    A module edited in the browser since its last import is refused (:class:`Diverged`) unless
    ``force``; even then the browser's texts stay in its history.
    """
    assert report.source is not None
    course = db.session.scalar(sa.select(Course).where(Course.slug == report.source.slug))
    if course is not None and not force and is_diverged(course):
        raise Diverged(course.slug)
    if publish_now or course is None:
        summary = import_course(report.source)
        course = db.session.scalar(sa.select(Course).where(Course.slug == report.source.slug))
        assert course is not None
        if not publish_now:  # a module new to LearnHub, imported as a draft: hidden until published
            course.published_at = None
            for item in course.media:
                item.published_at = None
    else:
        summary = ImportSummary(course.slug, created=False)
        _add_media(course, report)
    if owner_unit_id is not None:
        course.owner_unit_id = owner_unit_id
    files, names = folder_files(report.folder)
    replace_draft(course, files, author=author, names=names)
    if publish_now:
        course.files_digest = course.published_digest = draft_digest(course)
    db.session.flush()
    return FolderImport(course, summary)
