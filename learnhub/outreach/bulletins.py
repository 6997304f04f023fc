"""Loudspeaker bulletins ("bản tin phát thanh") and the broadcasts that read them (docs/outreach.md).

A bulletin is drafted from a module (its summary and its lessons' key points), cut into short
sentences that are easy to read aloud and to hear over a ward's wireless loudspeakers, edited by
the unit's committee, then printed (page or .docx) and read. Reading time is counted at
READING_WORDS_PER_MINUTE: a slow, clear pace for loudspeakers (one "word" is one space-separated
syllable of Vietnamese).
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re

import sqlalchemy as sa
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from flask_babel import gettext as _

from learnhub import audit
from learnhub.auth.models import User
from learnhub.courses.media_files import player_max_bytes, sniff_player_type
from learnhub.courses.models import Course
from learnhub.db import add_once
from learnhub.extensions import db
from learnhub.outreach.models import Broadcast, Bulletin
from learnhub.security import limit_to_scope, subtree_ids
from learnhub.text import clean_text

READING_WORDS_PER_MINUTE = 130
MAX_SENTENCE_WORDS = 20  # a longer sentence is cut at its commas, then before "và"
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…;:])\s+")
_RECORDING_SUFFIXES = (".mp3", ".m4a", ".ogg")


class RecordingRefused(ValueError):
    """An uploaded recording that is not mp3, m4a or ogg audio, is empty or too large."""


def _pack(pieces: list[str]) -> list[str]:
    """Consecutive pieces joined again while the result stays within MAX_SENTENCE_WORDS words."""
    packed: list[str] = []
    for piece in pieces:
        if packed and len(packed[-1].split()) + len(piece.split()) <= MAX_SENTENCE_WORDS:
            packed[-1] = f"{packed[-1]} {piece}"
        else:
            packed.append(piece)
    return packed


def _cut_long(sentence: str) -> list[str]:
    """A sentence of more than MAX_SENTENCE_WORDS words cut at its commas, a part still too long
    before " và "; the parts are joined again as far as they fit, so no part is a lone word."""
    if len(sentence.split()) <= MAX_SENTENCE_WORDS:
        return [sentence]
    pieces: list[str] = []
    for piece in (p.strip() for p in re.split(r"(?<=,)\s+", sentence) if p.strip()):
        if len(piece.split()) > MAX_SENTENCE_WORDS and " và " in piece:
            head, *rest = piece.split(" và ")
            pieces += _pack([head.strip()] + [f"và {item.strip()}" for item in rest])
        else:
            pieces.append(piece)
    return _pack(pieces)


def split_script(text: str) -> list[str]:
    """The text as short sentences, one per item: split at sentence ends (. ! ? … ; :) and line
    breaks, and a sentence over MAX_SENTENCE_WORDS words at its commas, then before "và", keeping
    each part as long as it may be."""
    sentences: list[str] = []
    for line in text.splitlines():
        for sentence in _SENTENCE_END_RE.split(" ".join(line.split())):
            if sentence.strip():
                sentences += _cut_long(sentence.strip())
    return sentences


def word_count(text: str) -> int:
    """Space-separated words (syllables, in Vietnamese) of the text."""
    return len(text.split())


def reading_minutes(text: str) -> int:
    """Minutes to read the text aloud at READING_WORDS_PER_MINUTE, rounded up (0 for no text)."""
    return math.ceil(word_count(text) / READING_WORDS_PER_MINUTE)


def starting_text(course: Course) -> tuple[str, str]:
    """(key points, script) of a new bulletin from the module: its lessons' key points, and a script
    opening with a greeting, then the module's summary and key points as short sentences."""
    points = [point for lesson in course.active_lessons for point in lesson.key_points]
    opening = _("Dear residents, this is the bulletin on %(title)s.", title=course.title)
    closing = _("Thank you for listening.")
    script = split_script("\n".join([opening, course.summary, *points, closing]))
    return "\n".join(points), "\n".join(script)


def get_bulletin(course: Course, unit_id: int) -> Bulletin:
    """The unit's bulletin for the module, or a new unsaved one drafted from the module."""
    bulletin = db.session.scalar(sa.select(Bulletin).where(Bulletin.course_id == course.id,
                                                           Bulletin.unit_id == unit_id))
    if bulletin is None:
        key_points, script = starting_text(course)
        bulletin = Bulletin(course_id=course.id, unit_id=unit_id, title=course.title, key_points=key_points,
                            script=script)
    return bulletin


def save_bulletin(bulletin: Bulletin, *, title: str, key_points: str, script: str, by: User, resplit: bool) -> Bulletin:
    """Store the edited bulletin (the script cut into short sentences again when asked) and return
    the row saved: a new one, or the unit's bulletin saved a moment ago by another click. Only flushes."""
    if bulletin.id is None:
        course_id, unit_id = bulletin.course_id, bulletin.unit_id
        bulletin = add_once(db.session, bulletin, lambda: db.session.scalar(sa.select(Bulletin).where(
            Bulletin.course_id == course_id, Bulletin.unit_id == unit_id)))
    bulletin.title = " ".join(title.split())
    bulletin.key_points = "\n".join(line.strip() for line in key_points.splitlines() if line.strip())
    lines = split_script(script) if resplit else [" ".join(line.split()) for line in script.splitlines()]
    bulletin.script = "\n".join(line for line in lines if line)
    bulletin.updated_by_id = by.id
    db.session.flush()
    audit.record("bulletin.save", object_type="bulletin", object_id=bulletin.id,
                 summary=audit.N_("saved the loudspeaker bulletin %(title)s"), params={"title": bulletin.title})
    return bulletin


