"""`learnhub courses check|import|export` with .zip files, modules edited in the browser, owners,
and `learnhub demo` leaving browser edits alone."""
from __future__ import annotations

import io
import re
import tempfile
import uuid
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import User
from learnhub.authoring import drafts, publishing
from learnhub.authoring.models import DraftFile, Revision
from learnhub.courses.models import Course, CourseKind, Lesson
from learnhub.extensions import db
from learnhub.orgs.models import UnitKind
from tests.courses.conftest import LESSON_MD, write_course

PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)
QUIZ_MD = """---
pass_score: 80
---

## Chỉ thị được ban hành vào năm nào? {#nam}

- [ ] 2014
- [x] 2016
"""
SLUG = "vong-tron"


def invoke(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=[str(a) for a in args])


def count(app: Flask, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def source_folder(root: Path, slug: str = SLUG) -> Path:
    """A course folder with a quiz and an image used by a lesson."""
    folder = write_course(root, slug, **{
        "02-bai-2.md": LESSON_MD.format(title="Bài 2") + "\n![Sơ đồ tổ chức](media/so-do.png)\n",
        "quiz.md": QUIZ_MD, "media__so-do.png": "x",
    })
    (folder / "media" / "so-do.png").write_bytes(PNG)
    return folder


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith("Error:")]


def browser_edit(app: Flask, slug: str, key: str, text: str) -> None:
    """Save a file of the draft as a propagandist does in the editor."""
    with app.app_context():
        course = db.session.scalars(sa.select(Course).where(Course.slug == slug)).one()
        publishing.ensure_draft(course)
        author = db.session.scalars(sa.select(User)).first()
        drafts.save_file(course, key, text, author=author, base_revision=drafts.get_file(course, key).revision)
        db.session.commit()


def draft_text(app: Flask, slug: str, key: str) -> str:
    with app.app_context():
        course = db.session.scalars(sa.select(Course).where(Course.slug == slug)).one()
        return drafts.get_file(course, key).text


# --- Export, check, import, export ------------------------------------------------------------------


def test_export_is_checked_clean_and_export_import_export_gives_the_same_bytes(app: Flask, tmp_path: Path) -> None:
    folder = source_folder(tmp_path / "src")
    assert invoke(app, "courses", "import", folder).exit_code == 0

    first = tmp_path / "a.zip"
    exported = invoke(app, "courses", "export", SLUG, "-o", first)
    assert exported.exit_code == 0, exported.output
    assert exported.stderr.startswith(f"{first}: {SLUG}, ")
    checked = invoke(app, "courses", "check", first)
    assert checked.exit_code == 0, checked.output
    assert "1 course folder(s) OK" in checked.stderr

    with zipfile.ZipFile(first) as zf:
        names = zf.namelist()
        assert names == sorted(f"{SLUG}/{p.relative_to(folder).as_posix()}" for p in folder.rglob("*") if p.is_file())
        assert zf.read(f"{SLUG}/media/so-do.png") == PNG
        assert all(zf.read(name) == (folder.parent / name).read_bytes() for name in names)

    imported = invoke(app, "courses", "import", first)
    assert imported.exit_code == 0, imported.output
    second = tmp_path / "b.zip"
    assert invoke(app, "courses", "export", SLUG, "-o", second).exit_code == 0
    assert second.read_bytes() == first.read_bytes()


def test_export_to_stdout_writes_the_same_zip(app: Flask, tmp_path: Path) -> None:
    assert invoke(app, "courses", "import", source_folder(tmp_path / "src")).exit_code == 0
    first = tmp_path / "a.zip"
    assert invoke(app, "courses", "export", SLUG, "-o", first).exit_code == 0
    piped = invoke(app, "courses", "export", SLUG, "-o", "-")
    assert piped.exit_code == 0, piped.output
    assert piped.stdout_bytes == first.read_bytes()


