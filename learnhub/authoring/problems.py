"""Course-check problems as the browser shows them: in the reader's language, naming the lesson
("Bài 2 – title") or the question ("Câu 3") rather than a file and line, with how to fix each
(the command line keeps ``path:line: message``, see learnhub.courses.problems)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from learnhub.authoring import drafts, editing
from learnhub.authoring.publishing import file_key_for
from learnhub.courses.models import Course
from learnhub.courses.problems import MESSAGES, Problem


def N_(message: str) -> str:  # noqa: N802 (gettext's marker: extracted here, translated when shown)
    return message


# How to fix each problem the course checker raises, said to someone who edits in the browser (the
# fields are named as the editors label them). tests/authoring/test_problem_messages.py checks that
# every code of courses.problems.MESSAGES has one.
FIXES: dict[str, str] = {
    "not_found": N_("Export the module again as a .zip and upload that file."),
    "no_such_file": N_("Export the module again as a .zip and upload that file."),
    "not_a_course_folder": N_("Upload a .zip made with “Export as .zip”: it holds the module's settings and lessons."),
    "no_courses": N_("Upload a .zip made with “Export as .zip”: it holds the module's settings and lessons."),
    "not_utf8": N_("Copy the text into the editor in the browser and save it there."),
    "folder_slug": N_("In the module's settings, give it a short name using only a-z, 0-9 and '-'."),
    "course_md_missing": N_("Open “Settings and introduction”, fill them in and save."),
    "no_lessons": N_("Add a lesson with the “Add a lesson” button on the module's page."),
    "slug_used_by": N_("Give one of the two lessons another title."),
    "unknown_key": N_("Nothing to do: this setting is not used. Remove it in “Edit as text” to silence this."),
    "required": N_("Open the settings or the lesson named here and fill in the missing box."),
    "non_empty_text": N_("Open the settings or the lesson named here and fill in the empty box."),
    "kind_choice": N_("In “Settings and introduction”, choose the kind of document from the list."),
    "language": N_("In “Settings and introduction”, leave the language as Vietnamese or give a code such as vi."),
    "tags": N_("In “Settings and introduction”, write the tags as short words separated by commas."),
    "public": N_("In “Settings and introduction”, tick or untick “Public”."),
    "document": N_("In “Settings and introduction”, fill in the document number, who issued it and when."),
    "unknown_document_key": N_("In “Settings and introduction”, use only the document number, issuer and date boxes."),
    "document_text": N_("In “Settings and introduction”, write the document number and issuer as text."),
    "document_date": N_("In “Settings and introduction”, choose the date the document was issued."),
    "lesson_file_name": N_("Add the lesson again with the “Add a lesson” button and copy its text across."),
    "lesson_slug": N_("Give the lesson a title with letters or digits in it."),
    "reserved_slug": N_("Give the lesson a different title."),
    "number_taken": N_("Move one of the two lessons up or down on the module's page."),
    "slug_taken": N_("Give one of the two lessons another title."),
    "minutes": N_("In the lesson's “Study time in minutes” box, enter a whole number from 1 to 240."),
    "key_points": N_("In the lesson's “Key points” box, write from 1 to 7 short sentences, one per line."),
    "empty_lesson": N_("Write the lesson's text in its editor, or archive the lesson."),
    "media_too_large": N_("Make the image smaller (under 10 MB) and upload it again on “Images and files”."),
    "media_type": N_("Upload the image as PNG, JPEG, GIF or WebP, or the document as PDF."),
    "media_missing": N_("Upload the image on “Images and files”, or pick one from the editor's “Insert an image” list."),
    "quiz_both": N_("Keep one quiz: convert the GIFT questions or delete one of the two in the history."),
    "unknown_file": N_("Nothing to do: this file is left out of the module."),
    "not_course_format": N_("Nothing to do: this file is left out of the module."),
    "fm_no_start": N_("Open the editor named here and save it once: the editor writes this part for you."),
    "fm_unclosed": N_("Open the editor named here and save it once: the editor writes this part for you."),
    "fm_yaml": N_("Open the editor named here and save it once: the editor writes this part for you."),
    "fm_value": N_("Open the editor named here and save it once: the editor writes this part for you."),
    "fm_mapping": N_("Open the editor named here and save it once: the editor writes this part for you."),
    "unsafe_html": N_("Use the editor's buttons for formatting instead of HTML; nothing else to do."),
    "unclosed_element": N_("Use the editor's buttons for formatting instead of HTML, and remove the HTML tag named here."),
    "shown_as_text": N_("Use the editor's buttons for formatting instead of HTML, and remove the HTML tag named here."),
    "unclosed_block": N_("Use the editor's buttons for formatting instead of HTML, and remove the HTML tag named here."),
    "unclosed_comment": N_("Remove the '<!--' from the text."),
    "control_character": N_("Delete the text around the place named here and type it again."),
    "bidi_character": N_("Delete the text around the place named here and type it again."),
    "quiz": N_("Open the question in its form and correct it; the form says what each box needs."),
    "zip": N_("Export the module again as a .zip and upload that file."),
    "media_extension": N_("Upload the sound as mp3, m4a or ogg, or the video as mp4 or webm; for any other file, remove the '!' to make it a link."),
    "transcript_missing": N_("Upload a text file with the recording's name ending in .txt holding what is said, on the module's media page."),
    "media_player_content": N_("Save the recording again from the program that made it, in the format its name ends with, and upload it again."),
}
assert set(FIXES) == set(MESSAGES), "every course-check problem says how to fix it"
QUESTION_HEADING_RE = re.compile(r"##(?:[ \t]|$)")


@dataclass(frozen=True)
class ShownProblem:
    """One problem for a page: where (a lesson's title, "Quiz questions" ...), the line, the message."""

    where: str
    line: int
    message: str
    severity: str
    key: str | None  # the draft file to open in its editor, when there is one
    fix: str = ""  # how to fix it, in the reader's language


def _file_title(path: str, course: Course | None, folder: Path | None) -> tuple[str, str | None]:
    key = file_key_for(path)
    if path.startswith("media/"):
        return _("Image or file %(name)s", name=path.removeprefix("media/")), None
    if key is None:
        return path, None
    if course is not None:
        file = drafts.get_file(course, key)
        if file is not None and key.startswith(drafts.LESSON_PREFIX):
            numbers = {f.key: n for n, f in enumerate(drafts.lesson_files(course), start=1)}
            if key in numbers:
                return _("Lesson %(n)d – %(title)s", n=numbers[key], title=editing.file_title(file)), key
            return _("Lesson “%(title)s”", title=editing.file_title(file)), key
        if file is not None:
            return editing.file_title(file), key
    if folder is not None and key.startswith(drafts.LESSON_PREFIX) and (folder / path).is_file():
        fields, _body = drafts.read_fields((folder / path).read_text(encoding="utf-8-sig", errors="replace"))
        if fields.get("title"):
            return _("Lesson “%(title)s”", title=str(fields["title"])), key
    if key == drafts.COURSE_FILE:
        return _("Module settings and introduction"), key
    if key in drafts.QUIZ_FILES:
        return _("Quiz questions"), key
    return _("Lesson %(name)s", name=key.removeprefix(drafts.LESSON_PREFIX)), key


def shown_problems(problems: list[Problem], *, course: Course | None = None,
                   folder: Path | None = None) -> list[ShownProblem]:
    """``problems`` (paths relative to the module folder) for a page: titles from the draft of
    ``course`` or from the files of ``folder``, messages in the reader's language."""
    titles: dict[str, tuple[str, str | None]] = {}
    shown = []
    for problem in problems:
        if problem.path not in titles:
            titles[problem.path] = _file_title(problem.path, course, folder)
        where, key = titles[problem.path]
        message = problem.localized()
        if problem.code == "quiz" and course is not None and problem.path == "quiz.md":
            number = _question_number(course, problem.line)
            where = _("Quiz, question %(n)d", n=number) if number else _("Quiz settings")
        shown.append(ShownProblem(where, problem.line, message, problem.severity, key, _(FIXES[problem.code])))
    return shown


def _question_number(course: Course, line: int) -> int:
    """Which question of the draft's quiz.md a line falls in (0: the settings, before the first)."""
    file = drafts.quiz_file(course)
    if file is None:
        return 0
    headings = [n for n, text in enumerate(file.text.splitlines(), start=1) if QUESTION_HEADING_RE.match(text)]
    return sum(1 for start in headings if start <= line)
