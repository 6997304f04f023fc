"""Write checked course folders to the database, updating courses in place."""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from learnhub.courses.format import CourseReport, CourseSource, find_course_folders, read_course
from learnhub.courses.media_files import transcripts_of
from learnhub.courses.models import Course, CourseMedia, Lesson
from learnhub.courses.problems import Problem
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.markdown import render_markdown
from learnhub.quizzes.gift import without_unsupported
from learnhub.quizzes.sync import sync_quiz
from learnhub.text import clean_text


@dataclass
class ImportSummary:
    slug: str
    created: bool
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    questions: int = 0

    def describe(self) -> str:
        verb = "created" if self.created else "updated"
        parts = [f"{self.slug}: {verb}"]
        for label, items in (("added", self.added), ("archived", self.archived)):
            if items:
                parts.append(f"{label} {', '.join(items)}")
        parts.append(f"{len(self.added) + len(self.updated)} lessons")
        if self.questions:
            parts.append(f"{self.questions} quiz questions")
        return "; ".join(parts)


def check_paths(paths: list[Path], *, skip_unsupported: bool = False) -> tuple[list[CourseReport], list[Problem]]:
    """Read every course under ``paths``; return the reports and the problems outside any course."""
    reports: list[CourseReport] = []
    problems: list[Problem] = []
    slugs: dict[str, Path] = {}
    for path in paths:
        folders, found_problems = find_course_folders(path)
        problems.extend(found_problems)
        for folder in folders:
            report = read_course(folder, skip_unsupported=skip_unsupported)
            if folder.name in slugs:
                report.problems.append(Problem(str(folder), 1, "slug_used_by", {"other": str(slugs[folder.name])}))
                report.source = None
            slugs.setdefault(folder.name, folder)
            reports.append(report)
    return reports, problems


def import_course(source: CourseSource) -> ImportSummary:
    """Create or update one course from a checked folder; only flushes (the caller commits).

    Lessons are matched by slug so members' progress stays attached; a lesson that is gone
    from the folder is archived, never deleted with its history.
    """
    source = cleaned(source)
    course = db.session.scalar(sa.select(Course).where(Course.slug == source.slug))
    summary = ImportSummary(source.slug, created=course is None)
    if course is None:
        course = Course(slug=source.slug)
        db.session.add(course)
    course.title = source.title
    course.kind = source.kind
    course.summary = source.summary
    course.language = source.language
    course.tags = list(source.tags)
    course.public = source.public
    course.document_number = source.document_number
    course.document_issued_by = source.document_issued_by
    course.document_issued_on = source.document_issued_on
    course.intro_markdown = source.intro_markdown
    transcripts = transcripts_of((m.path, m.data) for m in source.media)
    course.intro_html = render_markdown(source.intro_markdown, transcripts=transcripts)
    course.quiz_format = source.quiz_format
    # What the quiz holds: items skipped on import (--skip-unsupported) kept only as comments, so a
    # draft made from the module later does not report them as errors (as the browser import does).
    quiz_source = source.quiz_source
    if source.quiz_format == "gift" and quiz_source is not None:
        quiz_source = without_unsupported(quiz_source)
    course.quiz_source = quiz_source
    course.archived_at = None
    course.published_at = utcnow()
    _sync_lessons(course, source, summary, transcripts)
    _sync_media(course, source)
    db.session.flush()
    quiz = sync_quiz(course, source.quiz_bank)
    summary.questions = len(quiz.active_questions) if quiz is not None else 0
    return summary


def cleaned(value: Any) -> Any:
    """``value`` (a source, a bank, a list of them ...) with every text cleaned as forms clean theirs:
    ``courses check`` warns about control and bidi characters, the import leaves them out (PostgreSQL
    refuses a NUL, document writers refuse most controls)."""
    if type(value) is str:
        return clean_text(value, multiline=True)
    if isinstance(value, list | tuple) and not isinstance(value, str):
        return type(value)(cleaned(item) for item in value)
    if isinstance(value, dict):
        return {key: cleaned(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: cleaned(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


def _sync_lessons(course: Course, source: CourseSource, summary: ImportSummary, transcripts: dict[str, str]) -> None:
    existing = {lesson.slug: lesson for lesson in course.lessons}
    incoming = {lesson.slug for lesson in source.lessons}
    for lesson_source in source.lessons:
        lesson = existing.get(lesson_source.slug)
        if lesson is None:
            lesson = Lesson(slug=lesson_source.slug)
            course.lessons.append(lesson)
            summary.added.append(lesson_source.slug)
        else:
            summary.updated.append(lesson_source.slug)
        lesson.position = lesson_source.position
        lesson.title = lesson_source.title
        lesson.minutes = lesson_source.minutes
        lesson.key_points = list(lesson_source.key_points)
        lesson.body_markdown = lesson_source.body_markdown
        lesson.body_html = render_markdown(lesson_source.body_markdown, transcripts=transcripts)
        lesson.public = lesson_source.public
        lesson.archived_at = None
    now = utcnow()
    for slug, lesson in existing.items():
        if slug not in incoming and lesson.archived_at is None:
            lesson.archived_at = now
            summary.archived.append(slug)


def _sync_media(course: Course, source: CourseSource) -> None:
    existing = {media.path: media for media in course.media}
    incoming = {media.path for media in source.media}
    for media_source in source.media:
        digest = hashlib.sha256(media_source.data).hexdigest()
        media = existing.get(media_source.path)
        if media is None:
            media = CourseMedia(path=media_source.path)
            course.media.append(media)
        if media.sha256 != digest:
            media.data = media_source.data
            media.sha256 = digest
        media.content_type = media_source.content_type
        media.size = len(media_source.data)
        media.published_at = media.published_at or utcnow()
    for path, media in existing.items():
        if path not in incoming:
            course.media.remove(media)
