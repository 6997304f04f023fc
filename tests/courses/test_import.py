"""`learnhub courses check|import`: all problems listed, all-or-nothing, re-import in place."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from learnhub.courses.models import Course, Lesson, LessonProgress
from learnhub.extensions import db
from learnhub.study.services import mark_lesson_studied
from tests.courses.conftest import LESSON_MD, write_course


def invoke(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def count(app: Flask, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def broken_course(root: Path) -> Path:
    return write_course(
        root,
        "hong",
        **{
            "course.md": '---\ntitle: "T"\nkind: speech\n---\n',
            "01-bai-1.md": '---\ntitle: "B"\nminutes: 999\n---\nx\n',
            "bai.md": "x",
        },
    )


def test_check_lists_every_problem_with_path_and_line_and_fails(app: Flask, tmp_path: Path) -> None:
    folder = broken_course(tmp_path)
    result = invoke(app, "courses", "check", str(tmp_path))
    assert result.exit_code != 0
    lines = result.stderr.splitlines()
    assert f"{folder}/course.md:1: 'summary' is required" in lines
    assert any(line.startswith(f"{folder}/course.md:3: 'kind' must be one of") for line in lines)
    assert f"{folder}/01-bai-1.md:3: 'minutes' must be a whole number from 1 to 240" in lines
    assert f"{folder}/bai.md:1: a lesson file is named NN-slug.md (NN: 1-3 digits)" in lines
    assert lines[-1] == "Error: 4 error(s) in 1 course folder(s)"
    assert result.stdout == ""


def test_check_of_a_missing_path_fails_with_one_line(app: Flask, tmp_path: Path) -> None:
    result = invoke(app, "courses", "check", str(tmp_path / "khong-co"))
    assert result.exit_code == 1
    assert f"{tmp_path}/khong-co:1: no such file or folder" in result.stderr


def test_check_accepts_the_shipped_courses(app: Flask) -> None:
    result = invoke(app, "courses", "check", "courses")
    assert result.exit_code == 0, result.output
    assert "2 course folder(s) OK" in result.stderr


def test_import_with_any_error_writes_nothing(app: Flask, tmp_path: Path) -> None:
    write_course(tmp_path, "tot")
    broken_course(tmp_path)
    result = invoke(app, "courses", "import", str(tmp_path))
    assert result.exit_code == 1
    assert "nothing was imported" in result.stderr
    assert count(app, Course) == 0
    assert count(app, Lesson) == 0


def test_import_renders_sanitised_html_once(app: Flask, tmp_path: Path) -> None:
    write_course(
        tmp_path,
        **{"01-bai-1.md": LESSON_MD.format(title="x") + '\n<script>alert(1)</script>\n[xem](javascript:alert(1))\n'},
    )
    result = invoke(app, "courses", "import", str(tmp_path))
    assert result.exit_code == 0, result.output
    with app.app_context():
        lesson = db.session.scalars(sa.select(Lesson).where(Lesson.slug == "bai-1")).one()
        assert "<h2>Nội dung</h2>" in lesson.body_html
        assert "<script" not in lesson.body_html and "javascript:" not in lesson.body_html
        assert "<script>" in lesson.body_markdown  # the source is kept as written


def test_reimport_updates_in_place_and_keeps_progress(app: Flask, tmp_path: Path, make_user) -> None:
    folder = write_course(tmp_path)
    assert invoke(app, "courses", "import", str(tmp_path)).exit_code == 0
    member = make_user()
    with app.app_context():
        lesson = db.session.scalars(sa.select(Lesson).where(Lesson.slug == "bai-1")).one()
        mark_lesson_studied(db.session.get(type(member), member.id), lesson)
        db.session.commit()
        first_id = lesson.id

    (folder / "01-bai-1.md").write_text(LESSON_MD.format(title="Bài một, sửa lại"), encoding="utf-8")
    (folder / "03-bai-3.md").unlink()
    (folder / "04-bai-moi.md").write_text(LESSON_MD.format(title="Bài mới"), encoding="utf-8")
    result = invoke(app, "courses", "import", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "added bai-moi" in result.stderr and "archived bai-3" in result.stderr

    with app.app_context():
        lessons = {lesson.slug: lesson for lesson in db.session.scalars(sa.select(Lesson))}
        assert lessons["bai-1"].id == first_id
        assert lessons["bai-1"].title == "Bài một, sửa lại"
        assert lessons["bai-3"].archived_at is not None  # kept with its history, not deleted
        assert lessons["bai-moi"].archived_at is None
        progress = db.session.scalars(sa.select(LessonProgress)).one()
        assert progress.lesson_id == first_id and progress.studied_at is not None
    assert count(app, Course) == 1


def test_import_without_paths_takes_the_shipped_courses(app: Flask) -> None:
    result = invoke(app, "courses", "import")
    assert result.exit_code == 0, result.output
    with app.app_context():
        slugs = set(db.session.scalars(sa.select(Course.slug)))
    assert {"chi-thi-05-ct-tw", "nang-cao-chat-luong-hoc-tap-nghi-quyet"} <= slugs


def test_duplicate_slugs_across_paths_are_refused(app: Flask, tmp_path: Path) -> None:
    write_course(tmp_path / "a", "trung")
    write_course(tmp_path / "b", "trung")
    result = invoke(app, "courses", "import", str(tmp_path / "a"), str(tmp_path / "b"))
    assert result.exit_code == 1
    assert f"{tmp_path}/b/trung:1: the slug is also used by {tmp_path}/a/trung" in result.stderr
    assert count(app, Course) == 0
