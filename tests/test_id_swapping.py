"""Object ids swapped between two parallel worlds: nothing of cell B is reached from cell A, and back.

tests/two_worlds.py builds cell A and cell B side by side in one town, each with the same kinds of
objects. For every route that takes an object's id (in its path, or as ``?unit=``/``?plan=``, or in a
form's fields) SWAPS says who uses it and what they get:

- with the other world's id (or their own URL with one of its ids swapped, ``mix``) the answer is the
  refusal the app gives for an object out of reach (404; 403 where the app refuses by role or
  authorship, as test_access_matrix expects), the database is exactly as before (no half-write),
  and the page names nothing of the other world;
- with their own world's ids the route works (200/302/204), so the refusal is not a broken route.

A route added later with an argument in its URL and no entry here fails
`test_every_id_route_has_a_swap_entry`.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from learnhub.extensions import db
from learnhub.quizzes.bank import derive_question_id
from tests.conftest import csrf_token, login
from tests.two_worlds import GIFT, GIFT_MORE, PNG, build_worlds, markers

Data = Callable[[dict], dict]


@dataclass(frozen=True)
class Swap:
    """One request on a world's object, by ``actor`` ("member", "secretary", "propagandist").

    ``refused``: what the actor gets with the other world's ids; ``own``: with their own (None: not
    asked, for a ``mix`` whose own request is already in the table). ``mix`` names the keys taken from
    the other world, the rest being the actor's own. ``own_as`` uses the route on the own world when
    the actor may not use it at all (admin-only routes). ``shows``: a key of the world's ``names`` (or
    "tag") that the own answer must contain. ``kept``: state outside the database a refusal must leave.
    ``names_it``: the refusal may name the object (its id is a capability). ``writes``: tables a refusal
    answered with the viewer's own data may write (an export's audit entry). Every own POST must write
    to the database (or it may have been refused with a message), unless ``idle``.
    """

    method: str
    url: Callable[[dict], str]
    actor: str = "secretary"
    own: int | None = 200
    refused: int = 404
    data: Data = field(default=lambda o: {})
    mix: tuple[str, ...] = ()
    own_as: str | None = None
    json: bool = False
    shows: str | None = None
    kept: Callable[[Flask, dict], bool] | None = None
    names_it: bool = False
    writes: tuple[str, ...] = ()
    idle: bool = False


def read(url: Callable[[dict], str], **options) -> Swap:
    return Swap("GET", url, **options)


def write(url: Callable[[dict], str], data: Data = lambda o: {}, **options) -> Swap:
    return Swap("POST", url, **{"own": 302, **options, "data": data})


def local(minutes: int) -> str:
    """A time ``minutes`` from now as a datetime-local field gives it (the town's time zone)."""
    from learnhub.settings import local_zone

    return (dt.datetime.now(local_zone()) + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def plan_form(o: dict) -> dict:
    return {"title": f"Kế hoạch {o['tag']}", "courses": o["course_id"], "unit": o["unit"].id,
            "target_units": o["unit"].id, "categories": ["party_member", "civil_servant"], "form": "online",
            "opens_on": "2026-01-01", "due_on": "2026-12-31", "criteria": ["lessons", "quiz"], "rule": "all",
            "target_percent": "98", "responsible": "0"}


def conference_form(o: dict) -> dict:
    return {"title": f"Hội nghị {o['tag']}", "unit": o["unit"].id, "plan": o["plan"], "starts_at": local(-10),
            "ends_at": local(120), "form": "in_person", "invited_units": o["unit"].id,
            "presenter_accounts": o["propagandist"].id}


def inspection_form(o: dict) -> dict:
    return {"unit": o["unit"].id, "plan": o["plan"], "held_on": "2026-03-10", "inspectors": f"Đoàn kiểm tra {o['tag']}",
            "findings": f"Nhận xét {o['tag']}", "conclusion": "remind", "follow_up": f"Học bù {o['tag']}",
            "follow_up_due": "2026-04-30"}


def session_form(o: dict) -> dict:
    return {"unit": o["unit"].id, "organisation": "Hội Nông dân", "title": f"Tuyên truyền {o['tag']}",
            "held_on": "2026-03-01", "head_count": "40", "course": o["course_id"]}


def offline_stretch(o: dict) -> dict:
    """A minute read offline, ending now (each world's member sends one; they never overlap)."""
    end = dt.datetime.now(dt.UTC)
    return {"started_at": (end - dt.timedelta(seconds=60)).isoformat(),
            "beats": [(end - dt.timedelta(seconds=30)).isoformat(), end.isoformat()]}


def upload_kept(app: Flask, o: dict) -> bool:
    from learnhub.members import uploads

    with app.test_request_context():
        return uploads.load_upload(o["upload"], o["secretary"].id) is not None


def course_path(o: dict) -> str:
    """The world's own published module, as members study it."""
    return f"/courses/{o['course']}"


def draft_path(o: dict) -> str:
    """The world's draft module, as its authors write it."""
    return f"/authoring/{o['module']}"


MEMBER, AUTHOR, ADMIN = {"actor": "member"}, {"actor": "propagandist"}, {"own_as": "admin", "refused": 403}
UNIT = ("unit",)

# In walking order: nothing one world does to its own objects spoils a later request.
SWAPS: dict[str, Swap | tuple[Swap, ...]] = {
    # The member's own module: another cell's is not there for them, nor for its authors.
    "study.course": read(lambda o: f"{course_path(o)}/", **MEMBER),
    "study.lesson": read(lambda o: f"{course_path(o)}/bai-1", **MEMBER),
    "study.media": read(lambda o: f"{course_path(o)}/media/so-do.png", **MEMBER),
    "dialogue.faq": read(lambda o: f"{course_path(o)}/faq", **MEMBER),
    "quizzes.quiz": read(lambda o: f"{course_path(o)}/quiz", **MEMBER),
    "quizzes.analysis": read(lambda o: f"{course_path(o)}/quiz/analysis", **AUTHOR),
    "quizzes.analysis_export": read(lambda o: f"{course_path(o)}/quiz/analysis.csv", **AUTHOR),
    "study.heartbeat": write(lambda o: f"{course_path(o)}/bai-1/heartbeat", own=204, **MEMBER),
    "study.mark_studied": write(lambda o: f"{course_path(o)}/bai-1/studied", **MEMBER),
    "study.offline_reading": write(lambda o: f"{course_path(o)}/bai-1/offline-reading", offline_stretch, own=200,
                                   json=True, **MEMBER),
    "offline.keep_list": read(lambda o: f"{course_path(o)}/offline.json", **MEMBER),
    "dialogue.ask": write(lambda o: f"{course_path(o)}/bai-1/questions", lambda o: {"body": f"Hỏi thêm {o['tag']}"}, **MEMBER),
    # A quiz attempt is its member's alone.
    "quizzes.attempt": read(lambda o: f"/attempts/{o['attempt']}", **MEMBER),
    "quizzes.save_answer": write(lambda o: f"/attempts/{o['attempt']}/answer",  # dien-3: a short answer
                                 lambda o: {"qid": "dien-3", "response": "lãnh đạo"}, own=200, json=True, **MEMBER),
    "quizzes.save_all": write(lambda o: f"/attempts/{o['attempt']}/save", **MEMBER),
    "quizzes.submit": write(lambda o: f"/attempts/{o['attempt']}/submit", **MEMBER),
    "quizzes.review": read(lambda o: f"/attempts/{o['attempt']}/review", **MEMBER),
    "quizzes.start": write(lambda o: f"{course_path(o)}/quiz/start", **MEMBER),
    # Discussions: the town's module is open to both cells, so authorship and scope decide there.
    "dialogue.edit": read(lambda o: f"/posts/{o['town_question']}/edit", refused=403, **MEMBER),
    "dialogue.update": write(lambda o: f"/posts/{o['town_question']}/edit", lambda o: {"body": f"Đã sửa {o['tag']}"},
                             refused=403, **MEMBER),
    "dialogue.reply": write(lambda o: f"/posts/{o['question']}/replies", lambda o: {"body": f"Ý kiến {o['tag']}"},
                            **MEMBER),
    "dialogue.accept": (write(lambda o: f"/posts/{o['town_reply']}/accept", refused=403, **MEMBER),
                        write(lambda o: f"/posts/{o['town_answer']}/accept")),
    "dialogue.pin": write(lambda o: f"/posts/{o['town_question']}/pin", lambda o: {"action": "pin"}),
    "dialogue.hide": (write(lambda o: f"/posts/{o['question']}/hide", lambda o: {"reason": "Lạc đề"}, **AUTHOR),
                      write(lambda o: f"/posts/{o['town_question']}/hide", lambda o: {"reason": "Lạc đề"})),
    "dialogue.unhide": write(lambda o: f"/posts/{o['town_question']}/unhide"),
    # Authoring the cell's draft module: its propagandist.
    "authoring.module": read(lambda o: f"{draft_path(o)}/", **AUTHOR),
    "authoring.settings": (
        read(lambda o: f"{draft_path(o)}/settings", **AUTHOR),
        write(lambda o: f"{draft_path(o)}/settings", lambda o: {"title": f"Bài học {o['tag']} mới", "kind": "training",
                                                        "summary": "Tóm tắt.", "owner_unit": o["unit"].id}, **AUTHOR),
        write(lambda o: f"{draft_path(o)}/settings", lambda o: {"title": "Chiếm", "kind": "training", "summary": "x",
                                                        "owner_unit": o["unit"].id}, mix=UNIT, own=None, refused=200,
              **AUTHOR),
    ),
    "authoring.lesson": (
        read(lambda o: f"{draft_path(o)}/lessons/bai-mot", **AUTHOR),
        write(lambda o: f"{draft_path(o)}/lessons/bai-mot", lambda o: {"title": "Bài một", "minutes": "5", "body": "Đã sửa"},
              **AUTHOR),
    ),
    "authoring.quiz": (
        read(lambda o: f"{draft_path(o)}/quiz", **AUTHOR),
        write(lambda o: f"{draft_path(o)}/quiz", lambda o: {"body": GIFT_MORE}, **AUTHOR),
    ),
    "authoring.history": read(lambda o: f"{draft_path(o)}/history/course.md", **AUTHOR),
    "authoring.revision": read(lambda o: f"{draft_path(o)}/history/course.md/1", **AUTHOR),
    "authoring.media_page": (
        read(lambda o: f"{draft_path(o)}/media", **AUTHOR),
        write(lambda o: f"{draft_path(o)}/media", lambda o: {"file": (io.BytesIO(PNG), "moi.png")}, **AUTHOR),
    ),
    "authoring.draft_media": read(lambda o: f"{draft_path(o)}/media/so-do.png", **AUTHOR),
    "authoring.export": read(lambda o: f"{draft_path(o)}/export.zip", **AUTHOR),
    "authoring.view": read(lambda o: f"{draft_path(o)}/view/bai-mot", **AUTHOR),
    "authoring.preview": write(lambda o: f"{draft_path(o)}/preview/lesson:bai-mot",
                               lambda o: {"title": "Bài một", "minutes": "5", "body": "Nội dung"}, own=200, idle=True,
                               **AUTHOR),
    "authoring.add_lesson": write(lambda o: f"{draft_path(o)}/lessons", lambda o: {"title": "Bài hai"}, **AUTHOR),
    "authoring.move_lesson": write(lambda o: f"{draft_path(o)}/lessons/bai-mot/move", lambda o: {"direction": "down"}, **AUTHOR),
    "authoring.archive_lesson": write(lambda o: f"{draft_path(o)}/lessons/bai-mot/archive", lambda o: {"archive": "0"},
                                      **AUTHOR),
    "authoring.import_gift": write(lambda o: f"{draft_path(o)}/quiz/import",
                                   lambda o: {"file": (io.BytesIO(GIFT.encode()), "cau-hoi.gift")}, **AUTHOR),
    "authoring.convert_quiz": write(lambda o: f"{draft_path(o)}/quiz/convert", **AUTHOR),
    "authoring.restore": write(lambda o: f"{draft_path(o)}/history/course.md/1/restore", **AUTHOR),
    # The questions by form, once the GIFT bank above is converted to quiz.md.
    "authoring.questions_list": read(lambda o: f"{draft_path(o)}/questions", **AUTHOR),
    "authoring.question_form": (
        read(lambda o: f"{draft_path(o)}/new-question/single", **AUTHOR),
        write(lambda o: f"{draft_path(o)}/new-question/single", lambda o: {
            "stem": "Câu hỏi thêm?", "points": "1", "choice_text-0": "Đúng là A", "choice_right-0": "y",
            "choice_text-1": "B"}, **AUTHOR),
    ),
    "authoring.question_action": write(lambda o: f"{draft_path(o)}/questions/{derive_question_id('Câu hỏi thêm?')}/duplicate",
                                       **AUTHOR),
    "authoring.quiz_settings": write(lambda o: f"{draft_path(o)}/quiz-settings", lambda o: {"pass_score": "75"},
                                     **AUTHOR),
    "authoring.question_preview": write(lambda o: f"{draft_path(o)}/question-preview/single",
                                        lambda o: {"stem": "Câu hỏi?", "points": "1"}, own=200, idle=True, **AUTHOR),
    "authoring.review": read(lambda o: f"{draft_path(o)}/review", **AUTHOR),
    "authoring.resolve_comment": write(lambda o: f"{draft_path(o)}/review/comments/{o['comment']}/resolve", **AUTHOR),
    "authoring.delete_media": write(lambda o: f"{draft_path(o)}/media/khong-dung.png/delete", **AUTHOR),
    "authoring.request_review": write(lambda o: f"{draft_path(o)}/review", **AUTHOR),
    # the cell's secretary returns the module its propagandist just asked to be reviewed
    "authoring.return_review": write(lambda o: f"{draft_path(o)}/review/return", lambda o: {"lesson:bai-mot": "Sửa"},
                                     actor="secretary"),
    "authoring.publish": write(lambda o: f"{draft_path(o)}/publish", **AUTHOR),
    # Plans, their dashboards (a plan's own page with another cell as ?unit= too) and reflections. The
    # town's plan is seen by both secretaries: within it, each reaches only their own cell.
    "plans.dashboard": (read(lambda o: f"/plans/{o['plan']}?unit={o['unit'].id}"),
                        read(lambda o: f"/plans/{o['plan']}?unit={o['unit'].id}", mix=UNIT, own=None),
                        read(lambda o: f"/plans/{o['town_plan']}?unit={o['unit'].id}", shows="member")),
    "plans.export": (read(lambda o: f"/plans/{o['plan']}/export.csv?unit={o['unit'].id}"),
                     read(lambda o: f"/plans/{o['plan']}/export.csv?unit={o['unit'].id}", mix=UNIT, own=None),
                     read(lambda o: f"/plans/{o['town_plan']}/export.csv?unit={o['unit'].id}")),
    "plans.export_missing": (
        read(lambda o: f"/plans/{o['plan']}/missing.csv?unit={o['unit'].id}", shows="member"),
        read(lambda o: f"/plans/{o['plan']}/missing.csv?unit={o['unit'].id}", mix=UNIT, own=None),
        read(lambda o: f"/plans/{o['town_plan']}/missing.csv?unit={o['unit'].id}", shows="member"),
    ),
    "plans.print_plan": read(lambda o: f"/plans/{o['plan']}/print", shows="tag"),
    "plans.edit": (
        read(lambda o: f"/plans/{o['plan']}/edit"),
        write(lambda o: f"/plans/{o['plan']}/edit", plan_form),
        write(lambda o: f"/plans/{o['plan']}/edit", plan_form, mix=UNIT, own=None, refused=200),
        write(lambda o: f"/plans/{o['plan']}/edit", plan_form, mix=("course_id",), own=None, refused=200),
    ),
    "reflections.queue": (read(lambda o: f"/plans/{o['plan']}/reflections?unit={o['unit'].id}", shows="member"),
                          read(lambda o: f"/plans/{o['plan']}/reflections?unit={o['unit'].id}", mix=UNIT, own=None),
                          read(lambda o: f"/plans/{o['town_plan']}/reflections?unit={o['unit'].id}", shows="member")),
    "reflections.show": (read(lambda o: f"/plans/{o['plan']}/reflections/{o['reflection']}", shows="tag"),
                         read(lambda o: f"/plans/{o['plan']}/reflections/{o['reflection']}", mix=("reflection",),
                              own=None),
                         read(lambda o: f"/plans/{o['town_plan']}/reflections/{o['town_reflection']}", shows="tag")),
    "reflections.review": (
        write(lambda o: f"/plans/{o['plan']}/reflections/{o['reflection']}/review",
              lambda o: {"decision": "return", "comment": "Viết thêm"}),
        write(lambda o: f"/plans/{o['plan']}/reflections/{o['reflection']}/review", lambda o: {"decision": "accept"},
              mix=("reflection",), own=None),
        write(lambda o: f"/plans/{o['town_plan']}/reflections/{o['town_reflection']}/review",
              lambda o: {"decision": "accept"}),
    ),
    "reflections.mine": (  # the reflection was returned just above, so its member may change it again
        read(lambda o: f"/plans/{o['plan']}/reflection", shows="tag", **MEMBER),
        write(lambda o: f"/plans/{o['plan']}/reflection", lambda o: {"learned": f"Viết lại {o['tag']}",
                                                                     "action": "save"}, **MEMBER),
    ),
    # A member's own calendar address: another member's is "not found".
    "notify.revoke_feed": write(lambda o: f"/account/calendar/{o['feed']}/revoke", **MEMBER),
    "plans.change_status": write(lambda o: f"/plans/{o['plan']}/status", lambda o: {"status": "open"}),
    "plans.copy": write(lambda o: f"/plans/{o['plan']}/copy"),
    "plans.confirm_delete": read(lambda o: f"/plans/{o['plan']}/delete", shows="tag"),
    # The world's plan is open: its own committee is refused with a message, another cell's gets 404.
    "plans.delete": write(lambda o: f"/plans/{o['plan']}/delete", idle=True),
    "notifications.remind": (write(lambda o: f"/plans/{o['plan']}/remind?unit={o['unit'].id}"),
                             write(lambda o: f"/plans/{o['plan']}/remind?unit={o['unit'].id}", mix=UNIT, own=None),
                             write(lambda o: f"/plans/{o['town_plan']}/remind?unit={o['unit'].id}")),
    # Conferences: the organising cell's secretary; members check in with the token they were shown.
    "conferences.show": read(lambda o: f"/conferences/{o['conference']}", shows="tag"),
    "conferences.notice": read(lambda o: f"/conferences/{o['conference']}/notice", shows="tag"),
    "conferences.notice_docx": read(lambda o: f"/conferences/{o['conference']}/notice.docx"),
    "conferences.edit": (
        read(lambda o: f"/conferences/{o['conference']}/edit"),
        write(lambda o: f"/conferences/{o['conference']}/edit", conference_form),
        write(lambda o: f"/conferences/{o['conference']}/edit", conference_form, mix=UNIT, own=None, refused=400),
        write(lambda o: f"/conferences/{o['conference']}/edit", conference_form, mix=("plan",), own=None,
              refused=400),
        write(lambda o: f"/conferences/{o['conference']}/edit", conference_form, mix=("propagandist",), own=None,
              refused=400),
    ),
    "conferences.roster": read(lambda o: f"/conferences/{o['conference']}/roster", shows="member"),
    "conferences.roster_state": read(lambda o: f"/conferences/{o['conference']}/roster.json"),
    "conferences.screen": read(lambda o: f"/conferences/{o['conference']}/screen"),
    # A token shown to another cell's member: a refusal that names nothing (conferences/access.py).
    "conferences.confirm_check_in": write(lambda o: f"/conferences/check-in/{o['token']}", refused=403, **MEMBER),
    "conferences.mark": (
        write(lambda o: f"/conferences/{o['conference']}/attendance",
              lambda o: {"member": o["member"].id, "status": "excused"}),
        write(lambda o: f"/conferences/{o['conference']}/attendance",
              lambda o: {"member": o["member"].id, "status": "excused"}, mix=("member",), own=None, refused=400),
    ),
    "conferences.add_guest": write(lambda o: f"/conferences/{o['conference']}/guests",
                                   lambda o: {"kind": "citizen", "name": "Bà Tư"}),
    "conferences.head_counts": write(lambda o: f"/conferences/{o['conference']}/head-counts",
                                     lambda o: {"unnamed_civil_servants": "1", "unnamed_citizens": "2"}),
    "conferences.remove_guest": (
        write(lambda o: f"/conferences/{o['conference']}/guests/{o['guest']}/remove"),
        # Another conference's guest under one's own conference: nothing to take off.
        write(lambda o: f"/conferences/{o['conference']}/guests/{o['guest']}/remove", mix=("guest",), own=None,
              refused=302),
    ),
    "conferences.new_token": write(lambda o: f"/conferences/{o['conference']}/token"),
    "conferences.cancel": write(lambda o: f"/conferences/{o['conference']}/cancel"),
    # Inspections and outreach sessions of the cell.
    "inspections.show": read(lambda o: f"/inspections/{o['inspection']}", shows="tag"),
    "inspections.edit": (
        read(lambda o: f"/inspections/{o['inspection']}/edit"),
        write(lambda o: f"/inspections/{o['inspection']}/edit", inspection_form),
        write(lambda o: f"/inspections/{o['inspection']}/edit", inspection_form, mix=UNIT, own=None),
        write(lambda o: f"/inspections/{o['inspection']}/edit", inspection_form, mix=("plan",), own=None),
    ),
    "inspections.follow_up_done": write(lambda o: f"/inspections/{o['inspection']}/follow-up",
                                        lambda o: {"note": "Đã học bù"}),
    "inspections.delete": write(lambda o: f"/inspections/{o['inspection']}/delete"),
    "outreach.edit_session": (
        read(lambda o: f"/outreach/sessions/{o['session']}/edit"),
        write(lambda o: f"/outreach/sessions/{o['session']}/edit", session_form),
        write(lambda o: f"/outreach/sessions/{o['session']}/edit", session_form, mix=UNIT, own=None, refused=400),
        write(lambda o: f"/outreach/sessions/{o['session']}/edit", session_form, mix=("course_id",), own=None,
              refused=400),
    ),
    "outreach.confirm_delete": read(lambda o: f"/outreach/sessions/{o['session']}/delete", shows="tag"),
    "outreach.delete_session": write(lambda o: f"/outreach/sessions/{o['session']}/delete"),
    # A cell's loudspeaker bulletin of its module: another cell's module or unit is "not found".
    "bulletins.bulletin": (
        read(lambda o: f"/outreach/bulletins/{o['course']}/{o['unit'].id}", shows="tag"),
        write(lambda o: f"/outreach/bulletins/{o['course']}/{o['unit'].id}",
              lambda o: {"title": f"Bản tin {o['tag']}", "script": "Kính thưa bà con."}),
        write(lambda o: f"/outreach/bulletins/{o['course']}/{o['unit'].id}",
              lambda o: {"title": "Bản tin", "script": "Kính thưa bà con."}, mix=UNIT, own=None),
        write(lambda o: f"/outreach/bulletins/{o['course']}/{o['unit'].id}",
              lambda o: {"title": "Bản tin", "script": "Kính thưa bà con."}, mix=("course",), own=None),
    ),
    "bulletins.delete_broadcast": write(lambda o: f"/outreach/broadcasts/{o['broadcast']}/delete"),
    "bulletins.bulletin_docx": read(lambda o: f"/outreach/bulletins/{o['course']}/{o['unit'].id}.docx"),
    # No recording is attached in either world: the own answer is "not found" too, so it is not asked.
    "bulletins.bulletin_recording": read(lambda o: f"/outreach/bulletins/{o['course']}/{o['unit'].id}/recording",
                                         own=None),
    "bulletins.bulletin_recording_upload": write(
        lambda o: f"/outreach/bulletins/{o['course']}/{o['unit'].id}/recording",
        lambda o: {"file": (io.BytesIO(b"ID3\x03" + bytes(64)), "tin.mp3")}),  # after the bulletin is saved above
    # Yearly figures chosen by ?unit=.
    "reports.year": read(lambda o: f"/reports/year?unit={o['unit'].id}&year=2026"),
    "reports.year_docx": read(lambda o: f"/reports/year.docx?unit={o['unit'].id}&year=2026"),
    "reports.year_json": read(lambda o: f"/reports/year.json?unit={o['unit'].id}&year=2026"),
    "inspections.evaluation": read(lambda o: f"/inspections/evaluation?unit={o['unit'].id}&year=2026"),
    "inspections.evaluation_export": read(lambda o: f"/inspections/evaluation.csv?unit={o['unit'].id}&year=2026"),
    "inspections.term": read(lambda o: f"/inspections/term?unit={o['unit'].id}"),
    "inspections.index": read(lambda o: f"/inspections/?unit={o['unit'].id}", shows="tag"),
    "plans.overview": read(lambda o: f"/plans/overview?unit={o['unit'].id}&year=2026", shows="tag"),
    "conferences.index": read(lambda o: f"/conferences/?plan={o['plan']}", shows="tag"),
    # An out-of-scope ?unit= is dropped from the member list's filter: the list stays the viewer's own.
    "members.index": read(lambda o: f"/members/?unit={o['unit'].id}", refused=200, shows="member"),
    "members.export": read(lambda o: f"/members/export.csv?unit={o['unit'].id}", refused=200, shows="member",
                           writes=("audit_entry",)),
    # Forms that take another world's ids in their fields: refused as a bad choice or 404, nothing written.
    "plans.new": write(lambda o: "/plans/new", plan_form, mix=("unit", "course_id"), refused=200),
    "conferences.new": write(lambda o: "/conferences/new", conference_form, mix=("unit", "plan"), refused=400),
    "inspections.new": write(lambda o: "/inspections/new", inspection_form, mix=("unit", "plan")),
    "inspections.decide": write(lambda o: "/inspections/evaluation/decision",
                                lambda o: {"unit": o["unit"].id, "year": "2026", "level": "good",
                                           "reason": f"Lý do {o['tag']}"}, mix=("unit",)),
    "outreach.new_session": write(lambda o: "/outreach/sessions/new", session_form, mix=("unit", "course_id"),
                                  refused=400),
    "orgs.assignment_list": write(lambda o: "/assignments", lambda o: {"user": o["secretary"].id,
                                                                       "unit": o["group"].id},
                                  mix=("secretary", "group")),
    "members_import.upload": write(lambda o: "/members/import/", lambda o: {
        "file": (io.BytesIO(f"Họ và tên,Chi bộ\nNgô Văn Sáu,{o['unit'].name}\n".encode()), "them.csv"),
        "unit": o["unit"].id}, mix=UNIT, refused=200, idle=True),
    "authoring.new": write(lambda o: "/authoring/new", lambda o: {
        "title": f"Học phần mới {o['tag']}", "kind": "training", "summary": "Tóm tắt.", "owner_unit": o["unit"].id},
        mix=UNIT, refused=200, **AUTHOR),
    # A module's .zip names its module by the folder: another cell's module is not overwritten.
    "authoring.import_zip": write(lambda o: "/authoring/import", lambda o: {
        "file": (io.BytesIO(o["module_zip"]), "bai-hoc.zip"), "owner_unit": o["unit"].id},
        mix=("module_zip",), refused=200, **AUTHOR),
    # Lists without an id: the swap is the whole page, which names nothing of the other world.
    "study.home": read(lambda o: "/", refused=200, shows="tag", **MEMBER),
    "notifications.index": read(lambda o: "/notifications", refused=200, shows="tag", **MEMBER),
    "plans.index": read(lambda o: "/plans/", refused=200, shows="tag"),
    "inspections.follow_ups": read(lambda o: "/inspections/follow-ups", refused=200, shows="tag"),
    "inspections.propagandists": read(lambda o: "/inspections/propagandists", refused=200, shows="propagandist"),
    "inspections.propagandists_export": read(lambda o: "/inspections/propagandists.csv", refused=200,
                                             shows="propagandist"),
    "outreach.sessions": read(lambda o: "/outreach/sessions?year=2026", refused=200, shows="tag"),
    "dialogue.questions": read(lambda o: "/questions", refused=200, shows="tag"),
    "authoring.index": read(lambda o: "/authoring/", refused=200, shows="tag", **AUTHOR),
    "orgs.units": read(lambda o: "/units/", refused=200, shows="tag"),
    # A member list being imported is its uploader's: another secretary's cancel leaves it in place.
    "members_import.preview": read(lambda o: f"/members/import/{o['upload']}"),
    "members_import.confirm": write(lambda o: f"/members/import/{o['upload']}"),
    "members_import.cancel": write(lambda o: f"/members/import/{o['upload']}/cancel", refused=302, kept=upload_kept,
                                   idle=True),
    # The member just imported has no password yet: the slips give them their first.
    "members.slips": write(lambda o: "/members/slips", lambda o: {"unit": o["unit"].id, "only_new": "y"}, mix=UNIT,
                           own=200, refused=200),
    # The unit tree.
    "orgs.unit": read(lambda o: f"/units/{o['unit'].id}", shows="tag"),
    "orgs.create_child": write(lambda o: f"/units/{o['unit'].id}/children", lambda o: {"name": "Tổ mới", "kind": "cell"}),
    "orgs.rename": write(lambda o: f"/units/{o['unit'].id}/rename", lambda o: {"name": o["unit"].name}),
    "orgs.move": (write(lambda o: f"/units/{o['group'].id}/move", lambda o: {"parent": o["unit"].id}),
                  write(lambda o: f"/units/{o['group'].id}/move", lambda o: {"parent": o["unit"].id}, mix=UNIT,
                        own=None, refused=302)),
    # How a unit's documents are headed and signed.
    "documents.settings": (read(lambda o: f"/documents/units/{o['group'].id}/settings", shows="tag"),
                           write(lambda o: f"/documents/units/{o['group'].id}/settings",
                                 lambda o: {"signer_name": "Nguyễn Văn Ký"})),
    "orgs.remove_assignment": write(lambda o: f"/assignments/{o['assignment']}/remove"),
    "orgs.archive": write(lambda o: f"/units/{o['empty'].id}/archive"),
    # Members: a secretary oversees their own cell; a member sees only themselves. Admin-only routes are
    # refused to secretaries whichever world (403), and used by the admin.
    "members.profile": (read(lambda o: f"/members/{o['member'].id}", shows="member"),
                        read(lambda o: f"/members/{o['member'].id}", shows="member", **MEMBER)),
    "auth.two_factor_admin": read(lambda o: f"/users/{o['member'].id}/two-factor", **ADMIN),
    "auth.two_factor_reset": write(lambda o: f"/users/{o['member'].id}/two-factor/reset", idle=True, **ADMIN),
    "members.change_status": write(lambda o: f"/members/{o['member'].id}/status",
                                   lambda o: {"status": "active", "effective_on": "2026-01-02", "reason": "Kiểm tra"}),
    "members.reset_password": write(lambda o: f"/members/{o['member'].id}/reset-password", own=200),
    "members.transfer": (
        write(lambda o: f"/members/{o['member'].id}/transfer",
              lambda o: {"to_unit": o["group"].id, "effective_on": "2026-01-02", "reason": "Chuyển tổ"}),
        write(lambda o: f"/members/{o['member'].id}/transfer",
              lambda o: {"to_unit": o["group"].id, "effective_on": "2026-01-02", "reason": "Chuyển"},
              mix=("group",), own=None, refused=302),
    ),
    "members.appoint": (
        write(lambda o: f"/members/{o['member'].id}/appoint", lambda o: {"unit": o["group"].id}),
        write(lambda o: f"/members/{o['member'].id}/appoint", lambda o: {"unit": o["group"].id},
              mix=("group",), own=None),
    ),
    # A contest is managed by its organiser's committees only; its certificates likewise.
    "contests.manage": read(lambda o: f"/contests/{o['contest']}/manage", shows="tag"),
    "contests.export_results": read(lambda o: f"/contests/{o['contest']}/rounds/1/results.xlsx"),
    "contests.certificate_pdf": read(lambda o: f"/certificates/{o['certificate']}.pdf"),
    "contests.add_round": write(lambda o: f"/contests/{o['contest']}/rounds",
                                lambda o: {"opens_at": local(60 * 24 * 10), "closes_at": local(60 * 24 * 17)}),
    "contests.publish": write(lambda o: f"/contests/{o['contest']}/publish", idle=True),  # already published
    "contests.issue_certificates": write(lambda o: f"/contests/{o['contest']}/rounds/1/certificates",
                                         idle=True),  # the winner already holds one
    "contests.revoke_certificate": write(lambda o: f"/certificates/{o['certificate']}/revoke"),
    "members.change_account": write(lambda o: f"/members/{o['member'].id}/account",  # last: it signs them out
                                    lambda o: {"role": "propagandist", "active": "y"}, **ADMIN),
}

# Routes with an argument in their URL that name no object of one cell, each with its reason.
NO_OBJECT = {
    "static": "the app's own files, the same for everyone",
    "outreach.public_module": "public modules are for citizens without an account",
    "outreach.public_media": "the images of public modules, as public as the page",
    "bulletins.public_recording": "a bulletin's recording on its public module's page, as public as the page",
    "conferences.check_in": "the token finds the conference; only those invited or in scope see it, others a "
                            "refusal naming nothing (tests/conferences/test_check_in.py; confirming is in SWAPS)",
    "auth.reset_password": "a signed, expiring token mailed to its one user; it is the capability",
    "notify.feed": "the secret calendar address is the capability; only its hash is stored (tests/notify/test_calendar.py)",
    "notify.stop": "a reminder's stop link, signed for its one account; it is the capability "
                   "(tests/notify/test_reminders_send.py)",
    "notify.confirm_stop": "the same signed link; it only turns that account's reminders off",
    "contests.show": "a published contest is public: its page is for citizens without an account",
    "contests.enter": "a published contest's entry form is public (a member enters as themselves)",
    "contests.public_results": "a published contest's results are public, names masked, no phones",
    "contests.entry": "the entry's random token is the capability; a member's entry answers only that member "
                      "(tests/contests/test_contests.py)",
    "contests.submit": "the entry's random token is the capability (tests/contests/test_contests.py)",
    "contests.verify": "the certificate's random code is the capability; the page shows a masked name",
    **{endpoint: "the API takes tokens, not sessions: tests/api/test_api_walk.py calls every API route with "
                 "the tokens of both cells' committees, another cell's ids answering 404"
       for endpoint in ("api.unit", "api.member", "api.member_status", "api.member_move", "api.member_put", "api.plan",
                        "api.plan_completion", "api.member_steps", "api.conference", "api.conference_attendance")},
    "api_tokens.revoke": "one's own tokens only; another's is 404 (tests/api/test_tokens.py)",
}


def swaps_of(endpoint: str) -> tuple[Swap, ...]:
    entry = SWAPS[endpoint]
    return entry if isinstance(entry, tuple) else (entry,)


def test_every_id_route_has_a_swap_entry(app: Flask) -> None:
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint in NO_OBJECT:
            continue
        walked = {swap.method for swap in swaps_of(rule.endpoint)} if rule.endpoint in SWAPS else set()
        if unwalked := (rule.methods or set()) - {"HEAD", "OPTIONS"} - walked:
            missing.append(f"{rule.rule} {sorted(unwalked)} ({rule.endpoint})")
    assert missing == [], "add these routes to SWAPS (or, with a reason, to NO_OBJECT)"
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert (set(SWAPS) | set(NO_OBJECT)) - endpoints == set(), "entries for routes that no longer exist"


@pytest.fixture
def worlds(app: Flask, town, make_user, make_unit, make_course) -> Iterator[dict[str, dict]]:
    built = build_worlds(app, town, make_user, make_unit, make_course)
    yield built
    from learnhub.members import uploads

    with app.test_request_context():  # the member lists left unconfirmed are files in the instance folder
        for world in built.values():
            uploads.delete_upload(world["upload"])


class Visitors:
    """One signed-in client per person, with the CSRF token their pages carry."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.clients: dict[str, tuple[FlaskClient, str]] = {}

    def signed_in(self, username: str) -> tuple[FlaskClient, str]:
        if username not in self.clients:
            client = self.app.test_client()
            assert login(client, username).status_code == 302, f"{username} could not sign in"
            self.clients[username] = (client, csrf_token(client, "/"))
        return self.clients[username]

    def send(self, username: str, swap: Swap, o: dict):
        client, token = self.signed_in(username)
        url = swap.url(o)
        if swap.method == "GET":
            return client.get(url)
        if swap.json:
            return client.post(url, json=swap.data(o), headers={"X-CSRFToken": token})
        return client.post(url, data={"csrf_token": token, **swap.data(o)})


def database_rows(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: what a refused request must leave as it was."""
    with app.app_context(), db.engine.connect() as connection:
        return {table.name: [tuple(row) for row in connection.execute(
                    sa.select(table).order_by(*table.primary_key.columns))]
                for table in db.metadata.sorted_tables}


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def signed_out(response) -> bool:
    """A redirect to the sign-in page: the visitor lost their session, so the answer proves nothing."""
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def named(response, world: dict) -> list[str]:
    text = response.get_data().decode("utf-8", errors="replace")
    return [marker for marker in markers(world) if marker in text]


def username(world: dict, role: str) -> str:
    return "admin" if role == "admin" else world[role].username


@pytest.mark.parametrize(("acting", "other"), [("a", "b"), ("b", "a")], ids=["a-asks-for-b", "b-asks-for-a"])
def test_the_other_worlds_objects_are_refused_and_left_unchanged(app: Flask, worlds: dict, acting: str,
                                                                  other: str) -> None:
    me, them = worlds[acting], worlds[other]
    visitors = Visitors(app)
    failures = []
    for endpoint in SWAPS:
        for swap in swaps_of(endpoint):
            o = {**me, **{key: them[key] for key in swap.mix}} if swap.mix else them
            who = username(me, swap.actor)
            visitors.signed_in(who)
            before = database_rows(app)
            response = visitors.send(who, swap, o)
            where = f"{swap.method} {swap.url(o)} ({endpoint}) by {who}"
            if response.status_code != swap.refused or signed_out(response):
                failures.append(f"{where}: {response.status_code}, expected {swap.refused}")
            if changes := set(changed_tables(before, database_rows(app))) - set(swap.writes):
                failures.append(f"{where}: wrote to {sorted(changes)}")
            if (leaked := named(response, them)) and not swap.names_it:
                failures.append(f"{where}: shows {leaked}")
            if swap.kept is not None and not swap.kept(app, them):
                failures.append(f"{where}: the other world's object is gone")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("world", ["a", "b"])
def test_each_world_reaches_its_own_objects(app: Flask, worlds: dict, world: str) -> None:
    me, them = worlds[world], worlds["b" if world == "a" else "a"]
    visitors = Visitors(app)
    failures = []
    for endpoint in SWAPS:
        for swap in swaps_of(endpoint):
            if swap.own is None:
                continue
            who = username(me, swap.own_as or swap.actor)
            visitors.signed_in(who)
            before = database_rows(app) if swap.method == "POST" else {}
            response = visitors.send(who, swap, me)
            where = f"{swap.method} {swap.url(me)} ({endpoint}) by {who}"
            if response.status_code != swap.own or signed_out(response):
                failures.append(f"{where}: {response.status_code}, expected {swap.own}")
            if swap.method == "POST" and not swap.idle and not changed_tables(before, database_rows(app)):
                failures.append(f"{where}: wrote nothing")
            if leaked := named(response, them):
                failures.append(f"{where}: shows the other world's {leaked}")
            wanted = me["tag"] if swap.shows == "tag" else me["names"].get(swap.shows or "")
            if wanted and wanted not in response.get_data().decode("utf-8", errors="replace"):
                failures.append(f"{where}: does not show {wanted}")
    assert not failures, "\n".join(failures)