def test_a_browser_module_round_trips_through_its_zip(app: Flask, tmp_path: Path, make_unit, make_user) -> None:
    root = make_unit("Đảng bộ Thị trấn", UnitKind.committee)
    author = make_user(username="tuyentruyen", unit=root)
    with app.app_context():
        course = drafts.create_module(
            slug="viet-tren-web", title="Học phần viết trên web", kind=CourseKind.training, summary="Tóm tắt.",
            owner_unit_id=root.id, shared_down=True, author=db.session.get(User, author.id))
        drafts.add_lesson(course, "Bài mở đầu", author=db.session.get(User, author.id), body="Nội dung.")
        db.session.commit()

    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    assert invoke(app, "courses", "export", "viet-tren-web", "-o", first).exit_code == 0
    assert invoke(app, "courses", "check", first).exit_code == 0
    with zipfile.ZipFile(first) as zf:
        assert zf.namelist() == ["viet-tren-web/01-bai-mo-dau.md", "viet-tren-web/course.md"]
    assert invoke(app, "courses", "import", "--force", first).exit_code == 0  # written in the browser
    assert invoke(app, "courses", "export", "viet-tren-web", "-o", second).exit_code == 0
    assert second.read_bytes() == first.read_bytes()
    with app.app_context():
        assert db.session.scalars(sa.select(Course)).one().published_at is not None


# --- Refused zips -----------------------------------------------------------------------------------


def test_a_zip_with_an_error_is_reported_as_path_and_line_and_imports_nothing(app: Flask, tmp_path: Path) -> None:
    from learnhub.authoring.uploads import course_zip_bytes

    folder = write_course(tmp_path / "src", "hong", **{"01-bai-1.md": '---\ntitle: "B"\nminutes: 999\n---\nx\n'})
    broken = tmp_path / "hong.zip"
    broken.write_bytes(course_zip_bytes(folder))

    for command in ("check", "import"):
        result = invoke(app, "courses", command, broken)
        assert result.exit_code == 1
        lines = problem_lines(result.stderr)
        assert len(lines) == 1
        assert re.fullmatch(r".+/hong/01-bai-1\.md:3: 'minutes' must be a whole number from 1 to 240", lines[0])
    assert "nothing was imported" in result.stderr
    for model in (Course, Lesson, DraftFile, Revision):
        assert count(app, model) == 0


def test_a_problem_inside_a_zip_names_the_zip(app: Flask, tmp_path: Path) -> None:
    from learnhub.authoring.uploads import course_zip_bytes

    folder = write_course(tmp_path / "src", "hong", **{"01-bai-1.md": '---\ntitle: "B"\nminutes: 999\n---\nx\n'})
    broken = tmp_path / "hong.zip"
    broken.write_bytes(course_zip_bytes(folder))
    line = problem_lines(invoke(app, "courses", "check", broken).stderr)[0]
    assert str(broken) in line and tempfile.gettempdir() + "/learnhub-zip-" not in line


@pytest.mark.parametrize(("entries", "reason"), [
    (lambda evil: {"vong/course.md": b"x", f"../{evil}": b"x"}, "The zip holds an unsafe path: '../{evil}'."),
    (lambda evil: {"mot/course.md": b"x", "hai/course.md": b"x"},
     "The zip must hold exactly one course folder, not several (hai, mot)."),
])
def test_a_zip_with_path_tricks_or_two_top_folders_is_refused_with_one_line(app, tmp_path, entries, reason) -> None:
    evil = f"learnhub-evil-{uuid.uuid4().hex}"
    package = tmp_path / "goi.zip"
    package.write_bytes(zip_of(entries(evil)))
    for command in ("check", "import"):
        result = invoke(app, "courses", command, package)
        assert result.exit_code == 1
        assert problem_lines(result.stderr) == [f"{package}:1: " + reason.format(evil=evil)]
    assert not any(Path(base, evil).exists() for base in (tempfile.gettempdir(), tmp_path))
    assert count(app, Course) == 0


# --- Browser edits versus files ----------------------------------------------------------------------


