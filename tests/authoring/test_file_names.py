"""A module keeps the file names it was imported with: `courses export` gives back `10-tong-ket.md`,
not a renumbered `03-tong-ket.md`, so authors who keep modules in git see no renames."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import User
from learnhub.authoring import drafts
from learnhub.courses.models import Course
from learnhub.extensions import db
from tests.authoring.test_courses_zip_cli import PNG, invoke
from tests.courses.conftest import LESSON_MD, write_course


def names_in(data: bytes) -> list[str]:
    return sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())


def folder_with_gaps(root: Path) -> Path:
    folder = write_course(root, "tong-ket", lessons=0, **{
        "1-mo-dau.md": LESSON_MD.format(title="Mở đầu") + "\n![Sơ đồ](media/So_Do-2024.png)\n",
        "02-noi-dung.md": LESSON_MD.format(title="Nội dung"),
        "10-tong-ket.md": LESSON_MD.format(title="Tổng kết"),
    })
    (folder / "media").mkdir()
    (folder / "media" / "So_Do-2024.png").write_bytes(PNG)
    return folder


def test_export_gives_back_the_names_the_module_was_imported_with(app: Flask, tmp_path: Path) -> None:
    folder = folder_with_gaps(tmp_path / "src")
    assert invoke(app, "courses", "import", folder).exit_code == 0
    out = tmp_path / "out.zip"
    result = invoke(app, "courses", "export", "tong-ket", "-o", out)
    assert result.exit_code == 0, result.output
    assert names_in(out.read_bytes()) == [
        "tong-ket/02-noi-dung.md", "tong-ket/1-mo-dau.md", "tong-ket/10-tong-ket.md", "tong-ket/course.md",
        "tong-ket/media/So_Do-2024.png"]


def test_a_new_lesson_takes_the_next_free_number_and_moves_rename_only_the_two(app: Flask, tmp_path: Path) -> None:
    assert invoke(app, "courses", "import", folder_with_gaps(tmp_path / "src")).exit_code == 0
    with app.app_context():
        course = db.session.scalars(sa.select(Course).where(Course.slug == "tong-ket")).one()
        author = db.session.scalars(sa.select(User)).first()
        drafts.add_lesson(course, "Câu hỏi ôn tập", author=author)
        with drafts.draft_folder(course) as folder:
            names = sorted(p.name for p in folder.glob("*.md"))
        assert names == ["02-noi-dung.md", "1-mo-dau.md", "10-tong-ket.md", "11-cau-hoi-on-tap.md", "course.md"]
        drafts.move_lesson(course, "lesson:noi-dung", -1)
        with drafts.draft_folder(course) as folder:
            names = sorted(p.name for p in folder.glob("*.md"))
        assert names == ["01-noi-dung.md", "02-mo-dau.md", "10-tong-ket.md", "11-cau-hoi-on-tap.md", "course.md"]
        db.session.rollback()