def attach_recording(bulletin: Bulletin, filename: str, data: bytes) -> None:
    """Attach checked audio (mp3, m4a or ogg by content, up to MEDIA_MAX_MB). Only flushes."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    limit = player_max_bytes()
    if not data or len(data) > limit:
        raise RecordingRefused(_("The recording must be an audio file of at most %(mb)s MB.", mb=limit // 1048576))
    content_type = sniff_player_type(data, suffix) if suffix in _RECORDING_SUFFIXES else None
    if content_type is None:
        raise RecordingRefused(_("The recording must be mp3, m4a or ogg audio, and its content must match "
                                 "its extension."))
    bulletin.recording, bulletin.recording_type = data, content_type
    db.session.flush()
    audit.record("bulletin.recording", object_type="bulletin", object_id=bulletin.id,
                 summary=audit.N_("attached a recording to %(title)s"), params={"title": bulletin.title})


def public_recordings(course: Course) -> list[Bulletin]:
    """The module's bulletins with a recording, for its public page (newest first)."""
    return list(db.session.scalars(sa.select(Bulletin).where(
        Bulletin.course_id == course.id, Bulletin.recording.is_not(None)).order_by(
        Bulletin.updated_at.desc(), Bulletin.id.desc())))


def bulletin_docx(bulletin: Bulletin, unit_name: str) -> bytes:
    """The bulletin as an A4 .docx: unit, title, reading time, key points, then the script.
    (One function, so a shared Party-document header can replace the first lines later.)"""
    document = Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(14)
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin = section.bottom_margin = Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    unit = document.add_paragraph(clean_text(unit_name.upper()))
    unit.runs[0].bold = True
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run(_("LOUDSPEAKER BULLETIN")).bold = True
    heading.add_run().add_break()
    heading.add_run(clean_text(bulletin.title)).bold = True
    minutes = reading_minutes(bulletin.script)
    note = document.add_paragraph(_("Reading time: about %(n)s min (%(words)s words at %(rate)s words a minute)",
                                    n=minutes, words=word_count(bulletin.script), rate=READING_WORDS_PER_MINUTE))
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note.runs[0].italic = True
    if bulletin.key_points.strip():
        document.add_paragraph().add_run(_("Key points")).bold = True
        for point in bulletin.key_points.splitlines():
            document.add_paragraph(clean_text(point), style="List Bullet")
    document.add_paragraph().add_run(_("Script to read aloud")).bold = True
    for line in bulletin.script.splitlines():
        paragraph = document.add_paragraph(clean_text(line))
        paragraph.paragraph_format.space_after = Pt(6)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def record_broadcast(*, created_by: User, unit_id: int, held_on: dt.date, area: str, minutes: int,
                     course_id: int | None) -> Broadcast:
    """Record a bulletin read over the loudspeakers; audited. Only flushes."""
    broadcast = Broadcast(unit_id=unit_id, held_on=held_on, area=" ".join(area.split()), minutes=minutes,
                          course_id=course_id, created_by_id=created_by.id)
    db.session.add(broadcast)
    db.session.flush()
    audit.record("broadcast.create", object_type="broadcast", object_id=broadcast.id,
                 summary=audit.N_("recorded a loudspeaker broadcast in %(area)s (%(minutes)s min)"),
                 params={"area": broadcast.area, "minutes": minutes})
    return broadcast


def delete_broadcast(broadcast: Broadcast) -> None:
    """Delete a broadcast recorded by mistake, keeping what it said in the audit log. Only flushes."""
    audit.record("broadcast.delete", object_type="broadcast", object_id=broadcast.id,
                 summary=audit.N_("deleted a loudspeaker broadcast in %(area)s (%(minutes)s min)"),
                 params={"area": broadcast.area, "minutes": broadcast.minutes},
                 before={"unit_id": broadcast.unit_id, "held_on": broadcast.held_on.isoformat(),
                         "area": broadcast.area, "minutes": broadcast.minutes})
    db.session.delete(broadcast)
    db.session.flush()


def broadcasts_in_scope(user: User, year: int) -> sa.Select[tuple[Broadcast]]:
    """The broadcasts of ``year`` by units the user oversees, latest first."""
    statement = sa.select(Broadcast).where(Broadcast.held_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return limit_to_scope(statement, Broadcast.unit_id, user).order_by(Broadcast.held_on.desc(), Broadcast.id.desc())


def broadcast_figures(unit_id: int, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(broadcasts, minutes) read with start <= held_on <= end by ``unit_id`` or a unit below it."""
    count, minutes = db.session.execute(
        sa.select(sa.func.count(Broadcast.id), sa.func.coalesce(sa.func.sum(Broadcast.minutes), 0)).where(
            Broadcast.unit_id.in_(subtree_ids(sa.select(sa.literal(unit_id)))),
            Broadcast.held_on >= start, Broadcast.held_on <= end)
    ).one()
    return int(count), int(minutes)
