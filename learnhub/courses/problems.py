"""Problems found in a course folder: a code and its values, said two ways.

The command line prints ``path:line: message`` in English; the browser shows the same problem in
the reader's language (gettext), naming the lesson rather than the file. One catalogue, below, holds
every message, so both say the same thing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext

from learnhub.quizzes.gift_messages import localise, where
from learnhub.quizzes.quiz_md_messages import localise_md


def N_(message: str) -> str:  # noqa: N802 (the gettext convention: marked for extraction, not translated here)
    return message


MESSAGES: dict[str, str] = {
    "not_found": N_("no such file or folder"),
    "no_such_file": N_("no such file"),
    "not_a_course_folder": N_("not a course folder"),
    "no_courses": N_("no course.md here and no course folders below"),
    "not_utf8": N_("the file is not UTF-8 text (save it as UTF-8)"),
    "folder_slug": N_("the folder name must be a slug: a-z, 0-9 and '-', 1-80 characters"),
    "course_md_missing": N_("course.md is missing"),
    "no_lessons": N_("a course needs at least one lesson file (NN-slug.md)"),
    "slug_used_by": N_("the slug is also used by %(other)s"),
    "unknown_key": N_("unknown key '%(key)s' is ignored"),
    "required": N_("'%(key)s' is required"),
    "non_empty_text": N_("'%(key)s' must be non-empty text"),
    "kind_choice": N_("'kind' must be one of %(allowed)s, not %(value)s"),
    "language": N_("'language' must be a language code such as vi"),
    "tags": N_("'tags' must be a list of short texts"),
    "public": N_("'public' must be true or false"),
    "document": N_("'document' must hold number, issued_by, issued_on"),
    "unknown_document_key": N_("unknown key 'document.%(key)s'"),
    "document_text": N_("'document.%(key)s' must be text"),
    "document_date": N_("'document.issued_on' must be a date YYYY-MM-DD"),
    "lesson_file_name": N_("a lesson file is named NN-slug.md (NN: 1-3 digits)"),
    "lesson_slug": N_("the lesson slug must use a-z, 0-9 and '-' only, 1-80 characters"),
    "reserved_slug": N_("'%(slug)s' is reserved and cannot be a lesson slug"),
    "number_taken": N_("lesson number %(number)s is also used by %(other)s"),
    "slug_taken": N_("lesson slug '%(slug)s' is also used by %(other)s"),
    "minutes": N_("'minutes' must be a whole number from 1 to 240"),
    "key_points": N_("'key_points' must be a list of 1-7 short sentences"),
    "empty_lesson": N_("the lesson has no text"),
    "media_too_large": N_("the file is larger than %(mb)s MB"),
    "media_type": N_("only PNG, JPEG, GIF, WebP images and PDF files, audio (mp3, m4a, ogg), video (mp4, webm) "
                     "and UTF-8 .txt transcripts are accepted (checked by content, matching the extension)"),
    "media_player_content": N_("the file's content is not the audio or video its extension names "
                               "(mp3, m4a, ogg, mp4 or webm)"),
    "transcript_missing": N_("%(ref)s needs its transcript media/%(transcript)s (a text file with the same "
                             "name), for members who cannot play sound"),
    "media_extension": N_("%(ref)s cannot be shown: only images (png, jpg, gif, webp), audio (mp3, m4a, ogg) "
                          "and video (mp4, webm) are shown; link any other file without the '!'"),
    "media_missing": N_("%(ref)s is not a file in media/"),
    "quiz_both": N_("quiz.md and quiz.gift are both present: keep only one"),
    "unknown_file": N_("not part of the course format; ignored"),
    "not_course_format": N_("not part of the course format"),
    "fm_no_start": N_("the file must start with a '---' line opening the front matter"),
    "fm_unclosed": N_("the front matter is not closed by a '---' line"),
    "fm_yaml": N_("invalid YAML: %(detail)s"),
    "fm_value": N_("invalid value: %(detail)s"),
    "fm_mapping": N_("the front matter must be a mapping of 'key: value' lines"),
    "unsafe_html": N_("unsafe HTML will be removed when imported"),
    "unclosed_element": N_("<%(tag)s> is never closed, so members would lose the text after it: "
                           "close it with </%(tag)s> or remove it"),
    "shown_as_text": N_("<%(tag)s> is not allowed in a lesson: members see it as text"),
    "unclosed_block": N_("<%(tag)s> opened here is never closed, so the Markdown after it is shown "
                         "unformatted: close it with </%(tag)s>"),
    "unclosed_comment": N_("the HTML comment opened here with '<!--' is never closed with '-->', "
                           "so members would lose the text after it"),
    "control_character": N_("the line holds the invisible control character %(char)s: remove it"),
    "bidi_character": N_("the line holds %(char)s, which changes the order members read the text in: "
                         "remove it"),
    # Messages from elsewhere (the quiz parsers, the zip checks), carried as they come.
    "quiz": "%(message)s",
    "zip": "%(message)s",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at a 1-based line of a file; ``code`` names its message in :data:`MESSAGES`."""

    path: str
    line: int
    code: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    severity: str = field(default="error", compare=False)

    @property
    def message(self) -> str:
        """The message in English, as the command line prints it (a quiz parser's message as it came,
        so a GIFT message still knows its question: ``gift_messages.where(problem)``)."""
        if self.code == "quiz":
            return self.params["message"]
        return MESSAGES[self.code] % self.params if self.params else MESSAGES[self.code]

    def localized(self) -> str:
        """The message in the reader's language (within a request or ``force_locale``)."""
        template = MESSAGES[self.code]
        if self.code == "quiz":  # a GIFT message names its question and translates itself
            message = self.params["message"]
            text = localise(message) if hasattr(message, "template") else localise_md(message)
            place = where(self)
            return f"{place}: {text}" if place else text
        if self.code == "zip":
            return gettext(self.params["message"])  # translated when the text is in the catalogue
        return gettext(template, **self.params)

    def moved(self, path: str) -> Problem:
        """The same problem named at another path (a temporary folder shown as the author's file)."""
        return Problem(path, self.line, self.code, self.params, self.severity)

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


class Collector:
    """The problems of one check, in the order they were found."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, path: Path | str, line: int, code: str, **params: Any) -> None:
        self.problems.append(Problem(str(path), line, code, params))

    def warning(self, path: Path | str, line: int, code: str, **params: Any) -> None:
        self.problems.append(Problem(str(path), line, code, params, "warning"))
