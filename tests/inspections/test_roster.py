"""The propagandists' roster: who is on the team, the training modules each completed, the
conferences each presented, the questions each answered, in the viewer's scope; and its download."""
from __future__ import annotations

import datetime as dt
import io

import sqlalchemy as sa
from flask import Flask
from openpyxl import load_workbook

from learnhub.auth.models import Role, User
from learnhub.conferences.models import Conference, ConferencePresenter
from learnhub.courses.models import Course, CourseKind, Lesson, LessonProgress
from learnhub.dialogue.models import Post
from learnhub.extensions import db
from learnhub.inspections.team import propagandist_roster
from learnhub.quizzes.models import AttemptStatus, Quiz, QuizAttempt
from tests.conftest import login

WHEN = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)


def study(user_id: int, slug: str, lessons: int | None = None) -> None:
    course = db.session.scalars(sa.select(Course).where(Course.slug == slug)).one()
    for lesson in db.session.scalars(sa.select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
                                     .limit(lessons)):
        db.session.add(LessonProgress(user_id=user_id, lesson_id=lesson.id, first_opened_at=WHEN, last_seen_at=WHEN,
                                      studied_at=WHEN, seconds_spent=900))


def test_the_roster_shows_trainings_conferences_and_answers(app: Flask, town, make_course, make_quiz, make_user) -> None:
    make_quiz(count=6)  # the resolution module "nghi-quyet-thu", with a quiz
    make_course("tap-huan-ky-nang", lessons=2, kind=CourseKind.training, title="Tập huấn kỹ năng tuyên truyền")
    make_course("tap-huan-mang-xa-hoi", lessons=3, kind=CourseKind.training, title="Tuyên truyền trên mạng xã hội")
    make_course("tap-huan-thuyet-trinh", lessons=2, kind=CourseKind.training, title="Kỹ năng thuyết trình")
    second = make_user(Role.propagandist, username="tuyentruyen2", unit=town["b"], full_name="Đỗ Thị Hoa")
    with app.app_context():
        tam = town["propagandist"].id
        study(tam, "tap-huan-ky-nang")  # every lesson: completed
        study(tam, "tap-huan-mang-xa-hoi", lessons=2)  # two of three: not completed
        study(tam, "nghi-quyet-thu")  # not a training module
        thuyet_trinh = db.session.scalars(sa.select(Course).where(Course.slug == "tap-huan-thuyet-trinh")).one()
        quiz = Quiz(course_id=thuyet_trinh.id, format="md", settings={"pass_score": 80})
        db.session.add(quiz)
        db.session.flush()
        db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=second.id, number=1, bank_version=1, paper=[],
                                   status=AttemptStatus.submitted, submitted_at=WHEN, pass_score=80, review="always",
                                   score=1, max_score=1, percent=90.0, passed=True))  # quiz passed: completed
        conference = Conference(unit_id=town["root"].id, title="Hội nghị quán triệt Nghị quyết",
                                starts_at=WHEN, ends_at=WHEN + dt.timedelta(hours=3), check_in_token="tok-1")
        cancelled = Conference(unit_id=town["root"].id, title="Hội nghị đã hủy", starts_at=WHEN, cancelled_at=WHEN,
                               ends_at=WHEN + dt.timedelta(hours=3), check_in_token="tok-2")
        db.session.add_all([conference, cancelled])
        db.session.flush()
        db.session.add_all([ConferencePresenter(conference_id=conference.id, user_id=town["capuy"].id),
                            ConferencePresenter(conference_id=conference.id, user_id=tam),
                            ConferencePresenter(conference_id=cancelled.id, user_id=tam),
                            ConferencePresenter(conference_id=cancelled.id, user_id=town["bithu2"].id)])
        lesson = db.session.scalars(sa.select(Lesson).order_by(Lesson.id)).first()
        question = Post(course_id=lesson.course_id, lesson_id=lesson.id, author_id=town["member_a"].id, body="Hỏi?",
                        body_html="<p>Hỏi?</p>")
        db.session.add(question)
        db.session.flush()
        db.session.add_all([
            Post(course_id=lesson.course_id, lesson_id=lesson.id, parent_id=question.id, author_id=tam, body="Đáp",
                 body_html="<p>Đáp</p>", accepted_at=WHEN),
            Post(course_id=lesson.course_id, lesson_id=lesson.id, parent_id=question.id, author_id=tam, body="Ẩn",
                 body_html="<p>Ẩn</p>", hidden_at=WHEN),
        ])
        db.session.commit()

        team = {m.full_name: m for m in propagandist_roster(db.session.get(User, town["capuy"].id))}
        # propagandists, and the committee member who presented; not the members, nor bithu2 whose
        # only conference was cancelled
        assert list(team) == ["Đỗ Thị Hoa", "Trần Văn Hùng", "Vũ Minh Tâm"]
        assert team["Vũ Minh Tâm"].trainings == ["Tập huấn kỹ năng tuyên truyền"]
        assert team["Đỗ Thị Hoa"].trainings == ["Kỹ năng thuyết trình"]
        assert [p.title for p in team["Vũ Minh Tâm"].presented] == ["Hội nghị quán triệt Nghị quyết"]
        assert [p.title for p in team["Trần Văn Hùng"].presented] == ["Hội nghị quán triệt Nghị quyết"]
        assert (team["Vũ Minh Tâm"].answers, team["Vũ Minh Tâm"].accepted) == (1, 1)

        cell_b = {m.full_name for m in propagandist_roster(db.session.get(User, town["bithu2"].id))}
        assert cell_b == {"Đỗ Thị Hoa"}


def test_the_roster_page_and_download_are_for_committees(app: Flask, client, town, make_course) -> None:
    make_course("tap-huan-ky-nang", lessons=2, kind=CourseKind.training, title="Tập huấn kỹ năng tuyên truyền")
    with app.app_context():
        study(town["propagandist"].id, "tap-huan-ky-nang")
        conference = Conference(unit_id=town["a"].id, title="Hội nghị chi bộ tháng 3", starts_at=WHEN,
                                ends_at=WHEN + dt.timedelta(hours=2), check_in_token="tok-a")
        db.session.add(conference)
        db.session.flush()
        db.session.add(ConferencePresenter(conference_id=conference.id, user_id=town["propagandist"].id))
        db.session.commit()

    login(client, "bithu1")
    html = client.get("/inspections/propagandists").get_data(as_text=True)
    assert "Vũ Minh Tâm" in html and "Tập huấn kỹ năng tuyên truyền" in html and "Hội nghị chi bộ tháng 3" in html
    client.set_cookie("lh_lang", "en")  # the download is in the site's language all the same
    response = client.get("/inspections/propagandists.xlsx")
    assert response.status_code == 200
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.data)).active.iter_rows()]
    header = rows.index(next(r for r in rows if r[0] == "STT"))
    assert rows[header + 1][:7] == [1, "Vũ Minh Tâm", "Đảng bộ Thị trấn/Chi bộ Khu phố 1", "Tuyên truyền viên",
                                    "Tập huấn kỹ năng tuyên truyền", 1, "Hội nghị chi bộ tháng 3 (02/03/2026)"]
    assert len(rows) == header + 2

    outsider = app.test_client()
    login(outsider, "bithu2")
    assert "Vũ Minh Tâm" not in outsider.get("/inspections/propagandists").get_data(as_text=True)
    member = app.test_client()
    login(member, "tuyentruyen")
    assert member.get("/inspections/propagandists").status_code == 403
    assert member.get("/inspections/propagandists.xlsx").status_code == 403
