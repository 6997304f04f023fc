"""Reading and checking course folders (docs/course-format.md) without touching the database."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from learnhub.courses.body_check import check_body, check_media_refs
from learnhub.courses.frontmatter import FrontMatter, FrontMatterError, split_front_matter
from learnhub.courses.media_files import MediaSource, read_media
from learnhub.courses.models import CourseKind
from learnhub.courses.problems import Collector, Problem
from learnhub.quizzes.bank import Bank
from learnhub.quizzes.gift import parse_gift
from learnhub.quizzes.quiz_md import parse_quiz_md

SLUG_RE = re.compile(r"^[a-z0-9-]{1,80}$")
LESSON_FILE_RE = re.compile(r"^(\d{1,3})-(.+)\.md$")
RESERVED_LESSON_SLUGS = {"media", "quiz", "faq"}  # module pages use these names
COURSE_KEYS = {"title", "kind", "document", "summary", "language", "tags", "public"}
LESSON_KEYS = {"title", "minutes", "key_points", "public"}
DOCUMENT_KEYS = {"number", "issued_by", "issued_on"}


@dataclass
class LessonSource:
    slug: str
    position: int
    title: str
    minutes: int
    key_points: list[str]
    body_markdown: str
    file_name: str = ""  # as the author named it, e.g. 10-tong-ket.md; kept when exported
    public: bool = False  # part of the module's short public version (docs/course-format.md)


@dataclass
class CourseSource:
    slug: str
    title: str
    kind: CourseKind
    summary: str
    language: str = "vi"
    tags: list[str] = field(default_factory=list)
    public: bool = False
    document_number: str | None = None
    document_issued_by: str | None = None
    document_issued_on: dt.date | None = None
    intro_markdown: str = ""
    lessons: list[LessonSource] = field(default_factory=list)
    media: list[MediaSource] = field(default_factory=list)
    quiz_format: str | None = None
    quiz_source: str | None = None
    quiz_bank: Bank | None = None


@dataclass
class CourseReport:
    """What reading one folder gave: the course (when it has no errors) and every problem."""

    folder: Path
    source: CourseSource | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def find_course_folders(path: Path) -> tuple[list[Path], list[Problem]]:
    """A PATH is one course folder (it has course.md) or a folder of course folders."""
    if not path.exists():
        return [], [Problem(str(path), 1, "not_found")]
    if not path.is_dir():
        return [], [Problem(str(path), 1, "not_a_course_folder")]
    if (path / "course.md").is_file():
        return [path], []
    folders = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    if not folders:
        return [], [Problem(str(path), 1, "no_courses")]
    return folders, []


def read_text(path: Path, out: Collector) -> str | None:
    """Read a UTF-8 file (a BOM is allowed) as NFC text; report another encoding at its line."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        out.error(path, line, "not_utf8")
        return None
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n"))


def read_course(folder: Path, *, skip_unsupported: bool = False) -> CourseReport:
    """Read and check one course folder; ``source`` is None when there is any error.

    ``skip_unsupported`` skips GIFT items LearnHub cannot grade (essays) with a warning.
    """
    out = Collector()
    slug = folder.name
    if not SLUG_RE.match(slug):
        out.error(folder, 1, "folder_slug")
    course_md = folder / "course.md"
    course: CourseSource | None = None
    if not course_md.is_file():
        out.error(course_md, 1, "course_md_missing")
    else:
        course = _read_course_md(course_md, slug, out)
    lessons = _read_lessons(folder, out)
    media = read_media(folder, out)
    quiz_format, quiz_source, quiz_bank = _read_quiz(folder, out, skip_unsupported)
    media_paths = {m.path for m in media}
    if course is not None:
        check_media_refs(course_md, course.intro_markdown, _body_line(course_md), media_paths, out)
    for path, lesson in lessons:
        check_media_refs(path, lesson.body_markdown, _body_line(path), media_paths, out)
    _warn_unknown_files(folder, out)
    if not any(LESSON_FILE_RE.match(p.name) for p in folder.glob("*.md")) and course_md.is_file():
        out.error(course_md, 1, "no_lessons")
    problems = sorted(out.problems)
    if course is None or any(p.severity == "error" for p in problems):
        return CourseReport(folder, None, problems)
    course.lessons = [lesson for _, lesson in lessons]
    course.media = media
    course.quiz_format, course.quiz_source, course.quiz_bank = quiz_format, quiz_source, quiz_bank
    return CourseReport(folder, course, problems)


def _parse(path: Path, out: Collector) -> FrontMatter | None:
    text = read_text(path, out)
    if text is None:
        return None
    try:
        return split_front_matter(text)
    except FrontMatterError as exc:
        out.error(path, exc.line, exc.code, **exc.params)
        return None


