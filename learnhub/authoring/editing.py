"""Between the editors' fields and the course-format files they are saved as."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from learnhub.authoring.drafts import (
    COURSE_FILE,
    compose_file,
    compose_lesson,
    draft_files,
    read_fields,
)
from learnhub.authoring.models import DraftFile
from learnhub.courses.models import Course
from learnhub.markdown import render_markdown
from learnhub.numbers import whole_number

QUIZ_TEMPLATE = """---
pass_score: 80
shuffle: true
review: always
---

"""


def _int_or_text(value: Any) -> Any:
    text = str(value or "").strip()
    number = whole_number(text)
    return text if number is None else number


def lesson_text(form) -> str:
    """The lesson file for the posted fields; kept even when a field is not valid yet (autosave)."""
    minutes = form.minutes.data if isinstance(form.minutes.data, int) else _int_or_text(form.minutes.raw_data[0] if form.minutes.raw_data else "")
    points = [line.strip() for line in (form.key_points.data or "").splitlines() if line.strip()]
    return compose_lesson(form.title.data or "", minutes, points, form.body.data or "", public=bool(form.public.data))


def fill_lesson_form(form, file: DraftFile) -> None:
    """The lesson editor's fields from the saved file."""
    fields, body = read_fields(file.text)
    form.title.data = str(fields.get("title") or "")
    form.minutes.data = fields.get("minutes") if isinstance(fields.get("minutes"), int) else None
    points = fields.get("key_points") or []
    form.key_points.data = "\n".join(str(p) for p in points) if isinstance(points, list) else str(points)
    form.public.data = fields.get("public") is True
    form.body.data = body
    form.base_revision.data = str(file.revision)


def settings_text(form) -> str:
    """course.md for the posted settings fields."""
    issued_on = form.document_issued_on.data
    document = {
        "number": (form.document_number.data or "").strip(),
        "issued_by": (form.document_issued_by.data or "").strip(),
        "issued_on": issued_on if isinstance(issued_on, dt.date) else None,
    }
    tags = [t.strip() for t in (form.tags.data or "").split(",") if t.strip()]
    data = {
        "title": (form.title.data or "").strip(),
        "kind": form.kind.data,
        "document": {k: v for k, v in document.items() if v} or None,
        "summary": " ".join((form.summary.data or "").split()),
        "tags": tags,
        "public": True if form.public.data else None,
    }
    return compose_file(data, form.body.data or "")


def fill_settings_form(form, file: DraftFile, course: Course) -> None:
    """The settings editor's fields from course.md and the module."""
    fields, body = read_fields(file.text)
    document = found if isinstance(found := fields.get("document"), dict) else {}
    form.title.data = str(fields.get("title") or "")
    form.kind.data = str(fields.get("kind") or "")
    form.summary.data = str(fields.get("summary") or "")
    form.document_number.data = str(document.get("number") or "")
    form.document_issued_by.data = str(document.get("issued_by") or "")
    issued_on = document.get("issued_on")
    form.document_issued_on.data = issued_on if isinstance(issued_on, dt.date) else None
    tags = fields.get("tags") or []
    form.tags.data = ", ".join(str(t) for t in tags) if isinstance(tags, list) else ""
    form.public.data = fields.get("public") is True
    form.public.data = fields.get("public") is True
    form.body.data = body
    form.base_revision.data = str(file.revision)
    form.owner_unit.data = course.owner_unit_id
    form.shared_down.data = course.shared_down


def file_title(file: DraftFile) -> str:
    """What a draft file is called on pages: its lesson's title, or what the file holds."""
    if file.key == COURSE_FILE:
        return _("Module settings and introduction")
    if file.key.startswith("quiz."):
        return _("Quiz questions")
    fields, _body = read_fields(file.text)
    return str(fields.get("title") or file.lesson_slug)


@dataclass
class DraftPage:
    """A page of the draft as members will see it: the module page, or one lesson."""

    title: str
    intro_html: str = ""
    lessons: list[tuple[str, str, int]] = field(default_factory=list)  # slug, title, minutes
    lesson_title: str | None = None
    minutes: int | None = None
    key_points: list[str] = field(default_factory=list)
    body_html: str = ""
    number: int = 0
    previous: str | None = None
    following: str | None = None


def draft_page(course: Course, lesson_slug: str | None, media_base: str) -> DraftPage | None:
    """A page of the draft as members will see it; None for a lesson not in the draft."""
    from learnhub.authoring.preview import module_transcripts, with_media_urls

    files = draft_files(course)
    course_fields, intro = read_fields(next((f.text for f in files if f.key == COURSE_FILE), ""))
    lessons = []
    for file in files:
        if file.lesson_slug:
            fields, body = read_fields(file.text)
            lessons.append((file.lesson_slug, str(fields.get("title") or file.lesson_slug), fields, body))
    transcripts = module_transcripts(course)
    page = DraftPage(
        title=str(course_fields.get("title") or course.title),
        intro_html=with_media_urls(render_markdown(intro, transcripts=transcripts), media_base),
        lessons=[(slug, title, minutes if isinstance(minutes := f.get("minutes"), int) else 0)
                 for slug, title, f, _b in lessons],
    )
    if lesson_slug is None:
        return page
    index = next((i for i, item in enumerate(lessons) if item[0] == lesson_slug), None)
    if index is None:
        return None
    slug, title, fields, body = lessons[index]
    page.lesson_title, page.number = title, index + 1
    page.minutes = fields.get("minutes") if isinstance(fields.get("minutes"), int) else None
    page.key_points = [str(p) for p in fields.get("key_points") or [] if isinstance(p, str)]
    page.body_html = with_media_urls(render_markdown(body, transcripts=transcripts), media_base)
    page.previous = lessons[index - 1][0] if index > 0 else None
    page.following = lessons[index + 1][0] if index + 1 < len(lessons) else None
    return page
