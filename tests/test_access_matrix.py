"""Every URL of the app, walked as each kind of user with real objects.

The table says what each role gets. A route added without an entry here fails
`test_every_route_has_an_entry`, so access is decided when a route is written, not later.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import Role, User
from learnhub.courses.format import MediaSource
from learnhub.extensions import db
from learnhub.orgs.models import UnitAssignment, UnitKind
from tests.conftest import csrf_token, login, persist

ROLES = ["anonymous", "member", "propagandist", "committee_in_scope", "committee_out_of_scope", "admin"]
LOGIN_AS = {"member": "an", "propagandist": "tuyentruyen", "committee_in_scope": "bithu1",
            "committee_out_of_scope": "bithu2", "admin": "admin"}
FEED_TOKEN = "matrix-feed-token-0123456789abcdef"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@dataclass
class Case:
    method: str
    url: Callable[[dict], str]
    expect: dict[str, int]
    data: Callable[[dict], dict] = field(default=lambda o: {})


def everyone(status: int, anonymous: int = 302) -> dict[str, int]:
    return {"anonymous": anonymous, **{role: status for role in ROLES[1:]}}


def committee(in_scope: int, out_of_scope: int | None = None, admin: int | None = None) -> dict[str, int]:
    return {"anonymous": 302, "member": 403, "propagandist": 403, "committee_in_scope": in_scope,
            "committee_out_of_scope": in_scope if out_of_scope is None else out_of_scope,
            "admin": in_scope if admin is None else admin}


ADMIN_ONLY = {"anonymous": 302, "member": 403, "propagandist": 403, "committee_in_scope": 403,
              "committee_out_of_scope": 403, "admin": 200}
AUTHORS = {"anonymous": 302, "member": 403, "propagandist": 200, "committee_in_scope": 200,
           "committee_out_of_scope": 200, "admin": 200}
# Authoring a module owned by cell A: its propagandist, cell A's committee and admins; others are told it does not exist.
AUTHOR_SCOPE = {"anonymous": 302, "member": 403, "propagandist": 200, "committee_in_scope": 200,
                "committee_out_of_scope": 404, "admin": 200}
M = "/authoring/bai-hoc-chi-bo"


def author_scope(status: int) -> dict[str, int]:
    return {**AUTHOR_SCOPE, **{role: status for role, s in AUTHOR_SCOPE.items() if s == 200}}


MODERATE = {"anonymous": 302, "member": 403, "propagandist": 404, "committee_in_scope": 302,
            "committee_out_of_scope": 404, "admin": 302}
OWN_POST = {"anonymous": 302, "member": 200, "propagandist": 403, "committee_in_scope": 403,
            "committee_out_of_scope": 403, "admin": 403}
OWN_OR_SCOPE = {"anonymous": 302, "member": 404, "propagandist": 404, "committee_in_scope": 200,
                "committee_out_of_scope": 404, "admin": 200}

API_ROUTES = [
    ("api.units", "GET", lambda o: "/api/v1/units"),
    ("api.unit", "GET", lambda o: f"/api/v1/units/{o['a'].id}"),
    ("api.member_list", "GET", lambda o: "/api/v1/members"),
    ("api.member", "GET", lambda o: f"/api/v1/members/{o['member_a'].id}"),
    ("api.plan_list", "GET", lambda o: "/api/v1/plans"),
    ("api.plan", "GET", lambda o: f"/api/v1/plans/{o['plan']}"),
    ("api.plan_completion", "GET", lambda o: f"/api/v1/plans/{o['plan']}/completion"),
    ("api.member_steps", "GET", lambda o: f"/api/v1/plans/{o['plan']}/members/{o['member_a'].id}/steps"),
    ("api.conference_list", "GET", lambda o: "/api/v1/conferences"),
    ("api.conference", "GET", lambda o: f"/api/v1/conferences/{o['conference']}"),
    ("api.conference_attendance", "GET", lambda o: f"/api/v1/conferences/{o['conference']}/attendance"),
    ("api.yearly_report", "GET", lambda o: "/api/v1/reports/yearly"),
    ("api.member_status", "POST", lambda o: f"/api/v1/members/{o['member_a'].id}/status"),
    ("api.member_move", "POST", lambda o: f"/api/v1/members/{o['member_a'].id}/move"),
    ("api.member_sync", "POST", lambda o: "/api/v1/members/sync"),
    ("api.member_put", "PUT", lambda o: "/api/v1/members/by-username/tuyentruyen"),
]
# GETs first, then state changes ordered so that none spoils a later one; sign-out last.
CASES: dict[str, Case] = {
    "study.home": Case("GET", lambda o: "/", {**everyone(200), "committee_in_scope": 302, "committee_out_of_scope": 302}),
    "study.my_study": Case("GET", lambda o: "/my-study", everyone(200)),
    "health.healthz": Case("GET", lambda o: "/healthz", everyone(200, anonymous=200)),
    "assets.favicon": Case("GET", lambda o: "/favicon.ico", everyone(200, anonymous=200)),
    "study.course": Case("GET", lambda o: "/courses/nghi-quyet-thu/", everyone(200)),
    "study.lesson": Case("GET", lambda o: "/courses/nghi-quyet-thu/bai-1", everyone(200)),
    "study.media": Case("GET", lambda o: "/courses/nghi-quyet-thu/media/so-do.png", everyone(200)),
    "offline.service_worker": Case("GET", lambda o: "/sw.js", everyone(200, anonymous=200)),
    "offline.manifest": Case("GET", lambda o: "/manifest.webmanifest", everyone(200, anonymous=200)),
    "offline.offline_page": Case("GET", lambda o: "/offline", everyone(200, anonymous=200)),
    "offline.keep_list": Case("GET", lambda o: "/courses/nghi-quyet-thu/offline.json", everyone(200)),
    "auth.two_factor_code": Case("GET", lambda o: "/login/code", everyone(302, anonymous=302)),
    "auth.two_factor": Case("GET", lambda o: "/account/two-factor", everyone(200)),
    "auth.two_factor_setup": Case("GET", lambda o: "/account/two-factor/setup", everyone(200)),
    "auth.two_factor_admin": Case("GET", lambda o: f"/users/{o['hai'].id}/two-factor", ADMIN_ONLY),
    "auth.login": Case("GET", lambda o: "/login", {**everyone(302), "anonymous": 200}),
    "auth.change_password": Case("GET", lambda o: "/account/password", everyone(200)),
    "auth.forgot_password": Case("GET", lambda o: "/password/forgot", everyone(200, anonymous=200)),
    "auth.reset_password": Case("GET", lambda o: "/password/reset/not-a-token", everyone(302, anonymous=302)),
    "members.index": Case("GET", lambda o: "/members/", committee(200)),
    "members.export": Case("GET", lambda o: "/members/export.csv", committee(200)),
    "members.profile": Case("GET", lambda o: f"/members/{o['hai'].id}", OWN_OR_SCOPE),
    "members.slips": Case("GET", lambda o: "/members/slips", committee(200)),
    "members_import.upload": Case("GET", lambda o: "/members/import/", committee(200)),
    "members_import.preview": Case("GET", lambda o: "/members/import/abc123", committee(404)),
    "orgs.overview": Case("GET", lambda o: "/overview", committee(200)),
    "orgs.units": Case("GET", lambda o: "/units/", committee(200)),
    "orgs.unit": Case("GET", lambda o: f"/units/{o['a'].id}", committee(200, out_of_scope=404)),
    "orgs.assignment_list": Case("GET", lambda o: "/assignments", committee(200)),
    "documents.settings": Case("GET", lambda o: f"/documents/units/{o['a'].id}/settings", committee(200, 404)),
    "admin.settings": Case("GET", lambda o: "/admin/settings", ADMIN_ONLY),
    "admin.audit": Case("GET", lambda o: "/admin/audit", ADMIN_ONLY),
    "quizzes.quiz": Case("GET", lambda o: "/courses/nghi-quyet-thu/quiz", everyone(200)),
    "quizzes.analysis": Case("GET", lambda o: "/courses/nghi-quyet-thu/quiz/analysis", AUTHORS),
    "quizzes.analysis_export": Case("GET", lambda o: "/courses/nghi-quyet-thu/quiz/analysis.xlsx", AUTHORS),
    # The attempt belongs to "hai": everyone else, whatever their role, is told it does not exist.
    "quizzes.attempt": Case("GET", lambda o: f"/attempts/{o['attempt']}", everyone(404)),
    "quizzes.review": Case("GET", lambda o: f"/attempts/{o['attempt']}/review", everyone(404)),
    "quizzes.save_answer": Case("POST", lambda o: f"/attempts/{o['attempt']}/answer", everyone(404)),
    "quizzes.save_all": Case("POST", lambda o: f"/attempts/{o['attempt']}/save", everyone(404)),
    "quizzes.submit": Case("POST", lambda o: f"/attempts/{o['attempt']}/submit", everyone(404)),
    "authoring.index": Case("GET", lambda o: "/authoring/", AUTHORS),
    "authoring.new": Case("GET", lambda o: "/authoring/new", AUTHORS),
    "authoring.import_zip": Case("GET", lambda o: "/authoring/import", AUTHORS),
    "authoring.module": Case("GET", lambda o: f"{M}/", AUTHOR_SCOPE),
    "authoring.settings": Case("GET", lambda o: f"{M}/settings", AUTHOR_SCOPE),
    "authoring.lesson": Case("GET", lambda o: f"{M}/lessons/bai-mot", AUTHOR_SCOPE),
    "authoring.quiz": Case("GET", lambda o: f"{M}/quiz", AUTHOR_SCOPE),
    "authoring.history": Case("GET", lambda o: f"{M}/history/course.md", AUTHOR_SCOPE),
    "authoring.revision": Case("GET", lambda o: f"{M}/history/course.md/1", AUTHOR_SCOPE),
    "authoring.media_page": Case("GET", lambda o: f"{M}/media", AUTHOR_SCOPE),
    "authoring.draft_media": Case("GET", lambda o: f"{M}/media/so-do.png", AUTHOR_SCOPE),
    "authoring.export": Case("GET", lambda o: f"{M}/export.zip", AUTHOR_SCOPE),
    "authoring.view": Case("GET", lambda o: f"{M}/view/bai-mot", AUTHOR_SCOPE),
    "authoring.questions_list": Case("GET", lambda o: f"{M}/questions", AUTHOR_SCOPE),
    "authoring.question_form": Case("GET", lambda o: f"{M}/questions/cau-mot/edit", AUTHOR_SCOPE),
    "authoring.review": Case("GET", lambda o: f"{M}/review", AUTHOR_SCOPE),
    "contests.index": Case("GET", lambda o: "/contests/", committee(200)),
    "contests.new": Case("GET", lambda o: "/contests/new", committee(200)),
    "contests.manage": Case("GET", lambda o: f"/contests/{o['contest']}/manage", committee(200, 404)),
    "contests.export_results": Case("GET", lambda o: f"/contests/{o['contest']}/rounds/1/results.xlsx",
                                    committee(200, 404)),
    "contests.certificate_pdf": Case("GET", lambda o: f"/certificates/{o['certificate']}.pdf", committee(200, 404)),
    "contests.certificates_index": Case("GET", lambda o: "/certificates/", committee(200)),
    "contests.public_index": Case("GET", lambda o: "/contest/", everyone(200, anonymous=200)),
    "contests.show": Case("GET", lambda o: f"/contest/{o['contest']}", everyone(200, anonymous=200)),
    "contests.enter": Case("GET", lambda o: f"/contest/{o['contest']}/enter", everyone(200, anonymous=200)),
    "contests.entry": Case("GET", lambda o: f"/contest/entries/{o['entry_token']}", everyone(200, anonymous=200)),
    "contests.public_results": Case("GET", lambda o: f"/contest/{o['contest']}/results", everyone(200, anonymous=200)),
    "contests.verify": Case("GET", lambda o: f"/verify/{o['certificate_code']}", everyone(200, anonymous=200)),
    "conferences.index": Case("GET", lambda o: "/conferences/", committee(200)),
    "conferences.new": Case("GET", lambda o: "/conferences/new", committee(200)),
    "conferences.show": Case("GET", lambda o: f"/conferences/{o['conference']}", committee(200, 404)),
    "conferences.notice": Case("GET", lambda o: f"/conferences/{o['conference']}/notice", committee(200, 404)),
    "conferences.notice_docx": Case("GET", lambda o: f"/conferences/{o['conference']}/notice.docx",
                                    committee(200, 404)),
    "conferences.edit": Case("GET", lambda o: f"/conferences/{o['conference']}/edit", committee(200, 404)),
    "conferences.roster": Case("GET", lambda o: f"/conferences/{o['conference']}/roster", committee(200, 404)),
    "conferences.roster_state": Case("GET", lambda o: f"/conferences/{o['conference']}/roster.json", committee(200, 404)),
    "conferences.screen": Case("GET", lambda o: f"/conferences/{o['conference']}/screen", committee(200, 404)),
    # Invited members, presenters and committees who see the conference; others a refusal naming nothing.
    "conferences.check_in": Case("GET", lambda o: f"/conferences/check-in/{o['token']}",
                                 {**everyone(200), "committee_out_of_scope": 403}),
    "outreach.public_index": Case("GET", lambda o: "/public/", everyone(200, anonymous=200)),
    "outreach.public_module": Case("GET", lambda o: "/public/nghi-quyet-thu", everyone(200, anonymous=200)),
    "outreach.public_media": Case("GET", lambda o: "/public/nghi-quyet-thu/media/so-do.png", everyone(200, anonymous=200)),
    "outreach.visits": Case("GET", lambda o: "/outreach/visits?year=2026", AUTHORS),
    "outreach.sessions": Case("GET", lambda o: "/outreach/sessions?year=2026", committee(200)),
    "outreach.new_session": Case("GET", lambda o: "/outreach/sessions/new", committee(200)),
    "outreach.edit_session": Case("GET", lambda o: f"/outreach/sessions/{o['session']}/edit", committee(200, 404)),
    "bulletins.bulletin_index": Case("GET", lambda o: "/outreach/bulletins", committee(200)),
    "bulletins.bulletin": Case("GET", lambda o: f"/outreach/bulletins/nghi-quyet-thu/{o['a'].id}", committee(200, 404)),
    "bulletins.bulletin_docx": Case("GET", lambda o: f"/outreach/bulletins/nghi-quyet-thu/{o['a'].id}.docx",
                                    committee(200, 404)),
    "bulletins.bulletin_recording": Case("GET", lambda o: f"/outreach/bulletins/nghi-quyet-thu/{o['a'].id}/recording",
                                         committee(404)),
    "bulletins.public_recording": Case("GET", lambda o: "/public/nghi-quyet-thu/bulletins/999/recording",
                                       everyone(404, anonymous=404)),
    "bulletins.broadcasts": Case("GET", lambda o: "/outreach/broadcasts?year=2026", committee(200)),
    "bulletins.new_broadcast": Case("GET", lambda o: "/outreach/broadcasts/new", committee(200)),
    "outreach.confirm_delete": Case("GET", lambda o: f"/outreach/sessions/{o['session']}/delete", committee(200, 404)),
    "dialogue.faq": Case("GET", lambda o: "/courses/nghi-quyet-thu/faq", everyone(200)),
    "dialogue.questions": Case("GET", lambda o: "/questions", {**everyone(200), "member": 403}),
    "dialogue.edit": Case("GET", lambda o: f"/posts/{o['own_post']}/edit", OWN_POST),
    "reports.year": Case("GET", lambda o: f"/reports/year?unit={o['a'].id}&year=2026", committee(200, 404)),
    "reports.year_docx": Case("GET", lambda o: f"/reports/year.docx?unit={o['a'].id}&year=2026", committee(200, 404)),
    "reports.year_json": Case("GET", lambda o: f"/reports/year.json?unit={o['a'].id}&year=2026", committee(200, 404)),
    "inspections.index": Case("GET", lambda o: "/inspections/", committee(200)),
    "inspections.new": Case("GET", lambda o: "/inspections/new", committee(200)),
    "inspections.show": Case("GET", lambda o: f"/inspections/{o['inspection']}", committee(200, 404)),
    "inspections.edit": Case("GET", lambda o: f"/inspections/{o['inspection']}/edit", committee(200, 404)),
    "inspections.follow_ups": Case("GET", lambda o: "/inspections/follow-ups", committee(200)),
    "inspections.evaluation": Case("GET", lambda o: f"/inspections/evaluation?unit={o['a'].id}&year=2026",
                                   committee(200, 404)),
    "inspections.evaluation_export": Case("GET", lambda o: f"/inspections/evaluation.xlsx?unit={o['a'].id}&year=2026",
                                          committee(200, 404)),
    "inspections.term": Case("GET", lambda o: f"/inspections/term?unit={o['a'].id}", committee(200, 404)),
    "inspections.propagandists": Case("GET", lambda o: "/inspections/propagandists", committee(200)),
    "inspections.propagandists_export": Case("GET", lambda o: "/inspections/propagandists.xlsx", committee(200)),
    "plans.index": Case("GET", lambda o: "/plans/", committee(200)),
    "plans.new": Case("GET", lambda o: "/plans/new", committee(200)),
    "plans.dashboard": Case("GET", lambda o: f"/plans/{o['plan']}?unit={o['a'].id}", committee(200, 404)),
    "plans.overview": Case("GET", lambda o: "/plans/overview", committee(200)),
    "notifications.index": Case("GET", lambda o: "/notifications", everyone(200)),
    "notify.preferences": Case("GET", lambda o: "/account/reminders", everyone(200)),
    "notify.log": Case("GET", lambda o: "/reminders/log", committee(200)),
    # The secret address is the credential: it opens An's calendar for anyone, signed in or not.
    "notify.feed": Case("GET", lambda o: f"/calendar/{FEED_TOKEN}.ics", everyone(200, anonymous=200)),
    # A reminder's stop link: signed for one account, it only turns that account's reminders off.
    "notify.stop": Case("GET", lambda o: f"/reminders/stop/{o['stop']}", everyone(200, anonymous=200)),
    "plans.edit": Case("GET", lambda o: f"/plans/{o['plan']}/edit", committee(200, 404)),
    "plans.export_missing": Case("GET", lambda o: f"/plans/{o['plan']}/missing.csv?unit={o['a'].id}", committee(200, 404)),
    "plans.print_plan": Case("GET", lambda o: f"/plans/{o['plan']}/print", committee(200, 404)),
    "plans.export": Case("GET", lambda o: f"/plans/{o['plan']}/export.csv?unit={o['a'].id}", committee(200, 404)),
    "reflections.mine": Case("GET", lambda o: f"/plans/{o['plan']}/reflection",
                             {**OWN_OR_SCOPE, "member": 200, "propagandist": 200, "admin": 404}),
    "reflections.queue": Case("GET", lambda o: f"/plans/{o['plan']}/reflections?unit={o['a'].id}", committee(200, 404)),
    "reflections.show": Case("GET", lambda o: f"/plans/{o['plan']}/reflections/{o['reflection']}", OWN_OR_SCOPE),
    "plans.change_status": Case("POST", lambda o: f"/plans/{o['plan']}/status", committee(302, 404),
                                lambda o: {"status": "open"}),
    "plans.copy": Case("POST", lambda o: f"/plans/{o['plan']}/copy", committee(302, 404)),
    "plans.confirm_delete": Case("GET", lambda o: f"/plans/{o['plan']}/delete", committee(200, 404)),
    "plans.delete": Case("POST", lambda o: f"/plans/{o['plan']}/delete", committee(302, 404)),  # open: refused
    "notifications.remind": Case("POST", lambda o: f"/plans/{o['plan']}/remind?unit={o['a'].id}",
                                 committee(302, 404)),
    "quizzes.start": Case("POST", lambda o: "/courses/nghi-quyet-thu/quiz/start", everyone(302)),
    "study.heartbeat": Case("POST", lambda o: "/courses/nghi-quyet-thu/bai-1/heartbeat", everyone(204)),
    # Reading done offline is JSON: a form post reaches the view and is refused as malformed.
    "study.offline_reading": Case("POST", lambda o: "/courses/nghi-quyet-thu/bai-1/offline-reading", everyone(400)),
    "study.mark_studied": Case("POST", lambda o: "/courses/nghi-quyet-thu/bai-1/studied", everyone(302)),
    "i18n.set_language": Case("POST", lambda o: "/language", everyone(302, anonymous=302), lambda o: {"lang": "vi"}),
    "members.transfer": Case("POST", lambda o: f"/members/{o['hai'].id}/transfer", committee(302, 404),
                             lambda o: {"to_unit": o["a"].id, "effective_on": "2026-01-02", "reason": "x"}),
    "members.change_status": Case("POST", lambda o: f"/members/{o['hai'].id}/status", committee(302, 404),
                                  lambda o: {"status": "active", "effective_on": "2026-01-02", "reason": "x"}),
    "members.reset_password": Case("POST", lambda o: f"/members/{o['hai'].id}/reset-password", committee(200, 404)),
    "members.appoint": Case("POST", lambda o: f"/members/{o['hai'].id}/appoint", committee(302, 404),
                            lambda o: {"unit": o["empty"].id}),
    "members.change_account": Case("POST", lambda o: f"/members/{o['hai'].id}/account",
                                   {**ADMIN_ONLY, "admin": 302}, lambda o: {"role": "member", "active": "y"}),
    "members_import.confirm": Case("POST", lambda o: "/members/import/abc123", committee(404)),
    "members_import.cancel": Case("POST", lambda o: "/members/import/abc123/cancel", committee(302)),
    "admin.level_settings": Case("POST", lambda o: "/admin/settings/levels", {**ADMIN_ONLY, "admin": 302},
                                 lambda o: {"excellent_margin": "0", "completed_margin": "5"}),
    "admin.thresholds": Case("POST", lambda o: "/admin/settings/thresholds", {**ADMIN_ONLY, "admin": 302},
                             lambda o: {"rushed_fraction": "25", "rushed_share": "30", "attempts_before_pass": "2",
                                        "first_attempt_pass_rate": "50", "shallow_margin": "10",
                                        "returned_share": "20"}),
    "orgs.create_root": Case("POST", lambda o: "/units/", {**ADMIN_ONLY, "admin": 302},
                             lambda o: {"name": "Đảng bộ Mới", "kind": "committee"}),
    "orgs.create_child": Case("POST", lambda o: f"/units/{o['a'].id}/children", committee(302, 404),
                              lambda o: {"name": "Tổ mới", "kind": "cell"}),
    "orgs.rename": Case("POST", lambda o: f"/units/{o['a'].id}/rename", committee(302, 404),
                        lambda o: {"name": "Chi bộ Khu phố 1"}),
    "orgs.move": Case("POST", lambda o: f"/units/{o['group'].id}/move", committee(302, 404),
                      lambda o: {"parent": o["a"].id}),
    "orgs.archive": Case("POST", lambda o: f"/units/{o['empty'].id}/archive", committee(302, 404)),
    "orgs.remove_assignment": Case("POST", lambda o: f"/assignments/{o['group_assignment'].id}/remove",
                                   committee(302, 404)),
    "reflections.review": Case("POST", lambda o: f"/plans/{o['plan']}/reflections/{o['reflection']}/review",
                               {**OWN_OR_SCOPE, "committee_in_scope": 302, "admin": 302},
                               lambda o: {"decision": "accept"}),
    "notifications.mark_read": Case("POST", lambda o: "/notifications/read", everyone(302)),
    # An's feed: only An may stop it; anyone else is told it does not exist.
    "notify.revoke_feed": Case("POST", lambda o: f"/account/calendar/{o['feed']}/revoke",
                               {**everyone(404), "anonymous": 302, "member": 302}),
    "notify.confirm_stop": Case("POST", lambda o: f"/reminders/stop/{o['stop']}", everyone(200, anonymous=200)),
    "notify.new_feed": Case("POST", lambda o: "/account/calendar", everyone(302), lambda o: {"unit": ""}),
    "authoring.preview": Case("POST", lambda o: f"{M}/preview/lesson:bai-mot", AUTHOR_SCOPE,
                              lambda o: {"title": "Bài một", "minutes": "5", "body": "Nội dung"}),
    "authoring.add_lesson": Case("POST", lambda o: f"{M}/lessons", author_scope(302), lambda o: {"title": "Bài hai"}),
    "authoring.move_lesson": Case("POST", lambda o: f"{M}/lessons/bai-mot/move", author_scope(302),
                                  lambda o: {"direction": "down"}),
    "authoring.archive_lesson": Case("POST", lambda o: f"{M}/lessons/bai-mot/archive", author_scope(302),
                                     lambda o: {"archive": "0"}),
    "authoring.convert_quiz": Case("POST", lambda o: f"{M}/quiz/convert", author_scope(404)),
    "authoring.import_gift": Case("POST", lambda o: f"{M}/quiz/import", author_scope(302)),
    "authoring.restore": Case("POST", lambda o: f"{M}/history/course.md/1/restore", author_scope(302)),
    "authoring.delete_media": Case("POST", lambda o: f"{M}/media/khong-dung.png/delete", author_scope(302)),
    "authoring.question_preview": Case("POST", lambda o: f"{M}/question-preview/single", AUTHOR_SCOPE,
                                       lambda o: {"stem": "Câu hỏi?", "points": "1", "choice_text-0": "A"}),
    "authoring.quiz_settings": Case("POST", lambda o: f"{M}/quiz-settings", author_scope(302),
                                    lambda o: {"pass_score": "80"}),
    "authoring.question_action": Case("POST", lambda o: f"{M}/questions/cau-mot/up", author_scope(302)),
    "authoring.resolve_comment": Case("POST", lambda o: f"{M}/review/comments/{o['comment']}/resolve", author_scope(302)),
    # no review is waiting yet: nobody may return the module (those outside its unit are told it does not exist)
    "authoring.return_review": Case("POST", lambda o: f"{M}/review/return", author_scope(403),
                                    lambda o: {"lesson:bai-mot": "Góp ý"}),
    "authoring.request_review": Case("POST", lambda o: f"{M}/review", author_scope(302)),
    "authoring.publish": Case("POST", lambda o: f"{M}/publish", author_scope(302)),
    "conferences.confirm_check_in": Case("POST", lambda o: f"/conferences/check-in/{o['token']}", {
        "anonymous": 302, "member": 302, "propagandist": 302, "committee_in_scope": 302,
        "committee_out_of_scope": 403, "admin": 403}),
    "conferences.mark": Case("POST", lambda o: f"/conferences/{o['conference']}/attendance", committee(302, 404),
                             lambda o: {"member": o["hai"].id, "status": "present"}),
    "conferences.add_guest": Case("POST", lambda o: f"/conferences/{o['conference']}/guests", committee(302, 404),
                                  lambda o: {"kind": "citizen", "name": "Bà Tư"}),
    "conferences.remove_guest": Case("POST", lambda o: f"/conferences/{o['conference']}/guests/{o['guest']}/remove",
                                     committee(302, 404)),
    "conferences.head_counts": Case("POST", lambda o: f"/conferences/{o['conference']}/head-counts", committee(302, 404),
                                    lambda o: {"unnamed_civil_servants": "1", "unnamed_citizens": "2"}),
    "conferences.new_token": Case("POST", lambda o: f"/conferences/{o['conference']}/token", committee(302, 404)),
    "conferences.cancel": Case("POST", lambda o: f"/conferences/{o['conference']}/cancel", committee(302, 404)),
    "dialogue.ask": Case("POST", lambda o: "/courses/nghi-quyet-thu/bai-1/questions", everyone(302),
                         lambda o: {"body": "Câu hỏi"}),
    "dialogue.reply": Case("POST", lambda o: f"/posts/{o['question']}/replies", everyone(302), lambda o: {"body": "Trả lời"}),
    "dialogue.update": Case("POST", lambda o: f"/posts/{o['own_post']}/edit", {**OWN_POST, "member": 302},
                            lambda o: {"body": "Đã sửa"}),
    "dialogue.accept": Case("POST", lambda o: f"/posts/{o['answer']}/accept", {**MODERATE, "propagandist": 302}),
    "dialogue.pin": Case("POST", lambda o: f"/posts/{o['question']}/pin", {**MODERATE, "propagandist": 302},
                         lambda o: {"action": "pin"}),
    "dialogue.hide": Case("POST", lambda o: f"/posts/{o['question']}/hide", MODERATE, lambda o: {"reason": "Lạc đề"}),
    "dialogue.unhide": Case("POST", lambda o: f"/posts/{o['question']}/unhide", MODERATE),
    "inspections.follow_up_done": Case("POST", lambda o: f"/inspections/{o['inspection']}/follow-up",
                                       committee(302, 404), lambda o: {"note": "Đã học bù"}),
    "inspections.delete": Case("POST", lambda o: f"/inspections/{o['inspection']}/delete", committee(302, 404)),
    "inspections.decide": Case("POST", lambda o: "/inspections/evaluation/decision", committee(302, 404),
                               lambda o: {"unit": o["a"].id, "year": "2026", "level": "good", "reason": "Đạt chỉ tiêu"}),
    "bulletins.bulletin_recording_upload": Case(
        "POST", lambda o: f"/outreach/bulletins/nghi-quyet-thu/{o['a'].id}/recording", committee(303, 404)),
    "bulletins.delete_broadcast": Case("POST", lambda o: f"/outreach/broadcasts/{o['broadcast']}/delete",
                                       committee(302, 404)),
    "outreach.delete_session": Case("POST", lambda o: f"/outreach/sessions/{o['session']}/delete", committee(302, 404)),
    "contests.add_round": Case("POST", lambda o: f"/contests/{o['contest']}/rounds", committee(302, 404),
                               lambda o: {"opens_at": "2026-12-20T08:00", "closes_at": "2026-12-27T08:00"}),
    "contests.publish": Case("POST", lambda o: f"/contests/{o['contest']}/publish", committee(302, 404)),
    "contests.issue_certificates": Case("POST", lambda o: f"/contests/{o['contest']}/rounds/1/certificates",
                                        committee(302, 404)),
    "contests.submit": Case("POST", lambda o: f"/contest/entries/{o['entry_token']}", everyone(302, anonymous=302)),
    "contests.plan_certificates": Case("POST", lambda o: "/certificates/plan", committee(302, 302),
                                       lambda o: {"plan": o["plan"]}),
    "contests.revoke_certificate": Case("POST", lambda o: f"/certificates/{o['certificate']}/revoke",
                                        committee(302, 404)),
    "auth.two_factor_recovery_codes": Case("POST", lambda o: "/account/two-factor/recovery-codes", everyone(302)),
    "auth.two_factor_disable": Case("POST", lambda o: "/account/two-factor/disable", everyone(302)),
    "auth.two_factor_reset": Case("POST", lambda o: f"/users/{o['hai'].id}/two-factor/reset", {**ADMIN_ONLY, "admin": 302}),
    # Token pages: committee members and admins, each their own tokens (another's is "not found").
    "api_tokens.index": Case("GET", lambda o: "/account/api-tokens", committee(200)),
    "api_tokens.revoke": Case("POST", lambda o: f"/account/api-tokens/{o['api_token']}/revoke",
                              committee(302, 404, 404)),
    # The API takes tokens, never sessions: with a browser's cookies every data route answers 401
    # (tests/api/test_api_walk.py walks them with tokens); the document and its page are public.
    "api.openapi": Case("GET", lambda o: "/api/v1/openapi.json", everyone(200, anonymous=200)),
    "api.docs": Case("GET", lambda o: "/api/v1/docs", everyone(200, anonymous=200)),
    **{endpoint: Case(method, url, everyone(401, anonymous=401)) for endpoint, method, url in API_ROUTES},
    "auth.logout": Case("POST", lambda o: "/logout", everyone(302)),
}
NOT_WALKED = {"static"}


def test_every_route_has_an_entry(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - NOT_WALKED
    assert endpoints - set(CASES) == set(), "add the new routes to CASES with the status each role gets"
    assert set(CASES) - endpoints == set()


@pytest.fixture
def objects(town, make_user, make_unit, make_course, app: Flask) -> dict:
    make_course(media=[MediaSource("so-do.png", "image/png", PNG)], intro_markdown="![Sơ đồ](media/so-do.png)\n")
    group = make_unit("Tổ 1", UnitKind.cell, parent=town["a"])
    empty = make_unit("Tổ 2", UnitKind.cell, parent=town["a"])
    helper = make_user(Role.committee, username="totruong", unit=group)
    assignment = persist(app, UnitAssignment(user_id=helper.id, unit_id=group.id))
    hai = make_user(username="hai", unit=town["a"], full_name="Đinh Văn Hải")
    with app.app_context():
        from learnhub.courses.models import Course
        from learnhub.quizzes.attempts import start_attempt
        from learnhub.quizzes.bank import Bank, QuizSettings
        from learnhub.quizzes.sync import sync_quiz
        from tests.quiz_factory import sample_questions

        quiz = sync_quiz(db.session.scalars(sa.select(Course)).one(), Bank(QuizSettings(), sample_questions(6)))
        attempt = start_attempt(db.session.get(User, hai.id), quiz)
        from learnhub.orgs.models import Unit
        from learnhub.plans.services import create_plan

        cell = db.session.get(Unit, town["a"].id)
        plan = create_plan(unit=cell, course=db.session.scalars(sa.select(Course)).one(), title="Kế hoạch chi bộ",
                           opens_on=dt.date(2026, 1, 1), due_on=dt.date(2026, 12, 31), target_units=[cell])
        from learnhub.plans.models import PlanStatus, Reflection, ReflectionStatus

        plan.status = PlanStatus.open
        from learnhub.authoring import drafts, media
        from learnhub.courses.models import CourseKind

        author = db.session.get(User, town["propagandist"].id)
        module = drafts.create_module(slug="bai-hoc-chi-bo", title="Bài học của chi bộ", kind=CourseKind.training,
                                      summary="Tóm tắt.", owner_unit_id=town["a"].id, shared_down=True, author=author)
        drafts.add_lesson(module, "Bài một", author=author, body="Nội dung ![sơ đồ](media/so-do.png)")
        media.add_media(module, "so-do.png", PNG)
        media.add_media(module, "khong-dung.png", PNG)
        drafts.save_file(module, "quiz.md", "---\npass_score: 80\n---\n\n## Câu một? {#cau-mot}\n\n- [x] A\n- [ ] B\n",
                         author=author, base_revision=None)
        from learnhub.authoring.models import ReviewComment

        comment = ReviewComment(course_id=module.id, target_kind="lesson", target_id="bai-mot", text="Góp ý",
                                author_id=town["bithu1"].id)
        db.session.add(comment)
        reflection = Reflection(plan_id=plan.id, user_id=hai.id, status=ReflectionStatus.submitted,
                                submitted_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
        db.session.add(reflection)
        db.session.commit()
        from learnhub.courses.models import Course as CourseModel
        from learnhub.inspections.models import Conclusion, Inspection
        from learnhub.outreach.models import OutreachSession

        db.session.scalars(sa.select(CourseModel).where(CourseModel.slug == "nghi-quyet-thu")).one().public = True
        session = OutreachSession(unit_id=town["a"].id, organisation="Hội Nông dân", title="Tuyên truyền",
                                  held_on=dt.date(2026, 3, 1), head_count=40)
        inspection = Inspection(unit_id=town["a"].id, held_on=dt.date(2026, 3, 10), inspectors="Đoàn kiểm tra",
                                findings="Nhận xét", conclusion=Conclusion.remind, follow_up="Học bù",
                                follow_up_due=dt.date(2026, 4, 30))
        from learnhub.notify.access import token_hash
        from learnhub.notify.models import CalendarFeed
        from learnhub.outreach.models import Broadcast

        feed = CalendarFeed(user_id=town["member_a"].id, token_hash=token_hash(FEED_TOKEN))
        broadcast = Broadcast(unit_id=town["a"].id, held_on=dt.date(2026, 3, 2), area="Khu phố 1", minutes=10)
        db.session.add_all([session, inspection, feed, broadcast])
        db.session.commit()
        attempt_id, plan_id, reflection_id = attempt.id, plan.id, reflection.id
        from learnhub.api.models import TokenScope
        from learnhub.api.tokens import create_token
        from learnhub.notify.stop import stop_token

        api_token, _secret = create_token(db.session.get(User, town["bithu1"].id), name="Tích hợp",
                                          scope=TokenScope.read)
        db.session.commit()
        extra = {"session": session.id, "inspection": inspection.id, "feed": feed.id, "api_token": api_token.id,
                 "stop": stop_token(town["member_a"].id), "broadcast": broadcast.id, "comment": comment.id}
    extra.update(_conference_and_posts(app, town, hai))
    extra.update(_contest(app, town))
    return {**town, "group": group, "empty": empty, "group_assignment": assignment, "hai": hai, "attempt": attempt_id,
            "plan": plan_id, "reflection": reflection_id, **extra}


def _conference_and_posts(app: Flask, town: dict, hai: User) -> dict:
    """Cell A's conference, running now, with a guest; a question under bai-1 with two replies."""
    from learnhub.conferences import attendance, services
    from learnhub.conferences.models import GuestKind
    from learnhub.courses.models import Course, Lesson
    from learnhub.db import utcnow
    from learnhub.dialogue import services as dialogue
    from learnhub.orgs.models import Unit

    with app.test_request_context():
        cell = db.session.get(Unit, town["a"].id)
        conference = services.create_conference(
            unit=cell, title="Hội nghị chi bộ", starts_at=utcnow() - dt.timedelta(minutes=10),
            ends_at=utcnow() + dt.timedelta(hours=2), invited_units=[cell])
        guest, _added = attendance.add_guest(conference, kind=GuestKind.civil_servant, name="Ngô Văn Khách")
        lesson = db.session.scalars(sa.select(Lesson).join(Course).where(
            Course.slug == "nghi-quyet-thu", Lesson.slug == "bai-1")).one()
        question = dialogue.ask(lesson=lesson, author=db.session.get(User, hai.id), body="Câu hỏi của Hải")
        answer = dialogue.reply(question=question, author=db.session.get(User, town["capuy"].id), body="Trả lời")
        own_post = dialogue.reply(question=question, author=db.session.get(User, town["member_a"].id), body="Ý kiến")
        db.session.commit()
        return {"conference": conference.id, "token": conference.check_in_token, "guest": guest.id,
                "question": question.id, "answer": answer.id, "own_post": own_post.id}


