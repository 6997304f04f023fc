"""Two parallel worlds in one town, for tests that swap one world's object ids into the other's requests.

Cell A ("Hoa Sen") and cell B ("Hoa Đào") are sibling cells under the town committee of the `town`
fixture. Each has a member, a cell secretary (responsible for that cell only), a propagandist and a
group leader responsible for a sub-unit, and the same set of objects: a module of its own (published,
with a quiz), a draft module being written (and its export as a .zip), a plan with a reflection (and a
reflection on the town's plan, which both cells study under), a quiz attempt, questions and answers
(and so a notification), a conference with a guest, an outreach session, an inspection and a member
list being imported. Every title and text carries the world's tag, so a page that shows anything of
the other world names it.
"""
from __future__ import annotations

import datetime as dt
import io

import sqlalchemy as sa
from flask import Flask
from werkzeug.datastructures import FileStorage

from learnhub.auth.models import Role, User
from learnhub.courses.format import MediaSource
from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitAssignment, UnitKind
from learnhub.plans.models import Reflection, ReflectionStatus
from tests.conftest import persist

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
GIFT = "::cau-1:: Thủ đô của Việt Nam là? {=Hà Nội ~Huế ~Đà Nẵng}\n"
GIFT_MORE = GIFT + "\n::cau-2:: Hà Nội là thủ đô. {T}\n"
TAGS = {"a": "Hoa Sen", "b": "Hoa Đào"}
PEOPLE = {  # the town fixture's people in each world; cell B's propagandist is added here
    "a": {"member": "an", "secretary": "bithu1", "propagandist": "tuyentruyen"},
    "b": {"member": "binh", "secretary": "bithu2"},
}
HELPERS = {"a": ("totruong1", "Bùi Văn Tư"), "b": ("totruong2", "Lý Thị Năm")}
IMPORTED = {"a": "Trương Văn Mới", "b": "Trương Văn Mười"}


def build_worlds(app: Flask, town: dict, make_user, make_unit, make_course) -> dict[str, dict]:
    """World "a" and world "b", each a dict of its people (detached Users), units and object ids."""
    make_course()  # the town's module ("nghi-quyet-thu", no owner): both worlds discuss it and study it
    town_plan = _town_plan(app, town)
    worlds = {}
    for name, cell in (("a", town["a"]), ("b", town["b"])):
        tag = TAGS[name]
        people = {role: town_user(town, username) for role, username in PEOPLE[name].items()}
        if "propagandist" not in people:
            people["propagandist"] = make_user(Role.propagandist, username="tuyentruyen2", unit=cell,
                                               full_name="Đặng Thu Hà")
        group = make_unit(f"Tổ {tag}", UnitKind.cell, parent=cell)
        empty = make_unit(f"Tổ trống {tag}", UnitKind.cell, parent=cell)
        helper_name, helper_full = HELPERS[name]
        helper = make_user(Role.committee, username=helper_name, unit=cell, full_name=helper_full)
        assignment = persist(app, UnitAssignment(user_id=helper.id, unit_id=group.id))
        slug = f"hoc-phan-{name}"
        make_course(slug, title=f"Học phần {tag}", media=[MediaSource("so-do.png", "image/png", PNG)])
        world = {"name": name, "tag": tag, "unit": cell, "group": group, "empty": empty, "helper": helper,
                 "assignment": assignment.id, **people, "course": slug, "module": f"soan-thao-{name}",
                 "town_plan": town_plan}
        world.update(_objects(app, world))
        world.update(_conference_and_posts(app, world))
        world.update(_contest(app, world))
        world["names"] = {role: world[role].full_name for role in ("member", "secretary", "propagandist", "helper")}
        worlds[name] = world
    return worlds


def town_user(town: dict, username: str) -> User:
    return next(user for user in town.values() if isinstance(user, User) and user.username == username)


def markers(world: dict) -> tuple[str, ...]:
    """What names the world on a page: its tag and its people's full names."""
    return (world["tag"], *world["names"].values())


