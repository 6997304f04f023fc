"""The loudspeaker bulletin: short sentences, reading time, the page and .docx, the recording, and
broadcasts counted in the year's outreach figures; the short public version of a module."""
from __future__ import annotations

import datetime as dt
import io

import docx
import sqlalchemy as sa
from flask import Flask

from learnhub.courses.models import Lesson
from learnhub.extensions import db
from learnhub.outreach.bulletins import READING_WORDS_PER_MINUTE, reading_minutes, split_script
from learnhub.outreach.models import Broadcast, Bulletin
from tests.conftest import csrf_token, login

MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(500)


def test_the_script_is_cut_into_short_sentences() -> None:
    long = ("Chi bộ tổ chức học tập nghị quyết cho toàn thể đảng viên trong tháng này, mỗi đảng viên viết bản thu "
            "hoạch và đăng ký việc làm cụ thể để thực hiện tại khu dân cư")
    assert split_script("Kính thưa bà con. Hôm nay có tin mới!\nXin mời nghe.") == [
        "Kính thưa bà con.", "Hôm nay có tin mới!", "Xin mời nghe."]
    parts = split_script(long + ".")
    assert parts[0] == "Chi bộ tổ chức học tập nghị quyết cho toàn thể đảng viên trong tháng này,"
    assert parts[1:] == ["mỗi đảng viên viết bản thu hoạch", "và đăng ký việc làm cụ thể để thực hiện tại khu dân cư."]
    no_comma = " ".join(["một"] * 15) + " và " + " ".join(["hai"] * 10)
    assert split_script(no_comma) == [" ".join(["một"] * 15), "và " + " ".join(["hai"] * 10)]


def test_reading_time_is_counted_at_the_documented_rate() -> None:
    assert READING_WORDS_PER_MINUTE == 130
    assert reading_minutes("") == 0
    assert reading_minutes(" ".join(["từ"] * 130)) == 1
    assert reading_minutes(" ".join(["từ"] * 131)) == 2