def _contest(app: Flask, town: dict) -> dict:
    """Cell A's published contest on the module's quiz: a closed round with a prize winner's
    certificate, an open round with a citizen's entry under way."""
    from learnhub.contests import certificates, services
    from learnhub.db import utcnow
    from learnhub.orgs.models import Unit
    from learnhub.quizzes.models import Quiz

    with app.test_request_context():
        now = utcnow()
        contest = services.create_contest(unit=db.session.get_one(Unit, town["a"].id),
                                          quiz=db.session.scalars(sa.select(Quiz)).one(), title="Cuộc thi",
                                          organiser="Ban Tuyên giáo", prizes=["Giải Nhất"], questions_per_entry=3)
        services.add_round(contest, opens_at=now - dt.timedelta(days=2), closes_at=now + dt.timedelta(days=1))
        services.publish(contest, now=now - dt.timedelta(days=2))
        winner = services.start_entry(contest, name="Lê Văn Tám", phone="+84912345678",
                                      now=now - dt.timedelta(days=1))
        services.submit_entry(winner, {}, 1, now=now - dt.timedelta(days=1) + dt.timedelta(minutes=2))
        contest.rounds[0].closes_at = now - dt.timedelta(hours=1)
        services.add_round(contest, opens_at=now - dt.timedelta(minutes=30), closes_at=now + dt.timedelta(days=6))
        certificates.issue_prize_certificates(contest, contest.rounds[0])
        entry = services.start_entry(contest, name="Trần Thị Mai", phone="+84987654321", now=now)
        db.session.commit()
        from learnhub.contests.models import Certificate

        certificate = db.session.scalars(sa.select(Certificate)).one()
        return {"contest": contest.id, "entry_token": entry.token, "certificate": certificate.id,
                "certificate_code": certificate.code}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_table_says(app: Flask, objects: dict, role: str) -> None:
    client = app.test_client()
    if role != "anonymous":
        assert login(client, LOGIN_AS[role]).status_code == 302
    failures = []
    for endpoint, case in CASES.items():
        url = case.url(objects)
        if case.method == "GET":
            response = client.get(url)
        else:
            token = csrf_token(client, "/login")
            response = client.open(url, method=case.method, data={"csrf_token": token, **case.data(objects)})
        if response.status_code != case.expect[role]:
            failures.append(f"{case.method} {url} ({endpoint}): {response.status_code}, expected {case.expect[role]}")
    assert failures == []


@pytest.mark.parametrize("endpoint", [e for e, c in CASES.items() if c.method == "POST" and not e.startswith("api.")])
def test_every_state_change_refuses_a_missing_csrf_token(app: Flask, objects: dict, endpoint: str) -> None:
    client = app.test_client()
    login(client, "admin")
    case = CASES[endpoint]
    assert client.post(case.url(objects), data=case.data(objects)).status_code == 400
