"""A committee member's overview of their units: where they land, what it shows, and to whom."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import Role, User
from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.inspections.models import Conclusion, Inspection
from learnhub.orgs.models import Unit
from learnhub.orgs.overview import overview
from learnhub.plans.models import PlanStatus
from learnhub.plans.services import create_plan
from learnhub.settings import local_today
from tests.conftest import login


def make_plan(app: Flask, unit: Unit, title: str) -> int:
    """An open plan on the test course issued by ``unit`` for itself."""
    with app.app_context():
        today = local_today()
        issuer = db.session.get(Unit, unit.id)
        plan = create_plan(unit=issuer, course=db.session.scalars(sa.select(Course)).one(), title=title,
                           opens_on=today - dt.timedelta(days=10), due_on=today + dt.timedelta(days=20),
                           target_units=[issuer])
        plan.status = PlanStatus.open
        db.session.commit()
        return plan.id


def make_follow_up(app: Flask, unit: Unit, days: int) -> None:
    with app.app_context():
        db.session.add(Inspection(unit_id=unit.id, held_on=local_today() - dt.timedelta(days=30), inspectors="Tổ kiểm tra",
                                  findings="Chưa đủ", conclusion=Conclusion.remind, follow_up="Học bù",
                                  follow_up_due=local_today() + dt.timedelta(days=days)))
        db.session.commit()


def test_a_committee_member_lands_on_the_overview_of_their_units(app, tree, browser, make_course, make_user) -> None:
    make_course()
    for name in ("An", "Bình"):
        make_user(Role.member, full_name=name, unit=tree.a)
    make_user(Role.member, full_name="Cường", unit=tree.b)
    make_plan(app, tree.a, "Kế hoạch của Chi bộ A")
    make_plan(app, tree.b, "Kế hoạch của Chi bộ B")
    make_follow_up(app, tree.a, days=-3)
    client, person = browser(Role.committee, tree.a)
    client.set_cookie("lh_lang", "en")

    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/overview"
    html = client.get("/overview").get_data(as_text=True)
    assert "Kế hoạch của Chi bộ A" in html and "Kế hoạch của Chi bộ B" not in html
    assert "0.0%" in html or "0%" in html  # nobody has studied yet: a rate, not a dash
    assert "1 follow-ups are past their due date." in html
    assert 'href="/my-study"' in html
    # Tổ 1 below Chi bộ A has nobody responsible for it; Chi bộ B is outside the scope.
    assert "Tổ 1" in html and "Chi bộ B" not in html.split("Units nobody is responsible for")[1]
    assert client.get("/my-study").status_code == 200


def test_sign_in_takes_a_committee_member_to_the_overview_and_members_to_their_study(app, tree, make_user) -> None:
    committee = make_user(Role.committee, unit=tree.a)
    member = make_user(Role.member, unit=tree.a)
    for user, landing in ((committee, "/overview"), (member, None)):
        client = app.test_client()
        assert login(client, user.username).status_code == 302
        home = client.get("/")
        if landing:
            assert home.headers["Location"] == landing
        else:
            assert home.status_code == 200


def test_members_and_propagandists_do_not_get_the_overview(app, tree, browser) -> None:
    for role in (Role.member, Role.propagandist):
        client, _ = browser(role, unit=tree.a)
        assert client.get("/overview").status_code == 403
        assert client.get("/").status_code == 200


def test_units_nobody_is_responsible_for_are_computed_in_the_viewers_scope(app, tree, make_user, assign) -> None:
    person = make_user(Role.committee, unit=tree.a)
    assign(person, tree.a)
    other = make_user(Role.committee, unit=tree.root)
    assign(other, tree.root)
    with app.app_context():
        mine = overview(db.session.get(User, person.id)).unattended
        everything = overview(db.session.get(User, other.id)).unattended
    assert mine == ["Đảng bộ Xã/Chi bộ A/Tổ 1"]
    assert everything == ["Đảng bộ Xã/Chi bộ A/Tổ 1", "Đảng bộ Xã/Chi bộ B"]


def test_the_overview_runs_the_same_number_of_queries_however_many_units(app, tree, make_user, make_unit, assign,
                                                                      count_queries) -> None:
    person = make_user(Role.committee, unit=tree.root)
    assign(person, tree.root)

    def queries() -> int:
        with count_queries() as statements, app.app_context():
            overview(db.session.get(User, person.id))
        return len(statements)

    before = queries()
    for i in range(6):
        cell = make_unit(f"Chi bộ {i}", parent=tree.root)
        make_user(Role.member, unit=cell)
    assert queries() == before


def test_a_committee_member_makes_a_member_of_their_units_responsible_for_one_of_them(app, tree, browser, make_user) -> None:
    from tests.conftest import post
    from tests.orgs.conftest import assignments_of, audit_entries, fetch

    client, actor = browser(Role.committee, tree.a, unit=tree.a)
    member = make_user(Role.member, full_name="Phạm Văn Dũng", unit=tree.a)
    outsider = make_user(Role.member, unit=tree.b)
    assert post(client, f"/members/{member.id}/appoint", {"unit": tree.a1.id}).status_code == 302
    assert assignments_of(app, member) == [tree.a1.id]
    assert fetch(app, sa.select(User.role).where(User.id == member.id)) == [Role.committee]
    [change] = audit_entries(app, "account.change")
    [added] = audit_entries(app, "assignment.add")
    assert change.actor_name == added.actor_name == actor.username and added.after == {"unit_id": tree.a1.id}

    # Beyond the scope (a unit they may not assign, a member outside it, themselves): told nothing exists.
    assert post(client, f"/members/{member.id}/appoint", {"unit": tree.b.id}).status_code == 404
    assert post(client, f"/members/{outsider.id}/appoint", {"unit": tree.a1.id}).status_code == 404
    assert post(client, f"/members/{actor.id}/appoint", {"unit": tree.a1.id}).status_code == 404
    assert assignments_of(app, outsider) == [] and assignments_of(app, actor) == [tree.a.id]
    member_client, _ = browser(Role.member, unit=tree.a)
    assert post(member_client, f"/members/{member.id}/appoint", {"unit": tree.a1.id}).status_code == 403