def _required_text(fm: FrontMatter, key: str, path: Path, out: Collector) -> str | None:
    value = fm.data.get(key)
    if value is None:
        out.error(path, fm.line_of(key), "required", key=key)
        return None
    if not isinstance(value, str) or not value.strip():
        out.error(path, fm.line_of(key), "non_empty_text", key=key)
        return None
    return value.strip()


def _read_course_md(path: Path, slug: str, out: Collector) -> CourseSource | None:
    fm = _parse(path, out)
    if fm is None:
        return None
    errors_before = len(out.problems)
    for key in sorted(set(fm.data) - COURSE_KEYS, key=fm.line_of):
        out.warning(path, fm.line_of(key), "unknown_key", key=key)
    title = _required_text(fm, "title", path, out)
    summary = _required_text(fm, "summary", path, out)
    kind_value = fm.data.get("kind")
    kind = None
    if kind_value is None:
        out.error(path, 1, "required", key="kind")
    elif kind_value not in CourseKind.__members__:
        allowed = " | ".join(CourseKind.__members__)
        out.error(path, fm.line_of("kind"), "kind_choice", allowed=allowed, value=repr(kind_value))
    else:
        kind = CourseKind(kind_value)
    language = fm.data.get("language", "vi")
    if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2}(-[A-Za-z]{2})?", language):
        out.error(path, fm.line_of("language"), "language")
    tags = fm.data.get("tags", [])
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(t, str | int) for t in tags):
        out.error(path, fm.line_of("tags"), "tags")
        tags = []
    public = fm.data.get("public", False)
    if not isinstance(public, bool):
        out.error(path, fm.line_of("public"), "public")
    document = _read_document(fm, path, out)
    check_body(path, fm.body, fm.body_line, out)
    if len(out.problems) != errors_before and any(
        p.severity == "error" for p in out.problems[errors_before:]
    ):
        return None
    assert title is not None and summary is not None and kind is not None
    return CourseSource(
        slug=slug,
        title=title,
        kind=kind,
        summary=summary,
        language=language,
        tags=[str(t) for t in tags],
        public=public,
        intro_markdown=fm.body.rstrip() + "\n",
        **document,
    )


def _read_document(fm: FrontMatter, path: Path, out: Collector) -> dict[str, Any]:
    document = fm.data.get("document")
    if document is None:
        return {}
    if not isinstance(document, dict):
        out.error(path, fm.line_of("document"), "document")
        return {}
    lines = fm.nested_lines.get("document", {})
    for key in sorted(set(document) - DOCUMENT_KEYS):
        out.warning(path, lines.get(key, fm.line_of("document")), "unknown_document_key", key=key)
    result: dict[str, Any] = {}
    for key in ("number", "issued_by"):
        value = document.get(key)
        if value is not None and not isinstance(value, str | int):
            out.error(path, lines.get(key, 1), "document_text", key=key)
        elif value is not None:
            result[f"document_{key}"] = str(value)
    issued_on = document.get("issued_on")
    if isinstance(issued_on, dt.datetime):
        issued_on = issued_on.date()
    if isinstance(issued_on, str):
        try:
            issued_on = dt.date.fromisoformat(issued_on)
        except ValueError:
            issued_on = "invalid"
    if issued_on is not None and not isinstance(issued_on, dt.date):
        out.error(path, lines.get("issued_on", 1), "document_date")
    elif issued_on is not None:
        result["document_issued_on"] = issued_on
    return result


def _read_lessons(folder: Path, out: Collector) -> list[tuple[Path, LessonSource]]:
    lessons: list[tuple[Path, LessonSource]] = []
    seen_numbers: dict[int, Path] = {}
    seen_slugs: dict[str, Path] = {}
    for path in sorted(folder.glob("*.md")):
        if path.name in ("course.md", "quiz.md"):
            continue
        match = LESSON_FILE_RE.match(path.name)
        if not match:
            out.error(path, 1, "lesson_file_name")
            continue
        number, slug = int(match.group(1)), match.group(2)
        if not SLUG_RE.match(slug):
            out.error(path, 1, "lesson_slug")
            continue
        if slug in RESERVED_LESSON_SLUGS:
            out.error(path, 1, "reserved_slug", slug=slug)
            continue
        if number in seen_numbers:
            out.error(path, 1, "number_taken", number=number, other=seen_numbers[number].name)
        if slug in seen_slugs:
            out.error(path, 1, "slug_taken", slug=slug, other=seen_slugs[slug].name)
        seen_numbers.setdefault(number, path)
        seen_slugs.setdefault(slug, path)
        lesson = _read_lesson(path, slug, number, out)
        if lesson is not None:
            lessons.append((path, lesson))
    lessons.sort(key=lambda item: item[1].position)
    return lessons


