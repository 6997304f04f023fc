"""Audio lessons end to end: uploaded with their transcript, inserted, published, served with ranges."""
from __future__ import annotations

import io

from flask import Flask

from learnhub.courses.format import MediaSource
from tests.authoring.test_authoring_pages import (  # noqa: F401
    M,
    base_revision,
    lesson_form,
    module,
    send,
    signed_in,
)

MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(1000)


def _upload(client, name: str, data: bytes):
    return send(client, f"{M}/media", {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_an_audio_lesson_is_written_in_the_browser_and_played_by_members(app: Flask, module) -> None:  # noqa: F811
    author = module["author"]
    assert _upload(author, "Bài nói.mp3", MP3).status_code == 302
    assert _upload(author, "Bài nói.txt", "Thưa bà con, đây là lời bài nói.".encode()).status_code == 302
    editor = author.get(module["lesson_url"]).get_data(as_text=True)
    assert '<option value="media/bai-noi.mp3" data-kind="image">' in editor  # inserted as ![title](media/…)
    url = module["lesson_url"]
    send(author, url, lesson_form(body="![Bài nói](media/bai-noi.mp3)", base=base_revision(author, url)))
    assert send(author, f"{M}/publish").status_code == 302
    member = signed_in(app, "an")
    page = member.get("/courses/hoc-tap-chi-thi/boi-canh-ban-hanh").get_data(as_text=True)
    assert '<source src="media/bai-noi.mp3" type="audio/mpeg">' in page
    assert "Thưa bà con, đây là lời bài nói." in page
    whole = member.get("/courses/hoc-tap-chi-thi/media/bai-noi.mp3")
    assert whole.status_code == 200 and whole.mimetype == "audio/mpeg" and whole.headers["Accept-Ranges"] == "bytes"
    assert "Content-Disposition" not in whole.headers  # played in the page, not downloaded
    part = member.get("/courses/hoc-tap-chi-thi/media/bai-noi.mp3", headers={"Range": "bytes=10-19"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(MP3)}"
    assert part.data == MP3[10:20]
    # a Range the server does not read is ignored and the whole file sent; one past the end is 416
    for odd in ("bytes=abc", "bytes=9-2", "bytes=0-1,4-5", "items=0-1", "bytes=１-２"):
        again = member.get("/courses/hoc-tap-chi-thi/media/bai-noi.mp3", headers={"Range": odd})
        assert (again.status_code, again.data) == (200, MP3), odd
    beyond = member.get("/courses/hoc-tap-chi-thi/media/bai-noi.mp3", headers={"Range": f"bytes={len(MP3) + 5}-"})
    assert beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{len(MP3)}"


def test_a_recording_whose_content_is_not_audio_is_refused(app: Flask, module) -> None:  # noqa: F811
    response = _upload(module["author"], "bai-noi.mp3", b"<script>alert(1)</script>")
    assert response.status_code == 400
    assert "mp3" in response.get_data(as_text=True)


def test_audio_over_the_setting_is_refused_on_upload(app: Flask, module) -> None:  # noqa: F811
    app.config["MEDIA_MAX_MB"] = 1
    assert _upload(module["author"], "dai.mp3", MP3 + bytes(1024 * 1024)).status_code == 400


def test_media_of_a_module_the_member_may_not_read_are_not_found(app: Flask, town, make_course, client) -> None:
    make_course(media=[MediaSource("bai-noi.mp3", "audio/mpeg", MP3)])
    from tests.outreach.conftest import update_course

    update_course(app, "nghi-quyet-thu", owner_unit_id=town["b"].id)  # cell B's: not for cell A's members
    member = signed_in(app, "an")
    assert member.get("/courses/nghi-quyet-thu/media/bai-noi.mp3").status_code == 404
    assert signed_in(app, "bithu2").get("/courses/nghi-quyet-thu/media/bai-noi.mp3").status_code == 200


def test_a_transcript_counts_as_used_while_its_recording_is(app: Flask, module) -> None:  # noqa: F811
    author = module["author"]
    _upload(author, "bai-noi.mp3", MP3)
    _upload(author, "bai-noi.txt", "Lời.".encode())
    url = module["lesson_url"]
    send(author, url, lesson_form(body="![Bài nói](media/bai-noi.mp3)", base=base_revision(author, url)))
    send(author, f"{M}/media/bai-noi.txt/delete")
    assert author.get(f"{M}/media/bai-noi.txt").status_code == 200  # kept: the lesson's player needs it
