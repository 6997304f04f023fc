"""Members write, save and submit reflections; committees in scope accept or return them; copies are flagged."""
from __future__ import annotations

import unicodedata

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.auth.models import Category
from learnhub.extensions import db
from learnhub.notifications import Notification
from learnhub.plans.formalism import formalism_signals
from learnhub.plans.models import Reflection, ReflectionSimilarity, ReflectionStatus, StudyPlan
from tests.conftest import login, post
from tests.plans.test_plan_pages import create

LEARNED = ("Qua học tập Chỉ thị 05 của Bộ Chính trị, tôi hiểu sâu hơn về tư tưởng, đạo đức, phong cách Hồ Chí Minh, "
           "về trách nhiệm nêu gương của cán bộ, đảng viên, nhất là người đứng đầu, và về yêu cầu gắn việc học tập "
           "với giải quyết những vấn đề bức xúc ở cơ sở.")
APPLICATION = ("Trong công việc ở khu phố, tôi sẽ lắng nghe ý kiến của nhân dân, giải quyết kịp thời những kiến nghị "
               "chính đáng, công khai các khoản đóng góp, vận động bà con giữ gìn vệ sinh môi trường và tham gia đầy "
               "đủ các buổi sinh hoạt chi bộ theo đúng quy định.")
COMMITMENT = ("Tôi cam kết thường xuyên tu dưỡng, rèn luyện đạo đức cách mạng, nói đi đôi với làm, không ngừng học "
              "tập nâng cao trình độ, hoàn thành tốt nhiệm vụ được giao và chịu sự giám sát của chi bộ, của quần "
              "chúng nhân dân nơi cư trú.")
ESSAY = {"learned": LEARNED, "application": APPLICATION, "commitment": COMMITMENT}
OTHER = {
    "learned": "Bài học lớn nhất đối với tôi là phải thật sự gần dân, hiểu dân, trọng dân, lấy sự hài lòng của "
               "người dân làm thước đo hiệu quả công tác, đồng thời kiên quyết đấu tranh với biểu hiện quan liêu, "
               "hình thức, xa rời thực tế.",
    "application": "Ở trường học nơi tôi công tác, tôi sẽ đổi mới phương pháp giảng dạy, dành thời gian trò chuyện "
                   "với học sinh khó khăn, phối hợp chặt chẽ với phụ huynh và đề xuất với nhà trường những sáng kiến "
                   "thiết thực để nâng cao chất lượng giáo dục.",
    "commitment": "Năm nay tôi xin hứa hoàn thành xuất sắc kế hoạch cá nhân đã đăng ký, mỗi tháng viết một bài "
                  "chia sẻ kinh nghiệm trên bản tin của chi bộ và giúp đỡ ít nhất hai đảng viên trẻ tiến bộ trong "
                  "học tập, rèn luyện.",
}
# A copy that changes two words, the letter case and the Unicode form: still a copy.
COPY = {name: unicodedata.normalize("NFD", text.replace("thường xuyên", "luôn luôn").upper())
        for name, text in ESSAY.items()}


@pytest.fixture
def plan(app: Flask, town, make_quiz) -> int:
    """The town's plan for every member, open."""
    make_quiz(count=6)
    committee = app.test_client()
    login(committee, "capuy")
    plan_id = create(committee, town)
    assert post(committee, f"/plans/{plan_id}/status", {"status": "open"}).status_code == 302
    return plan_id


def signed_in(app: Flask, username: str):
    """A client in English (the new strings have no Vietnamese yet), signed in as ``username``."""
    client = app.test_client()
    client.set_cookie("lh_lang", "en")
    assert login(client, username).status_code == 302
    return client


def write(client, plan_id: int, texts: dict, action: str = "submit"):
    return post(client, f"/plans/{plan_id}/reflection", {**texts, "action": action})


def reflection_of(username: str) -> Reflection:
    from learnhub.auth.models import User

    user = db.session.scalars(sa.select(User).where(User.username == username)).one()
    return db.session.scalars(sa.select(Reflection).where(Reflection.user_id == user.id)).one()


def reflection_of_id(app: Flask, username: str) -> int:
    with app.app_context():
        return reflection_of(username).id


def test_a_draft_is_saved_and_reloaded(app: Flask, town, plan) -> None:
    member = signed_in(app, "an")
    assert member.get(f"/plans/{plan}/reflection").status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Reflection.id))) == 0  # reading creates nothing
    response = write(member, plan, {"learned": "Những điều tôi đã học.", "application": "", "commitment": ""}, "save")
    assert response.status_code == 302 and response.headers["Location"] == f"/plans/{plan}/reflection"
    html = member.get(f"/plans/{plan}/reflection").get_data(as_text=True)
    assert "Những điều tôi đã học." in html and "Your draft was saved." in html
    with app.app_context():
        assert reflection_of("an").status == ReflectionStatus.draft