def _read_lesson(path: Path, slug: str, number: int, out: Collector) -> LessonSource | None:
    fm = _parse(path, out)
    if fm is None:
        return None
    count = len(out.problems)
    for key in sorted(set(fm.data) - LESSON_KEYS, key=fm.line_of):
        out.warning(path, fm.line_of(key), "unknown_key", key=key)
    title = _required_text(fm, "title", path, out)
    minutes = fm.data.get("minutes")
    if minutes is None:
        out.error(path, 1, "required", key="minutes")
    elif isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 240:
        out.error(path, fm.line_of("minutes"), "minutes")
    key_points = fm.data.get("key_points", [])
    if key_points is None:
        key_points = []
    if (
        not isinstance(key_points, list)
        or not all(isinstance(p, str) and p.strip() for p in key_points)
        or len(key_points) > 7
        or ("key_points" in fm.data and not key_points)
    ):
        out.error(path, fm.line_of("key_points"), "key_points")
        key_points = []
    public = fm.data.get("public", False)
    if not isinstance(public, bool):
        out.error(path, fm.line_of("public"), "public")
    if not fm.body.strip():
        out.warning(path, fm.body_line, "empty_lesson")
    check_body(path, fm.body, fm.body_line, out)
    if any(p.severity == "error" for p in out.problems[count:]):
        return None
    assert title is not None and isinstance(minutes, int)
    return LessonSource(
        slug=slug,
        position=number,
        title=title,
        minutes=minutes,
        key_points=[p.strip() for p in key_points],
        body_markdown=fm.body.rstrip() + "\n",
        file_name=path.name,
        public=public is True,
    )


def _read_quiz(
    folder: Path, out: Collector, skip_unsupported: bool
) -> tuple[str | None, str | None, Bank | None]:
    """The quiz file's format, text and parsed bank; its problems reported at their lines."""
    quiz_md, quiz_gift = folder / "quiz.md", folder / "quiz.gift"
    if quiz_md.is_file() and quiz_gift.is_file():
        out.error(quiz_gift, 1, "quiz_both")
        return None, None, None
    for path, kind in ((quiz_md, "md"), (quiz_gift, "gift")):
        if not path.is_file():
            continue
        text = read_text(path, out)
        if text is None:
            return None, None, None
        if kind == "md":
            bank, problems = parse_quiz_md(text)
        else:
            bank, problems = parse_gift(text, skip_unsupported=skip_unsupported)
        for problem in problems:
            report = out.warning if problem.severity == "warning" else out.error
            report(path, problem.line, "quiz", message=problem.message)
        return kind, text, bank
    return None, None, None


def _body_line(path: Path) -> int:
    try:
        return split_front_matter(path.read_text(encoding="utf-8-sig")).body_line
    except (FrontMatterError, UnicodeDecodeError, OSError):
        return 1


def _warn_unknown_files(folder: Path, out: Collector) -> None:
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name == "media":
            continue
        if path.is_dir() or path.suffix not in (".md", ".gift"):
            out.warning(path, 1, "unknown_file")


def check_file(path: Path, media: set[str], *, skip_unsupported: bool = False) -> list[Problem]:
    """Check one file of a course folder on its own (the browser editor checks as the author types).

    ``media`` holds the module's media paths, so image references are checked too.
    """
    out = Collector()
    if path.name == "course.md":
        _read_course_md(path, "module", out)
        _check_body_media(path, media, out)
    elif path.name in ("quiz.md", "quiz.gift"):
        text = read_text(path, out)
        if text is not None:
            _, problems = parse_quiz_md(text) if path.suffix == ".md" else parse_gift(
                text, skip_unsupported=skip_unsupported)
            for problem in problems:
                (out.warning if problem.severity == "warning" else out.error)(
                    path, problem.line, "quiz", message=problem.message)
    elif match := LESSON_FILE_RE.match(path.name):
        _read_lesson(path, match.group(2), int(match.group(1)), out)
        _check_body_media(path, media, out)
    else:
        out.error(path, 1, "not_course_format")
    return sorted(out.problems)


def _check_body_media(path: Path, media: set[str], out: Collector) -> None:
    """Image references of a file's body, checked even when its front matter has errors."""
    try:
        front = split_front_matter(path.read_text(encoding="utf-8-sig"))
    except (FrontMatterError, UnicodeDecodeError):
        return
    check_media_refs(path, front.body, front.body_line, media, out)
