"""Who is responsible for which units: assigning, removing, and the access that follows."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from learnhub.auth.models import Role
from learnhub.orgs.models import UnitAssignment
from tests.conftest import post
from tests.orgs.conftest import assignments_of, audit_entries, fetch


@pytest.fixture
def people(tree, make_user):
    """A member in each of Chi bộ A and Chi bộ B, with names to look for on the members page."""
    return (
        make_user(Role.member, full_name="Trần Thị Bình", unit=tree.a),
        make_user(Role.member, full_name="Lê Văn Cường", unit=tree.b),
    )


def members_page(client, unit) -> tuple[int, str]:
    response = client.get(f"/members/?unit={unit.id}")
    return response.status_code, response.get_data(as_text=True)


def test_admin_assigns_a_committee_member_who_then_sees_that_unit(app, tree, people, browser) -> None:
    admin, admin_user = browser(Role.admin)
    committee, person = browser(Role.committee)
    assert committee.get(f"/units/{tree.a.id}").status_code == 404
    assert "Trần Thị Bình" not in members_page(committee, tree.a)[1]

    response = post(admin, "/assignments", {"user": person.id, "unit": tree.a.id})
    assert response.status_code == 302 and response.headers["Location"] == "/assignments"
    assert assignments_of(app, person) == [tree.a.id]
    [entry] = audit_entries(app, "assignment.add")
    assert (entry.actor_name, entry.object_id, entry.after) == (admin_user.username, person.id, {"unit_id": tree.a.id})

    status, html = members_page(committee, tree.a)
    assert status == 200 and "Trần Thị Bình" in html and "Lê Văn Cường" not in html
    assert committee.get(f"/units/{tree.a.id}").status_code == 200
    assert committee.get(f"/units/{tree.a1.id}").status_code == 200
    assert committee.get(f"/units/{tree.b.id}").status_code == 404
    assert committee.get(f"/units/{tree.root.id}").status_code == 404


def test_assigning_twice_keeps_one_assignment(app, tree, browser, make_user) -> None:
    admin, _ = browser(Role.admin)
    person = make_user(Role.committee)
    for _ in range(2):
        post(admin, "/assignments", {"user": person.id, "unit": tree.a.id})
    assert assignments_of(app, person) == [tree.a.id]
    assert len(audit_entries(app, "assignment.add")) == 1


def test_committee_member_assigns_a_colleague_to_a_unit_below(app, tree, browser, make_user) -> None:
    client, user = browser(Role.committee, tree.a)
    colleague = make_user(Role.committee, unit=tree.a1)
    response = post(client, "/assignments", {"user": colleague.id, "unit": tree.a1.id})
    assert response.status_code == 302
    assert assignments_of(app, colleague) == [tree.a1.id]
    [entry] = audit_entries(app, "assignment.add")
    assert entry.actor_name == user.username


@pytest.mark.parametrize("target", ["a", "b", "root"], ids=["own-unit", "outside", "above"])
def test_committee_member_cannot_assign_their_own_unit_or_outside_scope(app, tree, browser, make_user, target) -> None:
    client, _ = browser(Role.committee, tree.a)
    colleague = make_user(Role.committee, unit=tree.a1)
    response = post(client, "/assignments", {"user": colleague.id, "unit": getattr(tree, target).id})
    assert assignments_of(app, colleague) == [] and audit_entries(app, "assignment.add") == []
    assert response.status_code == 404  # out-of-scope objects answer 404 (learnhub/security.py)


def test_committee_member_cannot_assign_someone_outside_scope(app, tree, browser, make_user) -> None:
    client, _ = browser(Role.committee, tree.a)
    stranger = make_user(Role.committee, unit=tree.b)
    response = post(client, "/assignments", {"user": stranger.id, "unit": tree.a1.id})
    assert assignments_of(app, stranger) == [] and audit_entries(app, "assignment.add") == []
    assert response.status_code == 404


def test_assignment_list_shows_only_assignments_in_scope(tree, browser, make_user, assign) -> None:
    client, _ = browser(Role.committee, tree.a)
    assign(make_user(Role.committee, full_name="Phạm Thị Dung", unit=tree.a1), tree.a1)
    assign(make_user(Role.committee, full_name="Hoàng Văn Em", unit=tree.b), tree.b)
    html = client.get("/assignments").get_data(as_text=True)
    assert "Phạm Thị Dung" in html and "Đảng bộ Xã/Chi bộ A/Tổ 1" in html
    assert "Hoàng Văn Em" not in html and "Chi bộ B" not in html


def test_admin_removes_an_assignment_and_the_person_loses_access(app, tree, people, browser, assign) -> None:
    admin, _ = browser(Role.admin)
    committee, person = browser(Role.committee)
    assignment = assign(person, tree.a)
    assert members_page(committee, tree.a)[0] == 200 and "Trần Thị Bình" in members_page(committee, tree.a)[1]

    response = post(admin, f"/assignments/{assignment.id}/remove")
    assert response.status_code == 302 and response.headers["Location"] == "/assignments"
    assert assignments_of(app, person) == []
    [entry] = audit_entries(app, "assignment.remove")
    assert (entry.object_id, entry.before) == (person.id, {"unit_id": tree.a.id})

    assert committee.get(f"/units/{tree.a.id}").status_code == 404
    assert "Trần Thị Bình" not in members_page(committee, tree.a)[1]
    assert f"/units/{tree.a.id}" not in committee.get("/units/").get_data(as_text=True)


def test_committee_member_removes_an_assignment_below_their_unit(app, tree, browser, make_user, assign) -> None:
    client, _ = browser(Role.committee, tree.a)
    colleague = make_user(Role.committee, unit=tree.a1)
    assignment = assign(colleague, tree.a1)
    assert post(client, f"/assignments/{assignment.id}/remove").status_code == 302
    assert assignments_of(app, colleague) == []
    assert len(audit_entries(app, "assignment.remove")) == 1


def test_committee_member_cannot_remove_their_own_or_outside_assignments(app, tree, browser, make_user, assign) -> None:
    client, user = browser(Role.committee, tree.a)
    outside = assign(make_user(Role.committee, unit=tree.b), tree.b)
    own = fetch(app, sa.select(UnitAssignment).where(UnitAssignment.user_id == user.id))[0]
    for assignment in (outside, own):
        assert post(client, f"/assignments/{assignment.id}/remove").status_code == 404
    assert post(client, "/assignments/999999/remove").status_code == 404
    assert len(fetch(app, sa.select(UnitAssignment))) == 2
    assert audit_entries(app, "assignment.remove") == []