def _objects(app: Flask, world: dict) -> dict:
    """The world's module made its cell's own, its quiz and attempt, plan, reflections, draft module,
    outreach session, inspection and uploaded member list."""
    from learnhub.authoring import drafts, media
    from learnhub.authoring.uploads import course_zip_bytes
    from learnhub.courses.models import Course, CourseKind
    from learnhub.inspections.models import Conclusion, Inspection
    from learnhub.outreach.models import OutreachSession
    from learnhub.plans.models import PlanStatus
    from learnhub.plans.services import create_plan
    from learnhub.quizzes.attempts import start_attempt
    from learnhub.quizzes.bank import Bank, QuizSettings
    from learnhub.quizzes.sync import sync_quiz
    from tests.quiz_factory import sample_questions

    tag = world["tag"]
    with app.test_request_context():
        cell = db.session.get(Unit, world["unit"].id)
        course = db.session.scalars(sa.select(Course).where(Course.slug == world["course"])).one()
        course.owner_unit_id, course.shared_down = cell.id, False
        quiz = sync_quiz(course, Bank(QuizSettings(), sample_questions(6)))
        attempt = start_attempt(db.session.get(User, world["member"].id), quiz)
        plan = create_plan(unit=cell, course=course, title=f"Kế hoạch {tag}", opens_on=dt.date(2026, 1, 1),
                           due_on=dt.date(2026, 12, 31), target_units=[cell])
        plan.status = PlanStatus.open
        reflection, town_reflection = _reflection(plan.id, world), _reflection(world["town_plan"], world)
        author = db.session.get(User, world["propagandist"].id)
        module = drafts.create_module(slug=world["module"], title=f"Bài học {tag}", kind=CourseKind.training,
                                      summary="Tóm tắt.", owner_unit_id=cell.id, shared_down=False, author=author)
        drafts.add_lesson(module, "Bài một", author=author, body="Nội dung ![sơ đồ](media/so-do.png)")
        media.add_media(module, "so-do.png", PNG)
        media.add_media(module, "khong-dung.png", PNG)
        drafts.switch_quiz_file(module, "quiz.gift", GIFT, author=author)
        from learnhub.authoring.models import ReviewComment

        comment = ReviewComment(course_id=module.id, target_kind="lesson", target_id="bai-mot", text=f"Góp ý {tag}",
                                author_id=world["secretary"].id)
        session = OutreachSession(unit_id=cell.id, organisation="Hội Nông dân", title=f"Tuyên truyền {tag}",
                                  held_on=dt.date(2026, 3, 1), head_count=40)
        inspection = Inspection(unit_id=cell.id, held_on=dt.date(2026, 3, 10), inspectors=f"Đoàn kiểm tra {tag}",
                                findings=f"Nhận xét {tag}", conclusion=Conclusion.remind, follow_up=f"Học bù {tag}",
                                follow_up_due=dt.date(2026, 4, 30))
        from learnhub.notify.access import token_hash
        from learnhub.notify.models import CalendarFeed

        feed = CalendarFeed(user_id=world["member"].id, token_hash=token_hash(f"calendar-feed-of-world-{tag}"))
        from learnhub.outreach.models import Broadcast

        broadcast = Broadcast(unit_id=cell.id, held_on=dt.date(2026, 3, 2), area=f"Khu phố {tag}", minutes=10)
        db.session.add_all([reflection, town_reflection, session, inspection, feed, broadcast, comment])
        db.session.commit()
        with drafts.draft_folder(module) as folder:
            module_zip = course_zip_bytes(folder)
        return {"course_id": course.id, "attempt": attempt.id, "plan": plan.id, "reflection": reflection.id,
                "town_reflection": town_reflection.id, "session": session.id, "inspection": inspection.id,
                "broadcast": broadcast.id, "upload": _upload(world), "module_zip": module_zip, "feed": feed.id,
                "comment": comment.id}


def _town_plan(app: Flask, town: dict) -> int:
    """A plan of the town committee for both cells: each secretary sees it, and only their own cell in it."""
    from learnhub.courses.models import Course
    from learnhub.plans.models import PlanStatus
    from learnhub.plans.services import create_plan

    with app.app_context():
        cells = [db.session.get(Unit, town[key].id) for key in ("a", "b")]
        course = db.session.scalars(sa.select(Course).where(Course.slug == "nghi-quyet-thu")).one()
        plan = create_plan(unit=db.session.get(Unit, town["root"].id), course=course, title="Kế hoạch của Thị trấn",
                           opens_on=dt.date(2026, 1, 1), due_on=dt.date(2026, 12, 31), target_units=cells)
        plan.status = PlanStatus.open
        db.session.commit()
        return plan.id


