"""The course folder checker: every problem found, each at the right line."""
from __future__ import annotations

from pathlib import Path

from learnhub.courses.format import find_course_folders, read_course
from learnhub.courses.models import CourseKind
from learnhub.resources import resource_dir
from tests.courses.conftest import LESSON_MD, write_course

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def messages(folder: Path) -> list[str]:
    return [str(p) for p in read_course(folder).problems]


def test_valid_course_reads_all_its_parts(course_dir: Path) -> None:
    report = read_course(course_dir)
    assert report.errors == []
    course = report.source
    assert course is not None
    assert course.slug == "nghi-quyet-21"
    assert course.kind is CourseKind.resolution
    assert course.document_number == "21-NQ/TW"
    assert course.document_issued_on.isoformat() == "2021-06-16"
    assert course.tags == ["tổ chức cơ sở đảng"]
    assert [lesson.slug for lesson in course.lessons] == ["bai-1", "bai-2", "bai-3"]
    assert course.lessons[0].key_points == ["Ý chính thứ nhất", "Ý chính thứ hai"]
    assert course.lessons[0].minutes == 10


def test_numbers_order_lessons_not_file_names(tmp_path: Path) -> None:
    folder = write_course(tmp_path, lessons=0)
    (folder / "10-cuoi.md").write_text(LESSON_MD.format(title="Cuối"), encoding="utf-8")
    (folder / "2-dau.md").write_text(LESSON_MD.format(title="Đầu"), encoding="utf-8")
    course = read_course(folder).source
    assert [lesson.slug for lesson in course.lessons] == ["dau", "cuoi"]


def test_missing_required_keys_are_reported_at_line_1(tmp_path: Path) -> None:
    folder = write_course(tmp_path, **{"course.md": "---\nkind: directive\n---\nText\n"})
    found = messages(folder)
    assert f"{folder}/course.md:1: 'title' is required" in found
    assert f"{folder}/course.md:1: 'summary' is required" in found
    assert read_course(folder).source is None


def test_bad_values_are_reported_at_their_key_line(tmp_path: Path) -> None:
    folder = write_course(
        tmp_path,
        **{
            "course.md": '---\ntitle: "T"\nsummary: "S"\nkind: speech\npublic: "yes"\n---\n',
            "01-bai-1.md": '---\ntitle: "Bài"\nminutes: 0\nkey_points: "một ý"\n---\nText\n',
        },
    )
    found = messages(folder)
    assert any(m.startswith(f"{folder}/course.md:4: 'kind' must be one of") for m in found)
    assert f"{folder}/course.md:5: 'public' must be true or false" in found
    assert f"{folder}/01-bai-1.md:3: 'minutes' must be a whole number from 1 to 240" in found
    assert f"{folder}/01-bai-1.md:4: 'key_points' must be a list of 1-7 short sentences" in found


def test_key_points_limit_is_seven(tmp_path: Path) -> None:
    points = "".join(f"  - ý {n}\n" for n in range(8))
    folder = write_course(tmp_path, **{"01-bai-1.md": f'---\ntitle: "B"\nminutes: 5\nkey_points:\n{points}---\nx\n'})
    assert f"{folder}/01-bai-1.md:4: 'key_points' must be a list of 1-7 short sentences" in messages(folder)


def test_yaml_syntax_error_points_at_the_broken_line(tmp_path: Path) -> None:
    folder = write_course(tmp_path, **{"02-bai-2.md": '---\ntitle: "B"\nminutes: [5\nfoo: 1\n---\nx\n'})
    found = [m for m in messages(folder) if "02-bai-2.md" in m]
    assert len(found) == 1
    assert found[0].startswith(f"{folder}/02-bai-2.md:4: invalid YAML")


def test_missing_front_matter_and_unclosed_front_matter(tmp_path: Path) -> None:
    folder = write_course(
        tmp_path, **{"01-bai-1.md": "Chỉ có nội dung\n", "02-bai-2.md": "---\ntitle: x\n"}
    )
    found = messages(folder)
    assert f"{folder}/01-bai-1.md:1: the file must start with a '---' line opening the front matter" in found
    assert f"{folder}/02-bai-2.md:1: the front matter is not closed by a '---' line" in found


def test_file_names_numbers_and_slugs(tmp_path: Path) -> None:
    folder = write_course(
        tmp_path,
        **{
            "bai-khong-so.md": LESSON_MD.format(title="x"),
            "02-trung-so.md": LESSON_MD.format(title="y"),
            "04-Chu_Hoa.md": LESSON_MD.format(title="z"),
            "05-media.md": LESSON_MD.format(title="w"),
        },
    )
    found = messages(folder)
    assert f"{folder}/bai-khong-so.md:1: a lesson file is named NN-slug.md (NN: 1-3 digits)" in found
    assert f"{folder}/02-trung-so.md:1: lesson number 2 is also used by 02-bai-2.md" in found
    assert any(m.startswith(f"{folder}/04-Chu_Hoa.md:1: the lesson slug must use") for m in found)
    assert f"{folder}/05-media.md:1: 'media' is reserved and cannot be a lesson slug" in found


