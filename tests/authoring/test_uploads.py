from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from learnhub.authoring.uploads import (
    CheckedMedia,
    UploadRefused,
    check_media_upload,
    course_zip_bytes,
    safe_extract_course_zip,
    unique_name,
)
from learnhub.courses.media_files import MAX_MEDIA_BYTES

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 4
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def assert_refused(code: str, func, *args, **kwargs) -> UploadRefused:
    with pytest.raises(UploadRefused) as info:
        func(*args, **kwargs)
    assert info.value.code == code, info.value.message
    assert info.value.message
    return info.value


# --- media ------------------------------------------------------------------------------------


def test_png_is_accepted_with_its_type():
    assert check_media_upload("chart.png", PNG) == CheckedMedia("chart.png", "image/png")


def test_pdf_and_jpeg_get_canonical_extensions():
    assert check_media_upload("Nghi quyet.PDF", PDF) == CheckedMedia(
        "nghi-quyet.pdf", "application/pdf"
    )
    assert check_media_upload("photo.JPEG", JPEG) == CheckedMedia("photo.jpg", "image/jpeg")


def test_script_renamed_png_is_refused():
    assert_refused("unsupported_type", check_media_upload, "x.png", b"#!/bin/sh\nrm -rf ~\n")
    assert_refused("unsupported_type", check_media_upload, "x.png", b"<html><script>x</script>")


def test_svg_is_refused_by_extension_and_by_content():
    assert_refused("unsupported_type", check_media_upload, "logo.svg", SVG)
    assert_refused("unsupported_type", check_media_upload, "logo.png", SVG)
    assert_refused("unsupported_type", check_media_upload, "logo.svg", PNG)


def test_empty_and_oversized_are_refused():
    assert_refused("empty", check_media_upload, "a.png", b"")
    assert_refused("too_large", check_media_upload, "a.png", PNG + b"\x00" * 100, max_bytes=64)
    big = PNG + b"\x00" * (MAX_MEDIA_BYTES - len(PNG) + 1)
    assert_refused("too_large", check_media_upload, "a.png", big)
    assert check_media_upload("a.png", big[:-1]).content_type == "image/png"


def test_extension_must_match_content():
    assert_refused("type_mismatch", check_media_upload, "scan.png", PDF)
    assert_refused("type_mismatch", check_media_upload, "scan.jpg", PNG)
    assert_refused("type_mismatch", check_media_upload, "scan", PNG)
    assert_refused("type_mismatch", check_media_upload, "scan.png.exe", PNG)


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("Sơ đồ tổ chức.PNG", "so-do-to-chuc.png"),
        ("ĐẢNG BỘ Đà Nẵng.png", "dang-bo-da-nang.png"),
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\An\\Ảnh 1.png", "anh-1.png"),
        ("a\x00b.png", "ab.png"),
        ("....png", "file.png"),
        ("中文.png", "file.png"),
        (".png", "file.png"),
        ("  __x__ . y .png", "x-y.png"),
    ],
)
def test_stored_names_are_folded_and_safe(filename, expected):
    assert check_media_upload(filename, PNG).name == expected


def test_long_names_are_cut_to_80_characters():
    name = check_media_upload("ư" * 200 + ".png", PNG).name
    assert len(name) == 80 and name.endswith(".png") and set(name[:-4]) == {"u"}


def test_unique_name_counts_before_the_extension():
    assert unique_name("a.png", set()) == "a.png"
    assert unique_name("a.png", {"a.png"}) == "a-2.png"
    assert unique_name("a.png", {"a.png", "a-2.png", "a-3.png"}) == "a-4.png"
    long = "x" * 76 + ".png"
    assert unique_name(long, {long}) == "x" * 74 + "-2.png"
    assert unique_name("file", {"file"}) == "file-2"


# --- course zips ------------------------------------------------------------------------------


def make_zip(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buffer.getvalue()


def write_course(folder: Path) -> dict[str, bytes]:
    files = {
        "course.md": "---\ntitle: Học tập\nkind: training\nsummary: x\n---\nGiới thiệu\n".encode(),
        "01-mo-dau.md": "---\ntitle: Mở đầu\nminutes: 5\n---\nNội dung\n".encode(),
        "quiz.gift": b"::q1:: 1+1? {=2 ~3}\n",
        "media/so-do.png": PNG,
        "media/tai-lieu/nghi-quyet.pdf": PDF,
    }
    for relative, data in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_round_trip_folder_zip_folder(tmp_path):
    files = write_course(tmp_path / "src" / "hoc-tap")
    data = course_zip_bytes(tmp_path / "src" / "hoc-tap")
    course = safe_extract_course_zip(data, tmp_path / "out")
    assert course == tmp_path / "out" / "hoc-tap"
    assert tree(course) == files
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["hoc-tap"]


def test_course_zip_is_deterministic_and_sorted(tmp_path):
    folder = tmp_path / "hoc-tap"
    write_course(folder)
    first = course_zip_bytes(folder)
    (folder / "course.md").touch()  # a new mtime changes nothing
    (folder / ".DS_Store").write_bytes(b"junk")
    assert course_zip_bytes(folder) == first
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert all(n.startswith("hoc-tap/") and not n.endswith("/") for n in names)
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_DEFLATED}


