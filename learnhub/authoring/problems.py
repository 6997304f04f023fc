"""Course-check problems as the browser shows them: in the reader's language, naming the lesson by
its title (the command line keeps ``path:line: message``, see learnhub.courses.problems)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from learnhub.authoring import drafts, editing
from learnhub.authoring.publishing import file_key_for
from learnhub.courses.models import Course
from learnhub.courses.problems import Problem


@dataclass(frozen=True)
class ShownProblem:
    """One problem for a page: where (a lesson's title, "Quiz questions" ...), the line, the message."""

    where: str
    line: int
    message: str
    severity: str
    key: str | None  # the draft file to open in its editor, when there is one


def _file_title(path: str, course: Course | None, folder: Path | None) -> tuple[str, str | None]:
    key = file_key_for(path)
    if path.startswith("media/"):
        return _("Image or file %(name)s", name=path.removeprefix("media/")), None
    if key is None:
        return path, None
    if course is not None:
        file = drafts.get_file(course, key)
        if file is not None and key.startswith(drafts.LESSON_PREFIX):
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
        shown.append(ShownProblem(where, problem.line, problem.localized(), problem.severity, key))
    return shown
