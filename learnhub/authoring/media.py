"""A module's images and attachments: checked uploads, the list with where each is used, deletion."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from learnhub.authoring.drafts import draft_files
from learnhub.authoring.uploads import UploadRefused, check_media_upload, unique_name
from learnhub.courses.media_files import PLAYER_TYPES, TRANSCRIPT_SUFFIX
from learnhub.courses.models import Course, CourseMedia, Lesson
from learnhub.db import utcnow
from learnhub.extensions import db


@dataclass
class MediaItem:
    media: CourseMedia
    used_in_draft: bool
    used_live: bool

    @property
    def unused(self) -> bool:
        return not (self.used_in_draft or self.used_live)

    @property
    def is_image(self) -> bool:
        return self.media.content_type.startswith("image/")

    @property
    def is_player(self) -> bool:
        """Audio or video: inserted as ``![title](media/x.mp3)`` and shown as a player."""
        return self.media.content_type.startswith(("audio/", "video/"))


def refusal_message(exc: UploadRefused) -> str:
    """The refusal in the author's language."""
    messages = {
        "empty": _("The file is empty."),
        "too_large": _("The file is too large."),
        "unsupported_type": _("Only PNG, JPEG, GIF or WebP images, PDF files, audio (mp3, m4a, ogg), video (mp4, webm) and .txt transcripts can be uploaded (checked by their content)."),
        "type_mismatch": _("The file's name does not match its content: its extension says one type, its content another."),
        "not_zip": _("This is not a readable .zip file."),
        "no_top_folder": _("The .zip must hold one folder named after the module."),
        "several_top_folders": _("The .zip must hold exactly one module folder."),
        "bad_path": _("The .zip holds a file name that is not allowed."),
        "too_many_files": _("The .zip holds too many files."),
        "zip_bomb": _("The .zip unpacks to far more than its size: it was refused."),
        "encrypted": _("The .zip is encrypted."),
        "bad_slug": _("The module folder's name must use a-z, 0-9 and '-' only."),
    }
    return messages.get(exc.code, exc.message)


def get_media(course: Course, name: str) -> CourseMedia | None:
    """One media file of the module by name, or None."""
    return db.session.scalar(sa.select(CourseMedia).where(CourseMedia.course_id == course.id, CourseMedia.path == name))


def add_media(course: Course, filename: str, data: bytes) -> CourseMedia:
    """Store a checked upload under a safe, unique name; members see it once the module is published."""
    checked = check_media_upload(filename, data)
    taken = set(db.session.scalars(sa.select(CourseMedia.path).where(CourseMedia.course_id == course.id)))
    item = CourseMedia(
        course_id=course.id, path=unique_name(checked.name, taken), content_type=checked.content_type,
        sha256=hashlib.sha256(data).hexdigest(), data=data, size=len(data), uploaded_at=utcnow(),
    )
    db.session.add(item)
    db.session.flush()
    return item


def _live_texts(course: Course) -> list[str]:
    bodies = db.session.scalars(sa.select(Lesson.body_markdown).where(
        Lesson.course_id == course.id, Lesson.archived_at.is_(None)))
    return [course.intro_markdown or "", course.quiz_source or "", *bodies]


def media_list(course: Course) -> list[MediaItem]:
    """The module's media files, each with where it is used."""
    draft_text = "\n".join(f.text for f in draft_files(course))
    live_text = "\n".join(_live_texts(course)) if course.published_at else ""
    items = db.session.scalars(
        sa.select(CourseMedia).where(CourseMedia.course_id == course.id).order_by(CourseMedia.path)
    ).all()
    return [MediaItem(m, _used(m.path, draft_text), _used(m.path, live_text)) for m in items]


def _used(path: str, text: str) -> bool:
    """Whether ``text`` refers to the file; a transcript is used by the audio or video beside it."""
    if path.endswith(TRANSCRIPT_SUFFIX):
        stem = path.removesuffix(TRANSCRIPT_SUFFIX)
        return any(f"media/{stem}{suffix}" in text for suffix in PLAYER_TYPES) or f"media/{path}" in text
    return f"media/{path}" in text


def delete_if_unused(course: Course, item: CourseMedia) -> bool:
    """Delete a file no draft and no published lesson refers to; False (kept) otherwise."""
    found = next((m for m in media_list(course) if m.media.id == item.id), None)
    if found is None or not found.unused:
        return False
    db.session.delete(item)
    db.session.flush()
    return True