def test_import_refuses_a_module_edited_in_the_browser_unless_forced(app: Flask, tmp_path: Path, make_user) -> None:
    make_user()
    folder = source_folder(tmp_path / "src")
    assert invoke(app, "courses", "import", folder).exit_code == 0
    browser_text = "---\ntitle: Bài 1 sửa trên web\nminutes: 10\n---\nViết trên trình duyệt.\n"
    browser_edit(app, SLUG, "lesson:bai-1", browser_text)
    (folder / "01-bai-1.md").write_text(LESSON_MD.format(title="Bài 1 từ thư mục"), encoding="utf-8")
    revisions = count(app, Revision)

    refused = invoke(app, "courses", "import", folder)
    assert refused.exit_code == 1
    assert SLUG in refused.stderr and "edited in the browser" in refused.stderr and "--force" in refused.stderr
    assert draft_text(app, SLUG, "lesson:bai-1") == browser_text
    assert count(app, Revision) == revisions
    with app.app_context():
        assert db.session.scalars(sa.select(Lesson.title).where(Lesson.slug == "bai-1")).one() == "Bài 1"

    forced = invoke(app, "courses", "import", "--force", folder)
    assert forced.exit_code == 0, forced.output
    assert draft_text(app, SLUG, "lesson:bai-1") == (folder / "01-bai-1.md").read_text(encoding="utf-8")
    with app.app_context():
        assert db.session.scalars(sa.select(Lesson.title).where(Lesson.slug == "bai-1")).one() == "Bài 1 từ thư mục"
        course = db.session.scalars(sa.select(Course)).one()
        assert browser_text in [r.text for r in drafts.revisions(course, "lesson:bai-1")]
        assert not publishing.is_diverged(course)


# --- Owners, and what is not there -------------------------------------------------------------------


def test_the_owner_is_the_top_unit_or_the_unit_given(app: Flask, tmp_path: Path, make_unit) -> None:
    root = make_unit("Đảng bộ Thị trấn", UnitKind.committee)
    cell = make_unit("Chi bộ Khu phố 1", UnitKind.cell, parent=root)
    write_course(tmp_path / "a", "mac-dinh")
    write_course(tmp_path / "b", "cua-chi-bo")

    unknown = invoke(app, "courses", "import", "--unit", "Không có", tmp_path / "b")
    assert unknown.exit_code != 0
    errors = [line for line in unknown.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and errors[0].endswith("no unit named 'Không có'")
    assert count(app, Course) == 0

    assert invoke(app, "courses", "import", tmp_path / "a").exit_code == 0
    assert invoke(app, "courses", "import", "--unit", "Chi bộ Khu phố 1", tmp_path / "b").exit_code == 0
    assert invoke(app, "courses", "import", tmp_path / "b").exit_code == 0  # an existing module keeps its owner
    with app.app_context():
        owners = dict(db.session.execute(sa.select(Course.slug, Course.owner_unit_id)).all())
    assert owners == {"mac-dinh": root.id, "cua-chi-bo": cell.id}


def test_export_of_an_unknown_module_fails_with_one_line(app: Flask, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(app, "courses", "export", "nope")
    assert result.exit_code == 1
    assert result.stderr == "Error: no module with the slug 'nope'\n" and result.stdout == ""
    assert list(tmp_path.iterdir()) == []


# --- The demo -------------------------------------------------------------------------------------------


def test_demo_leaves_a_shipped_module_edited_in_the_browser_alone(fresh_app: Flask, monkeypatch) -> None:
    # quiz activity is the slow part of the demo and not what this test is about
    monkeypatch.setattr("learnhub.demo.services.add_quiz_attempts", lambda rng, members: None)
    assert invoke(fresh_app, "demo").exit_code == 0
    slug, key = "chi-thi-05-ct-tw", "lesson:boi-canh-ban-hanh"
    browser_text = "---\ntitle: Bối cảnh (sửa trên web)\nminutes: 12\n---\nĐoạn viết trên trình duyệt.\n"
    browser_edit(fresh_app, slug, key, browser_text)

    again = invoke(fresh_app, "demo")
    assert again.exit_code == 0, again.output
    assert f"{slug}: edited in the browser, left as it is" in again.stderr
    assert "nang-cao-chat-luong-hoc-tap-nghi-quyet: edited" not in again.stderr
    assert draft_text(fresh_app, slug, key) == browser_text
    with fresh_app.app_context():
        course = db.session.scalars(sa.select(Course).where(Course.slug == slug)).one()
        assert publishing.is_diverged(course)
