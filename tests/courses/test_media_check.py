"""courses check knows audio and video: transcripts, extensions, content and size, at path:line."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from learnhub.courses.format import read_course
from tests.courses.conftest import LESSON_MD, write_course

MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(400)
OGG = b"OggS\x00\x02" + bytes(64)


def messages(folder: Path) -> list[str]:
    return [str(p) for p in read_course(folder).problems]


def _course(tmp_path: Path, body: str, **media: bytes) -> Path:
    folder = write_course(tmp_path, **{"01-bai-1.md": LESSON_MD.format(title="x") + body})
    (folder / "media").mkdir(exist_ok=True)
    for name, data in media.items():
        (folder / "media" / name).write_bytes(data)
    return folder


def test_an_audio_lesson_with_its_transcript_is_valid(tmp_path: Path) -> None:
    folder = _course(tmp_path, "\n![Bài nói](media/bai-noi.mp3)\n", **{"bai-noi.mp3": MP3,
                     "bai-noi.txt": "Lời bài nói.".encode()})
    report = read_course(folder)
    assert report.errors == []
    assert {m.path: m.content_type for m in report.source.media} == {
        "bai-noi.mp3": "audio/mpeg", "bai-noi.txt": "text/plain; charset=utf-8"}


def test_a_missing_transcript_is_reported_at_its_line(tmp_path: Path) -> None:
    folder = _course(tmp_path, "\n![Bài nói](media/bai-noi.ogg)\n", **{"bai-noi.ogg": OGG})
    assert (f"{folder}/01-bai-1.md:12: media/bai-noi.ogg needs its transcript media/bai-noi.txt (a text file with "
            "the same name), for members who cannot play sound") in messages(folder)


def test_an_unknown_extension_cannot_be_shown(tmp_path: Path) -> None:
    folder = _course(tmp_path, "\n![Bài nói](media/bai-noi.wav)\n")
    assert any(m.startswith(f"{folder}/01-bai-1.md:12: media/bai-noi.wav cannot be shown") for m in messages(folder))


def test_content_must_match_the_extension(tmp_path: Path) -> None:
    folder = _course(tmp_path, "\n", **{"gia.mp3": b"<html>not audio</html>", "gia.webm": OGG,
                                        "gia.txt": b"\xff\xfe\x00bad"})
    found = messages(folder)
    assert f"{folder}/media/gia.mp3:1: the file's content is not the audio or video its extension names " \
           "(mp3, m4a, ogg, mp4 or webm)" in found
    assert any(m.startswith(f"{folder}/media/gia.webm:1: the file's content is not") for m in found)
    assert any(m.startswith(f"{folder}/media/gia.txt:1: only PNG") for m in found)


def test_audio_over_the_setting_is_refused(app: Flask, tmp_path: Path) -> None:
    folder = _course(tmp_path, "\n", **{"dai.mp3": MP3 + bytes(2 * 1024 * 1024)})
    app.config["MEDIA_MAX_MB"] = 1
    with app.app_context():
        assert f"{folder}/media/dai.mp3:1: the file is larger than 1 MB" in messages(folder)
    app.config["MEDIA_MAX_MB"] = 16
    with app.app_context():
        assert messages(folder) == []


def test_public_lessons_are_read_and_checked(tmp_path: Path) -> None:
    public = LESSON_MD.format(title="x").replace("minutes: 10\n", "minutes: 10\npublic: true\n")
    folder = write_course(tmp_path, **{"01-bai-1.md": public,
                                       "02-bai-2.md": LESSON_MD.format(title="y").replace("minutes: 10\n",
                                                                                         "minutes: 10\npublic: có\n")})
    assert f"{folder}/02-bai-2.md:4: 'public' must be true or false" in messages(folder)
    (folder / "02-bai-2.md").write_text(LESSON_MD.format(title="y"), encoding="utf-8")
    report = read_course(folder)
    assert [lesson.public for lesson in report.source.lessons] == [True, False, False]