@pytest.mark.parametrize("name", ["../x", "hoc-tap/../../x", "/abs/x", "hoc-tap\\x", "hoc-tap/./x"])
def test_path_traversal_is_refused(tmp_path, name):
    data = make_zip([("hoc-tap/course.md", b"x"), (name, b"evil")])
    assert_refused("bad_path", safe_extract_course_zip, data, tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert not (tmp_path.parent / "x").exists()


def test_symlink_member_is_refused(tmp_path):
    link = zipfile.ZipInfo("hoc-tap/media/link.png")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    data = make_zip([("hoc-tap/course.md", b"x"), (link, b"/etc/passwd")])
    assert_refused("bad_path", safe_extract_course_zip, data, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_top_folder_rules(tmp_path):
    two = make_zip([("a/course.md", b"x"), ("b/course.md", b"x")])
    assert_refused("several_top_folders", safe_extract_course_zip, two, tmp_path)
    loose = make_zip([("course.md", b"x"), ("01-a.md", b"x")])
    assert_refused("no_top_folder", safe_extract_course_zip, loose, tmp_path)
    beside = make_zip([("hoc-tap/course.md", b"x"), ("readme.txt", b"x")])
    assert_refused("no_top_folder", safe_extract_course_zip, beside, tmp_path)
    assert_refused("no_top_folder", safe_extract_course_zip, make_zip([]), tmp_path)
    bad_slug = make_zip([("Học Tập/course.md", b"x")])
    assert_refused("bad_slug", safe_extract_course_zip, bad_slug, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_mac_junk_is_ignored(tmp_path):
    data = make_zip(
        [
            ("hoc-tap/", b""),
            ("hoc-tap/course.md", b"x"),
            ("hoc-tap/.DS_Store", b"junk"),
            ("__MACOSX/hoc-tap/._course.md", b"junk"),
        ]
    )
    course = safe_extract_course_zip(data, tmp_path)
    assert tree(course) == {"course.md": b"x"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hoc-tap"]


def test_zip_bomb_is_refused(tmp_path):
    bomb = make_zip([("hoc-tap/course.md", b"x"), ("hoc-tap/media/a.pdf", bytes(50 * 1024 * 1024))])
    assert_refused("zip_bomb", safe_extract_course_zip, bomb, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_total_size_and_file_count_are_bounded(tmp_path):
    data = make_zip([(f"hoc-tap/{i:02d}-a.md", bytes(range(256)) * 8) for i in range(1, 6)])
    assert_refused("too_large", safe_extract_course_zip, data, tmp_path, max_total_bytes=4000)
    assert_refused("too_many_files", safe_extract_course_zip, data, tmp_path, max_files=4)
    assert list(tmp_path.iterdir()) == []
    assert len(tree(safe_extract_course_zip(data, tmp_path, max_files=5))) == 5


def test_lying_size_header_is_caught_while_reading(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("hoc-tap/course.md", b"x")
        zf.writestr("hoc-tap/media/a.pdf", bytes(200_000))
        zf.infolist()[-1].file_size = 10  # the central directory now says 10 bytes
    with pytest.raises(UploadRefused) as info:
        safe_extract_course_zip(buffer.getvalue(), tmp_path)
    assert info.value.code in {"not_zip", "zip_bomb", "too_large"}
    assert list(tmp_path.iterdir()) == []


def test_encrypted_member_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("hoc-tap/course.md", b"x")
        zf.infolist()[-1].flag_bits |= 0x1
    assert_refused("encrypted", safe_extract_course_zip, buffer.getvalue(), tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("data", [b"", b"not a zip", PNG, b"PK\x03\x04" + b"\x00" * 40])
def test_not_a_zip_is_refused(tmp_path, data):
    assert_refused("not_zip", safe_extract_course_zip, data, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_existing_course_folder_is_not_overwritten(tmp_path):
    (tmp_path / "hoc-tap").mkdir()
    (tmp_path / "hoc-tap" / "keep.md").write_bytes(b"keep")
    data = make_zip([("hoc-tap/course.md", b"x")])
    with pytest.raises(FileExistsError):
        safe_extract_course_zip(data, tmp_path)
    assert tree(tmp_path) == {"hoc-tap/keep.md": b"keep"}
