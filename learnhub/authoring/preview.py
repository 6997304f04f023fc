"""What an author sees while typing: the file checked on its own and rendered as members will see it."""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import render_template

from learnhub.authoring.drafts import COURSE_FILE, LESSON_PREFIX, read_fields
from learnhub.courses.format import Problem, check_file
from learnhub.courses.media_files import TRANSCRIPT_SUFFIX, transcripts_of
from learnhub.courses.models import Course, CourseMedia
from learnhub.extensions import db
from learnhub.markdown import render_markdown
from learnhub.quizzes.gift import parse_gift
from learnhub.quizzes.quiz_md import parse_quiz_md
from learnhub.quizzes.sync import render_question

MEDIA_URL_RE = re.compile(r'(\s(?:src|href)=")media/')


@dataclass
class Preview:
    html: str
    problems: list[Problem]


def file_name(key: str) -> str:
    """The name the file has in the folder (a lesson's number does not matter to its checks)."""
    return f"01-{key.removeprefix(LESSON_PREFIX)}.md" if key.startswith(LESSON_PREFIX) else key


def media_paths(course: Course) -> set[str]:
    """The names of the module's media files."""
    return set(db.session.scalars(sa.select(CourseMedia.path).where(CourseMedia.course_id == course.id)))


def problems_in(course: Course, key: str, text: str) -> list[Problem]:
    """The problems of one file's text, checked on its own."""
    with tempfile.TemporaryDirectory(prefix="learnhub-check-") as folder:
        path = Path(folder) / file_name(key)
        path.write_text(text, encoding="utf-8")
        return check_file(path, media_paths(course))


def module_transcripts(course: Course) -> dict[str, str]:
    """The module's uploaded transcripts (``media/*.txt``) by name, for the players of its lessons."""
    rows = db.session.execute(sa.select(CourseMedia.path, CourseMedia.data).where(
        CourseMedia.course_id == course.id, CourseMedia.path.like(f"%{TRANSCRIPT_SUFFIX}"))).tuples()
    return transcripts_of(rows)


def with_media_urls(html: str, media_base: str) -> str:
    """Point ``media/…`` links at the authoring media route (the editor is not at the lesson's URL)."""
    return MEDIA_URL_RE.sub(lambda m: f'{m.group(1)}{media_base}', html)


def preview(course: Course, key: str, text: str, media_base: str) -> Preview:
    """The text rendered as members will see it, and its problems."""
    problems = problems_in(course, key, text)
    if key in ("quiz.md", "quiz.gift"):
        bank, _ = parse_quiz_md(text) if key == "quiz.md" else parse_gift(text, skip_unsupported=True)
        questions = [render_question(q) for q in bank.questions] if bank is not None else []
        html = render_template("authoring/_quiz_preview.html", questions=questions, settings=bank.settings if bank else None)
    else:
        fields, body = read_fields(text)
        html = render_template(
            "authoring/_lesson_preview.html", is_course=key == COURSE_FILE, title=fields.get("title", ""),
            minutes=fields.get("minutes"), key_points=[p for p in fields.get("key_points") or [] if isinstance(p, str)],
            body_html=render_markdown(body, transcripts=module_transcripts(course)),
        )
    return Preview(with_media_urls(html, media_base), problems)