def test_a_short_reflection_is_not_submitted(app: Flask, town, plan) -> None:
    member = signed_in(app, "an")
    response = write(member, plan, {**ESSAY, "commitment": "Tôi xin hứa cố gắng."})
    assert response.status_code == 200
    assert "Write at least 30 words here; you have written 5." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Reflection.id))) == 0


def test_submitted_then_accepted_by_the_cell_secretary(app: Flask, town, plan) -> None:
    member = signed_in(app, "an")
    assert write(member, plan, ESSAY).status_code == 302
    html = member.get(f"/plans/{plan}/reflection").get_data(as_text=True)
    assert "It is waiting for review." in html and 'name="action"' not in html  # read-only now
    with app.app_context():
        mine = reflection_of("an")
        assert mine.status == ReflectionStatus.submitted and mine.submitted_at is not None
    secretary = signed_in(app, "bithu1")
    assert "Nguyễn Văn An" in secretary.get(f"/plans/{plan}/reflections").get_data(as_text=True)
    assert "Tôi cam kết thường xuyên" in secretary.get(f"/plans/{plan}/reflections/{mine.id}").get_data(as_text=True)
    response = post(secretary, f"/plans/{plan}/reflections/{mine.id}/review", {"decision": "accept"})
    assert response.status_code == 302
    with app.app_context():
        mine = reflection_of("an")
        assert mine.status == ReflectionStatus.accepted and mine.reviewer_id == town["bithu1"].id
        note = db.session.scalars(sa.select(Notification)).one()
        assert (note.user_id, note.kind, note.link) == (town["member_a"].id, "reflection_reviewed",
                                                         f"/plans/{plan}/reflection")
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "reflection.accept")).one()
        assert (entry.object_id, entry.actor_id) == (mine.id, town["bithu1"].id)
    assert "Your reflection was accepted" in member.get(f"/plans/{plan}/reflection").get_data(as_text=True)


def test_a_return_needs_a_comment_and_the_member_submits_again(app: Flask, town, plan) -> None:
    member = signed_in(app, "an")
    write(member, plan, ESSAY)
    with app.app_context():
        rid = reflection_of("an").id
    reviewer = signed_in(app, "capuy")
    refused = post(reviewer, f"/plans/{plan}/reflections/{rid}/review", {"decision": "return", "comment": "  "})
    assert refused.status_code == 200 and "Say what the member should improve." in refused.get_data(as_text=True)
    with app.app_context():
        assert reflection_of("an").status == ReflectionStatus.submitted
    comment = "Cần liên hệ cụ thể hơn với công việc ở khu phố."
    assert post(reviewer, f"/plans/{plan}/reflections/{rid}/review",
                {"decision": "return", "comment": comment}).status_code == 302
    html = member.get(f"/plans/{plan}/reflection").get_data(as_text=True)
    assert "Returned for revision" in html and comment in html and 'value="submit"' in html
    with app.app_context():
        assert reflection_of("an").status == ReflectionStatus.returned
        assert db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_type == "reflection")).all() == [
            "reflection.return"]
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 1
    better = {**ESSAY, "application": OTHER["application"]}
    assert write(member, plan, better).status_code == 302
    with app.app_context():
        again = reflection_of("an")
        assert again.status == ReflectionStatus.submitted and again.application == OTHER["application"]


def test_reviewers_out_of_scope_and_other_members_are_told_nothing(app: Flask, town, plan) -> None:
    write(signed_in(app, "an"), plan, ESSAY)
    with app.app_context():
        rid = reflection_of("an").id
    other_cell = signed_in(app, "bithu2")
    assert other_cell.get(f"/plans/{plan}/reflections/{rid}").status_code == 404
    assert post(other_cell, f"/plans/{plan}/reflections/{rid}/review", {"decision": "accept"}).status_code == 404
    assert other_cell.get(f"/plans/{plan}/reflections?unit={town['a'].id}").status_code == 404
    other_member = signed_in(app, "binh")
    assert other_member.get(f"/plans/{plan}/reflections/{rid}").status_code == 404
    assert post(other_member, f"/plans/{plan}/reflections/{rid}/review", {"decision": "accept"}).status_code == 404
    with app.app_context():
        assert reflection_of("an").status == ReflectionStatus.submitted