def _committee(app: Flask, username: str = "bithu1"):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def test_a_bulletin_is_drafted_edited_printed_and_recorded(app: Flask, town, make_course) -> None:
    make_course(public=True)
    client = _committee(app)
    url = f"/outreach/bulletins/nghi-quyet-thu/{town['a'].id}"
    page = client.get(url).get_data(as_text=True)
    assert "Ý chính của bài 1" in page and 'data-testid="reading-time"' in page
    token = csrf_token(client, url)
    response = client.post(url, data={"csrf_token": token, "title": "Bản tin tháng 6", "key_points": "Ý một\nÝ hai",
                                      "script": "Kính thưa bà con. Chi bộ thông báo.", "resplit": "y"})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "<li>Kính thưa bà con.</li><li>Chi bộ thông báo.</li>" in page
    document = docx.Document(io.BytesIO(client.get(f"{url}.docx").data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Bản tin tháng 6" in text and "Chi bộ thông báo." in text and "Ý hai" in text
    assert round(document.sections[0].page_width.cm, 1) == 21.0
    refused = client.post(f"{url}/recording", data={"csrf_token": token, "file": (io.BytesIO(b"<html>"), "tin.mp3")},
                          content_type="multipart/form-data")
    assert refused.status_code == 303
    client.post(f"{url}/recording", data={"csrf_token": token, "file": (io.BytesIO(MP3), "tin.mp3")},
                content_type="multipart/form-data")
    with app.app_context():
        bulletin_id = db.session.scalars(sa.select(Bulletin.id)).one()
    public = app.test_client()
    assert f"/public/nghi-quyet-thu/bulletins/{bulletin_id}/recording" in public.get(
        "/public/nghi-quyet-thu").get_data(as_text=True)
    played = public.get(f"/public/nghi-quyet-thu/bulletins/{bulletin_id}/recording", headers={"Range": "bytes=0-3"})
    assert played.status_code == 206 and played.data == MP3[:4]
    # another cell's committee cannot open this cell's bulletin
    assert _committee(app, "bithu2").get(url).status_code == 404


def test_broadcasts_count_in_the_year_on_their_own_line(app: Flask, town, make_course) -> None:
    make_course()
    client = _committee(app, "capuy")
    token = csrf_token(client, "/outreach/broadcasts/new")
    response = client.post("/outreach/broadcasts/new", data={
        "csrf_token": token, "unit": town["a"].id, "held_on": "2026-03-05", "area": "Khu phố 1", "minutes": "15",
        "course": "0"})
    assert response.status_code == 302
    with app.app_context():
        db.session.add(Broadcast(unit_id=town["b"].id, held_on=dt.date(2026, 4, 1), area="Khu phố 2", minutes=10))
        db.session.add(Broadcast(unit_id=town["b"].id, held_on=dt.date(2025, 4, 1), area="Khu phố 2", minutes=99))
        db.session.commit()
    figures = client.get(f"/reports/year.json?unit={town['root'].id}&year=2026").get_json()
    assert figures["broadcasts"] == {"count": 2, "minutes": 25}
    assert figures["outreach"] == 0  # times and minutes are not people: never added to the total
    page = client.get(f"/reports/year?unit={town['root'].id}&year=2026").get_data(as_text=True)
    assert "loa" in page or "loudspeaker" in page
    listing = client.get("/outreach/broadcasts?year=2026").get_data(as_text=True)
    assert "Khu phố 1" in listing and "Khu phố 2" in listing


def test_the_public_page_shows_only_the_public_version_when_there_is_one(app: Flask, town, make_course) -> None:
    make_course(public=True)
    with app.app_context():
        db.session.scalars(sa.select(Lesson).where(Lesson.slug == "bai-2")).one().public = True
        db.session.commit()
    public = app.test_client().get("/public/nghi-quyet-thu").get_data(as_text=True)
    assert public.count('data-testid="public-lesson"') == 1
    assert "Nội dung bài 2." in public and "Bài 1" not in public and "Bài 3" not in public
    member = app.test_client()
    login(member, "an")
    module = member.get("/courses/nghi-quyet-thu/").get_data(as_text=True)
    assert "Bài 1" in module and "Bài 3" in module  # members still study the whole module


def test_without_public_lessons_the_public_page_is_unchanged(app: Flask, town, make_course) -> None:
    make_course(public=True)
    public = app.test_client().get("/public/nghi-quyet-thu").get_data(as_text=True)
    assert public.count('data-testid="lesson"') == 3 and "public-lesson" not in public


def test_the_recordings_of_public_lessons_are_public_and_others_are_not(app: Flask, town, make_course) -> None:
    from learnhub.courses.format import MediaSource

    make_course(public=True, media=[MediaSource("cong-khai.mp3", "audio/mpeg", MP3),
                                    MediaSource("noi-bo.mp3", "audio/mpeg", MP3)])
    with app.app_context():
        lessons = {lesson.slug: lesson for lesson in db.session.scalars(sa.select(Lesson))}
        lessons["bai-1"].body_html = '<audio><source src="media/noi-bo.mp3"></audio>'
        lessons["bai-2"].body_html = '<audio><source src="media/cong-khai.mp3"></audio>'
        lessons["bai-2"].public = True
        db.session.commit()
    public = app.test_client()
    assert 'src="/public/nghi-quyet-thu/media/cong-khai.mp3"' in public.get("/public/nghi-quyet-thu").get_data(as_text=True)
    assert public.get("/public/nghi-quyet-thu/media/cong-khai.mp3").status_code == 200
    assert public.get("/public/nghi-quyet-thu/media/noi-bo.mp3").status_code == 404


def test_a_broadcast_recorded_by_mistake_is_deleted_by_its_committee_only(app: Flask, town) -> None:
    with app.app_context():
        held = Broadcast(unit_id=town["a"].id, held_on=dt.date(2026, 5, 1), area="Khu phố 1", minutes=10)
        db.session.add(held)
        db.session.commit()
        held_id = held.id
    other = _committee(app, "bithu2")
    assert other.post(f"/outreach/broadcasts/{held_id}/delete",
                      data={"csrf_token": csrf_token(other, "/outreach/broadcasts")}).status_code == 404
    own = _committee(app)
    page = own.get("/outreach/broadcasts?year=2026").get_data(as_text=True)
    assert f'data-testid="broadcast-{held_id}"' in page
    own.post(f"/outreach/broadcasts/{held_id}/delete", data={"csrf_token": csrf_token(own, "/outreach/broadcasts")})
    with app.app_context():
        assert db.session.get(Broadcast, held_id) is None