def test_folder_slug_and_missing_course_md(tmp_path: Path) -> None:
    folder = write_course(tmp_path, slug="Nghi_Quyet", **{"course.md": ""})
    found = messages(folder)
    assert f"{folder}:1: the folder name must be a slug: a-z, 0-9 and '-', 1-80 characters" in found
    assert f"{folder}/course.md:1: course.md is missing" in found


def test_non_utf8_file_is_refused_at_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    folder = write_course(tmp_path)
    text = '---\ntitle: "Bài"\nminutes: 5\n---\nDòng một\nDòng hai\n'
    (folder / "01-bai-1.md").write_bytes(text.encode("cp1258", errors="replace"))
    found = messages(folder)
    assert f"{folder}/01-bai-1.md:2: the file is not UTF-8 text (save it as UTF-8)" in found


def test_bom_and_crlf_and_decomposed_text_are_accepted(tmp_path: Path) -> None:
    import unicodedata

    folder = write_course(tmp_path)
    text = unicodedata.normalize("NFD", LESSON_MD.format(title="Bài một")).replace("\n", "\r\n")
    (folder / "01-bai-1.md").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    course = read_course(folder).source
    assert course is not None
    assert course.lessons[0].title == unicodedata.normalize("NFC", "Bài một")


def test_both_quiz_files_is_an_error(tmp_path: Path) -> None:
    folder = write_course(tmp_path, **{"quiz.md": "---\npass_score: 80\n---\n", "quiz.gift": "::q:: x {T}\n"})
    assert f"{folder}/quiz.gift:1: quiz.md and quiz.gift are both present: keep only one" in messages(folder)


def test_quiz_file_is_kept_for_the_quiz_feature(tmp_path: Path) -> None:
    folder = write_course(tmp_path, **{"quiz.md": "---\npass_score: 80\n---\n\n## Câu hỏi\n\n= đáp án\n"})
    course = read_course(folder).source
    assert course.quiz_format == "md"
    assert "## Câu hỏi" in course.quiz_source


def test_media_is_checked_by_content_and_references_must_exist(tmp_path: Path) -> None:
    folder = write_course(
        tmp_path,
        **{
            "01-bai-1.md": LESSON_MD.format(title="x") + "\n![Sơ đồ](media/so-do.png)\n\n![Thiếu](media/thieu.png)\n",
            "media__so-do.png": "placeholder",
            "media__script.png": "<script>alert(1)</script>",
        },
    )
    (folder / "media" / "so-do.png").write_bytes(PNG)
    found = messages(folder)
    assert f"{folder}/01-bai-1.md:14: media/thieu.png is not a file in media/" in found
    assert any(m.startswith(f"{folder}/media/script.png:1: only PNG, JPEG, GIF, WebP images and PDF") for m in found)
    assert not any("so-do.png" in m for m in found)


def test_unsafe_html_is_a_warning_not_an_error(tmp_path: Path) -> None:
    folder = write_course(tmp_path, **{"01-bai-1.md": LESSON_MD.format(title="x")
                                       + "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n"})
    report = read_course(folder)
    assert report.errors == []
    assert f"{folder}/01-bai-1.md:11: warning: <script> is not allowed in a lesson: members see it as text" in messages(folder)
    assert f"{folder}/01-bai-1.md:13: warning: unsafe HTML will be removed when imported" in messages(folder)
    assert report.source is not None


def test_unknown_keys_and_files_are_warnings(tmp_path: Path) -> None:
    folder = write_course(tmp_path, **{"ghi-chu.txt": "notes"})
    (folder / "course.md").write_text(
        (folder / "course.md").read_text(encoding="utf-8").replace("tags:", "author: x\ntags:"), encoding="utf-8"
    )
    found = messages(folder)
    assert f"{folder}/course.md:9: warning: unknown key 'author' is ignored" in found
    assert f"{folder}/ghi-chu.txt:1: warning: not part of the course format; ignored" in found
    assert read_course(folder).errors == []


def test_a_folder_of_course_folders_is_walked(tmp_path: Path) -> None:
    write_course(tmp_path, "mot")
    write_course(tmp_path, "hai")
    folders, problems = find_course_folders(tmp_path)
    assert [f.name for f in folders] == ["hai", "mot"]
    assert problems == []
    assert find_course_folders(tmp_path / "khong-co")[1][0].message == "no such file or folder"


def test_the_shipped_courses_are_valid_and_rich() -> None:
    folders, problems = find_course_folders(resource_dir("courses"))
    assert problems == []
    assert len(folders) >= 2
    kinds = set()
    for folder in folders:
        report = read_course(folder)
        assert report.errors == [], report.errors
        course = report.source
        kinds.add(course.kind)
        assert len(course.lessons) >= 3
        assert all(lesson.key_points for lesson in course.lessons)
        assert course.quiz_format == "md"
        assert course.quiz_source.count("\n## ") >= 12
    assert CourseKind.training in kinds and CourseKind.directive in kinds


def test_an_impossible_date_is_reported_at_its_line(tmp_path: Path) -> None:
    folder = write_course(tmp_path)
    text = (folder / "course.md").read_text(encoding="utf-8").replace("2021-06-16", "2021-13-45")
    (folder / "course.md").write_text(text, encoding="utf-8")
    assert f"{folder}/course.md:7: invalid value: month must be in 1..12" in messages(folder)