def test_only_members_on_an_open_plan_s_roster_write(app: Flask, town, make_user, plan) -> None:
    make_user(username="dan", unit=town["a"], category=Category.citizen)  # not in the plan's categories
    assert signed_in(app, "dan").get(f"/plans/{plan}/reflection").status_code == 404
    committee = signed_in(app, "capuy")
    draft = create(committee, town, number="16-KH/ĐU")
    member = signed_in(app, "an")
    assert member.get(f"/plans/{draft}/reflection").status_code == 404  # not opened yet
    write(member, plan, {"learned": "Bản nháp."}, "save")
    post(committee, f"/plans/{plan}/status", {"status": "closed"})
    assert write(member, plan, ESSAY).status_code == 302  # a closed plan's reflections are read-only
    assert "The plan is closed" in member.get(f"/plans/{plan}/reflection").get_data(as_text=True)
    with app.app_context():
        assert (reflection_of("an").status, reflection_of("an").learned) == (ReflectionStatus.draft, "Bản nháp.")


def _pairs() -> set[tuple[int, int, int, int]]:
    return {(p.first_id, p.second_id, p.first_unit_id, p.unit_id) for p in db.session.scalars(sa.select(ReflectionSimilarity))}


def test_near_identical_reflections_are_paired_across_the_plan_s_units(app: Flask, town, make_user, plan) -> None:
    make_user(username="chi", unit=town["a"], full_name="Đỗ Thị Chi")
    make_user(username="dung", unit=town["a"], full_name="Lý Văn Dũng")
    write(signed_in(app, "an"), plan, ESSAY)
    write(signed_in(app, "chi"), plan, COPY)
    write(signed_in(app, "dung"), plan, OTHER)
    write(signed_in(app, "binh"), plan, ESSAY)  # the same text in the other cell is a copy too
    a, b = town["a"].id, town["b"].id
    with app.app_context():
        an, chi, binh = (reflection_of(name).id for name in ("an", "chi", "binh"))
        assert _pairs() == {(an, chi, a, a), (an, binh, a, b), (chi, binh, a, b)}
        assert all(0.6 <= p.score <= 1 for p in db.session.scalars(sa.select(ReflectionSimilarity)))
        signals = formalism_signals(db.session.get(StudyPlan, plan), town["root"].id)
        copied = {top: [s.value for s in found if s.name == "copied"] for top, found in signals.items()}
        assert copied[a] == [3.0] and copied[b] == [2.0]  # a pair across the cells counts in both
    secretary = signed_in(app, "bithu1")
    original = secretary.get(f"/plans/{plan}/reflections/{an}").get_data(as_text=True)
    assert "Near-identical to:" in original and "Đỗ Thị Chi</a>, Đảng bộ Thị trấn" in original
    assert "Hoàng Thị Bình, Đảng bộ Thị trấn" in original  # named, but not a link outside the secretary's scope
    queue = secretary.get(f"/plans/{plan}/reflections").get_data(as_text=True)
    assert "Hoàng Thị Bình<br>" in queue and f"/reflections/{binh}" not in queue
    post(secretary, f"/plans/{plan}/reflections/{chi}/review", {"decision": "return", "comment": "Tự viết lại."})
    rewritten = {name: " ".join(reversed(text.split())) for name, text in ESSAY.items()}  # no 3 words in common
    write(signed_in(app, "chi"), plan, rewritten)  # resubmitted: its pairs are replaced by none
    with app.app_context():
        assert _pairs() == {(an, binh, a, b)}


def test_the_queue_lists_the_unit_s_submitted_reflections(app: Flask, town, make_user, plan) -> None:
    make_user(username="chi", unit=town["a"], full_name="Đỗ Thị Chi")
    write(signed_in(app, "an"), plan, ESSAY)
    write(signed_in(app, "binh"), plan, OTHER)
    write(signed_in(app, "chi"), plan, OTHER, "save")  # a draft is private
    secretary = signed_in(app, "bithu1")
    html = secretary.get(f"/plans/{plan}/reflections").get_data(as_text=True)
    assert "Nguyễn Văn An" in html and "Hoàng Thị Bình" not in html and "Đỗ Thị Chi" not in html
    town_view = signed_in(app, "capuy").get(f"/plans/{plan}/reflections?unit={town['b'].id}").get_data(as_text=True)
    assert "Hoàng Thị Bình" in town_view and "Nguyễn Văn An" not in town_view


def test_posts_without_a_csrf_token_are_refused(app: Flask, town, plan) -> None:
    member = signed_in(app, "an")
    assert member.post(f"/plans/{plan}/reflection", data={**ESSAY, "action": "submit"}).status_code == 400
    write(member, plan, ESSAY)
    rid = reflection_of_id(app, "an")
    secretary = signed_in(app, "bithu1")
    assert secretary.post(f"/plans/{plan}/reflections/{rid}/review", data={"decision": "accept"}).status_code == 400
    with app.app_context():
        assert reflection_of("an").status == ReflectionStatus.submitted