def _reflection(plan_id: int, world: dict) -> Reflection:
    return Reflection(plan_id=plan_id, user_id=world["member"].id, status=ReflectionStatus.submitted,
                      learned=f"Điều học được {world['tag']}", submitted_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))


def _upload(world: dict) -> str:
    """A member list the world's secretary uploaded and has not yet confirmed (a file, not a row)."""
    from learnhub.members import uploads

    text = f"Họ và tên,Chi bộ,Đối tượng\n{IMPORTED[world['name']]},{world['unit'].name},Đảng viên\n"
    file = FileStorage(io.BytesIO(text.encode()), filename="danh-sach.csv")
    return uploads.save_upload(file, owner_id=world["secretary"].id, unit_id=world["unit"].id)


def _conference_and_posts(app: Flask, world: dict) -> dict:
    """The cell's conference, running now, with a guest; a question of the member under the cell's
    module and one under the town's, each answered by the secretary (the town's one by the
    propagandist too)."""
    from learnhub.conferences import attendance, services
    from learnhub.conferences.models import GuestKind
    from learnhub.courses.models import Course, Lesson
    from learnhub.db import utcnow
    from learnhub.dialogue import services as dialogue

    tag = world["tag"]
    with app.test_request_context():
        cell = db.session.get(Unit, world["unit"].id)
        conference = services.create_conference(
            unit=cell, title=f"Hội nghị {tag}", starts_at=utcnow() - dt.timedelta(minutes=10),
            ends_at=utcnow() + dt.timedelta(hours=2), invited_units=[cell])
        guest, _added = attendance.add_guest(conference, kind=GuestKind.civil_servant, name=f"Khách {tag}")
        member = db.session.get(User, world["member"].id)
        secretary = db.session.get(User, world["secretary"].id)
        posts = {}
        for key, slug in (("question", world["course"]), ("town_question", "nghi-quyet-thu")):
            lesson = db.session.scalars(sa.select(Lesson).join(Course).where(
                Course.slug == slug, Lesson.slug == "bai-1")).one()
            question = dialogue.ask(lesson=lesson, author=member, body=f"Câu hỏi {tag}")
            answer = dialogue.reply(question=question, author=secretary, body=f"Trả lời {tag}")
            posts[key], posts[key.replace("question", "answer")] = question, answer
        posts["town_reply"] = dialogue.reply(question=posts["town_question"], body=f"Ý kiến {tag}",
                                             author=db.session.get(User, world["propagandist"].id))
        db.session.commit()
        return {"conference": conference.id, "token": conference.check_in_token, "guest": guest.id,
                **{key: post.id for key, post in posts.items()}}


def _contest(app: Flask, world: dict) -> dict:
    """The cell's published contest on its module's quiz: a closed round whose winner (a citizen of
    the world) holds a certificate, and an open round."""
    from learnhub.contests import certificates, services
    from learnhub.courses.models import Course
    from learnhub.db import utcnow
    from learnhub.quizzes.models import Quiz

    tag = world["tag"]
    with app.test_request_context():
        quiz = db.session.scalars(sa.select(Quiz).join(Course).where(Course.slug == world["course"])).one()
        now = utcnow()
        contest = services.create_contest(unit=db.session.get_one(Unit, world["unit"].id), quiz=quiz,
                                          title=f"Cuộc thi {tag}", organiser=f"Chi bộ {tag}", prizes=["Giải Nhất"],
                                          questions_per_entry=2)
        services.add_round(contest, opens_at=now - dt.timedelta(days=3), closes_at=now + dt.timedelta(days=1))
        services.publish(contest, now=now - dt.timedelta(days=3))
        winner = services.start_entry(contest, name=f"Người thắng {tag}", phone="+84912345678",
                                      now=now - dt.timedelta(days=2))
        services.submit_entry(winner, {}, 1, now=now - dt.timedelta(days=2) + dt.timedelta(minutes=1))
        contest.rounds[0].closes_at = now - dt.timedelta(days=1)
        services.add_round(contest, opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=6))
        certificates.issue_prize_certificates(contest, contest.rounds[0])
        db.session.commit()
        from learnhub.contests.models import Certificate

        certificate = db.session.scalars(sa.select(Certificate).where(Certificate.entry_id == winner.id)).one()
        return {"contest": contest.id, "certificate": certificate.id}
