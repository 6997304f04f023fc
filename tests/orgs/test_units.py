"""The organisation tree in the browser: scope, creating, renaming, moving and archiving units."""
from __future__ import annotations

import re
import unicodedata

import pytest
import sqlalchemy as sa

from learnhub.audit import AuditEntry
from learnhub.auth.models import MemberStatus, Role
from learnhub.orgs.models import Unit
from tests.conftest import post
from tests.orgs.conftest import audit_entries, fetch, get_unit, set_status, units_named

UNIT_LINK = re.compile(r'href="/units/(\d+)"')


@pytest.fixture(params=[Role.committee, Role.admin])
def actor(request, tree, browser):
    """Someone who oversees the whole tree: a committee member assigned to the root, or an admin."""
    if request.param == Role.admin:
        return browser(Role.admin)
    return browser(Role.committee, tree.root)


def linked_units(html: str) -> set[int]:
    return {int(unit_id) for unit_id in UNIT_LINK.findall(html)}


def test_unit_list_shows_exactly_the_units_in_scope(tree, browser) -> None:
    client, _ = browser(Role.committee, tree.a)
    html = client.get("/units/").get_data(as_text=True)
    assert linked_units(html) == {tree.a.id, tree.a1.id}
    assert "Chi bộ A" in html and "Tổ 1" in html
    assert "Chi bộ B" not in html


def test_admin_sees_every_unit(tree, browser) -> None:
    client, _ = browser(Role.admin)
    html = client.get("/units/").get_data(as_text=True)
    assert linked_units(html) == {tree.root.id, tree.a.id, tree.a1.id, tree.b.id}


def test_committee_member_without_assignment_sees_no_units(tree, browser) -> None:
    client, _ = browser(Role.committee)
    response = client.get("/units/")
    assert response.status_code == 200 and linked_units(response.get_data(as_text=True)) == set()
    assert client.get(f"/units/{tree.a.id}").status_code == 404


def test_out_of_scope_unit_is_not_found(tree, browser) -> None:
    client, _ = browser(Role.committee, tree.a)
    assert client.get(f"/units/{tree.a.id}").status_code == 200
    assert client.get(f"/units/{tree.a1.id}").status_code == 200
    for unit in (tree.b, tree.root):
        assert client.get(f"/units/{unit.id}").status_code == 404
    assert client.get("/units/999999").status_code == 404


def test_create_sub_unit_is_created_under_the_unit_and_audited(app, tree, actor) -> None:
    client, user = actor
    response = post(client, f"/units/{tree.a.id}/children", {"name": "  Tổ   2 ", "kind": "cell"})
    [made] = units_named(app, "Tổ 2")
    assert made.parent_id == tree.a.id and made.kind == "cell"
    assert response.status_code == 302 and response.headers["Location"] == f"/units/{made.id}"
    [entry] = audit_entries(app, "unit.create")
    assert (entry.object_id, entry.actor_name) == (made.id, user.username)
    assert "Tổ 2" in client.get(f"/units/{made.id}").get_data(as_text=True)


def test_committee_member_cannot_create_under_a_unit_outside_scope(app, tree, browser) -> None:
    client, _ = browser(Role.committee, tree.a)
    assert post(client, f"/units/{tree.b.id}/children", {"name": "Tổ 9", "kind": "cell"}).status_code == 404
    assert units_named(app, "Tổ 9") == []


@pytest.mark.parametrize("name", ["Tổ 1", " Tổ  1 ", "Tổ/2", "/", "   "])
def test_create_refuses_a_taken_or_invalid_name(app, tree, actor, name) -> None:
    client, _ = actor
    before = fetch(app, sa.select(sa.func.count(Unit.id)))
    response = post(client, f"/units/{tree.a.id}/children", {"name": name, "kind": "cell"})
    assert response.status_code == 302 and response.headers["Location"] == f"/units/{tree.a.id}"
    assert fetch(app, sa.select(sa.func.count(Unit.id))) == before
    assert audit_entries(app, "unit.create") == []


def test_create_refuses_the_same_name_typed_in_another_unicode_form(app, tree, actor) -> None:
    """Vietnamese keyboards send "ổ" precomposed (NFC) or as "o" + marks (NFD); both read "Tổ 1"."""
    client, _ = actor
    post(client, f"/units/{tree.a.id}/children", {"name": unicodedata.normalize("NFD", "Tổ 1"), "kind": "cell"})
    children = fetch(app, sa.select(Unit.name).where(Unit.parent_id == tree.a.id))
    assert [unicodedata.normalize("NFC", name) for name in children] == ["Tổ 1"]


def test_no_live_sub_unit_can_be_created_under_an_archived_unit(app, tree, actor) -> None:
    client, _ = actor
    post(client, f"/units/{tree.b.id}/archive")
    assert get_unit(app, tree.b.id).archived_at is not None
    post(client, f"/units/{tree.b.id}/children", {"name": "Tổ 9", "kind": "cell"})
    assert units_named(app, "Tổ 9") == []


def test_the_same_name_is_allowed_under_another_parent(app, tree, actor) -> None:
    client, _ = actor
    post(client, f"/units/{tree.b.id}/children", {"name": "Tổ 1", "kind": "cell"})
    assert sorted(u.parent_id for u in units_named(app, "Tổ 1")) == sorted([tree.a.id, tree.b.id])


def test_rename_changes_the_name_and_is_audited(app, tree, actor) -> None:
    client, user = actor
    response = post(client, f"/units/{tree.a1.id}/rename", {"name": "Tổ Một"})
    assert response.status_code == 302 and response.headers["Location"] == f"/units/{tree.a1.id}"
    assert get_unit(app, tree.a1.id).name == "Tổ Một"
    [entry] = audit_entries(app, "unit.rename")
    assert (entry.before, entry.after, entry.actor_name) == ({"name": "Tổ 1"}, {"name": "Tổ Một"}, user.username)


@pytest.mark.parametrize("name", ["Chi bộ B", "Chi/bộ"])
def test_rename_refuses_a_sibling_name_or_a_slash(app, tree, actor, name) -> None:
    client, _ = actor
    post(client, f"/units/{tree.a.id}/rename", {"name": name})
    assert get_unit(app, tree.a.id).name == "Chi bộ A"
    assert audit_entries(app, "unit.rename") == []


def test_move_puts_the_unit_under_another(app, tree, actor) -> None:
    client, _ = actor
    response = post(client, f"/units/{tree.a1.id}/move", {"parent": tree.b.id})
    assert response.status_code == 302
    assert get_unit(app, tree.a1.id).parent_id == tree.b.id
    [entry] = audit_entries(app, "unit.move")
    assert (entry.before, entry.after) == ({"parent_id": tree.a.id}, {"parent_id": tree.b.id})


@pytest.mark.parametrize(
    ("moved", "under"),
    [("a", "a"), ("a", "a1"), ("root", "a"), ("root", "a1")],
    ids=["under-itself", "under-its-child", "root-under-child", "root-under-grandchild"],
)
def test_move_never_makes_a_cycle(app, tree, actor, moved, under) -> None:
    client, _ = actor
    unit, parent = getattr(tree, moved), getattr(tree, under)
    post(client, f"/units/{unit.id}/move", {"parent": parent.id})
    assert get_unit(app, unit.id).parent_id == unit.parent_id
    assert get_unit(app, parent.id).parent_id == parent.parent_id
    assert audit_entries(app, "unit.move") == []
    assert linked_units(client.get("/units/").get_data(as_text=True)) >= {tree.a.id, tree.a1.id}


def test_move_refuses_a_name_taken_under_the_new_parent(app, tree, actor, make_unit) -> None:
    client, _ = actor
    make_unit("Tổ 1", parent=tree.b)
    post(client, f"/units/{tree.a1.id}/move", {"parent": tree.b.id})
    assert get_unit(app, tree.a1.id).parent_id == tree.a.id


def test_committee_member_cannot_move_a_unit_out_of_scope(app, tree, browser) -> None:
    client, _ = browser(Role.committee, tree.a)
    response = post(client, f"/units/{tree.a1.id}/move", {"parent": tree.b.id})
    assert response.status_code == 302, response.status_code
    assert get_unit(app, tree.a1.id).parent_id == tree.a.id


@pytest.mark.parametrize("status", [MemberStatus.active, MemberStatus.exempted])
def test_archive_refused_while_the_unit_has_active_members(app, tree, actor, make_user, status) -> None:
    client, _ = actor
    set_status(app, make_user(Role.member, unit=tree.b), status)
    response = post(client, f"/units/{tree.b.id}/archive")
    assert response.status_code == 302 and response.headers["Location"] == f"/units/{tree.b.id}"
    assert get_unit(app, tree.b.id).archived_at is None
    assert audit_entries(app, "unit.archive") == []


def test_archive_allowed_when_only_former_members_remain(app, tree, actor, make_user) -> None:
    client, _ = actor
    set_status(app, make_user(Role.member, unit=tree.b), MemberStatus.moved)
    post(client, f"/units/{tree.b.id}/archive")
    assert get_unit(app, tree.b.id).archived_at is not None


def test_archiving_an_empty_unit_keeps_the_row_and_hides_it(app, tree, actor) -> None:
    client, user = actor
    response = post(client, f"/units/{tree.b.id}/archive")
    assert response.status_code == 302 and response.headers["Location"] == "/units/"
    archived = get_unit(app, tree.b.id)
    assert archived is not None and archived.archived_at is not None and archived.name == "Chi bộ B"
    [entry] = audit_entries(app, "unit.archive")
    assert (entry.object_id, entry.actor_name) == (tree.b.id, user.username)
    assert tree.b.id not in linked_units(client.get("/units/").get_data(as_text=True))


def test_archive_refused_while_live_sub_units_remain(app, tree, actor) -> None:
    client, _ = actor
    post(client, f"/units/{tree.a.id}/archive")
    assert get_unit(app, tree.a.id).archived_at is None
    post(client, f"/units/{tree.a1.id}/archive")
    post(client, f"/units/{tree.a.id}/archive")
    assert get_unit(app, tree.a1.id).archived_at is not None
    assert get_unit(app, tree.a.id).archived_at is not None


def test_top_level_unit_is_admin_only(app, tree, browser) -> None:
    committee, _ = browser(Role.committee, tree.root)
    assert post(committee, "/units/", {"name": "Đảng bộ Mới", "kind": "committee"}).status_code == 403
    assert units_named(app, "Đảng bộ Mới") == []
    admin, _ = browser(Role.admin)
    response = post(admin, "/units/", {"name": "Đảng bộ Mới", "kind": "committee"})
    [made] = units_named(app, "Đảng bộ Mới")
    assert made.parent_id is None and response.headers["Location"] == f"/units/{made.id}"
    post(admin, "/units/", {"name": "Đảng bộ Mới", "kind": "committee"})
    assert len(units_named(app, "Đảng bộ Mới")) == 1
    assert len(audit_entries(app, "unit.create")) == 1


def protected_posts(tree, assignment_id: int) -> list[str]:
    return [
        "/units/", f"/units/{tree.a.id}/children", f"/units/{tree.a.id}/rename", f"/units/{tree.a.id}/move",
        f"/units/{tree.a.id}/archive", "/assignments", f"/assignments/{assignment_id}/remove",
    ]


@pytest.fixture
def assignment(tree, make_user, assign):
    return assign(make_user(Role.committee, username="phutrach"), tree.a1)


def test_every_post_without_csrf_token_is_refused(app, tree, browser, assignment) -> None:
    client, _ = browser(Role.admin)
    data = {"name": "Tổ 2", "kind": "cell", "parent": tree.b.id, "user": assignment.user_id, "unit": tree.b.id}
    for url in protected_posts(tree, assignment.id):
        assert client.post(url, data=data).status_code == 400, url
    assert units_named(app, "Tổ 2") == [] and get_unit(app, tree.a.id).archived_at is None
    assert get_unit(app, tree.a.id).name == "Chi bộ A" and get_unit(app, tree.a.id).parent_id == tree.root.id
    assert fetch(app, sa.select(AuditEntry)) == []


@pytest.mark.parametrize("role", [Role.member, Role.propagandist])
def test_people_without_the_committee_role_are_forbidden(app, tree, browser, assignment, role) -> None:
    client, _ = browser(role, unit=tree.a)
    for url in ("/units/", f"/units/{tree.a.id}", "/assignments"):
        assert client.get(url).status_code == 403, url
    for url in protected_posts(tree, assignment.id):
        assert post(client, url, {"name": "Tổ 2", "kind": "cell"}).status_code == 403, url
    assert units_named(app, "Tổ 2") == [] and fetch(app, sa.select(AuditEntry)) == []


def test_anonymous_visitors_are_sent_to_sign_in(client, tree, assignment) -> None:
    for url in ("/units/", f"/units/{tree.a.id}", "/assignments"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url
    for url in protected_posts(tree, assignment.id):
        response = post(client, url, {"name": "Tổ 2", "kind": "cell"})
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url


def test_paths_of_a_few_units_are_those_of_the_whole_tree(app, tree, monkeypatch) -> None:
    """A page naming a few units climbs from them; past PATHS_BY_ID it reads every unit: the same paths."""
    from learnhub.orgs import services

    with app.app_context():
        everyone = services.unit_paths()
        few = services.unit_paths([tree.a1.id, tree.b.id, tree.a1.id])
        assert {tree.a1.id, tree.b.id} <= set(few) and few.items() <= everyone.items()
        assert few[tree.a1.id].count("/") == 2  # the root, Chi bộ A, Tổ 1
        assert services.unit_paths([]) == {}
        monkeypatch.setattr(services, "PATHS_BY_ID", 1)
        assert services.unit_paths([tree.a1.id, tree.b.id]) == everyone


def test_every_units_paths_are_read_as_a_page_asks_for_them(app, tree, count_queries, monkeypatch) -> None:
    """unit_paths() without ids, in a large tree, reads the units a page names, each once with the
    units above it; going through it reads the whole tree once, and gives the same paths. In a small
    tree the first path asked for reads them all."""
    from learnhub.orgs import services

    with app.app_context():
        small = services.unit_paths()
        with count_queries() as statements:
            assert small[tree.a1.id] == small[tree.a1.id] and small.get(tree.b.id) and 999_999 not in small
        assert len(statements) == 2  # how many units, then all of them
        monkeypatch.setattr(services, "PATHS_BY_ID", 1)
        whole = dict(services._paths(None, None))
        paths = services.unit_paths()
        with count_queries() as statements:
            assert paths[tree.a1.id] == whole[tree.a1.id] and paths[tree.a1.id].count("/") == 2
            assert paths[tree.a1.id] == whole[tree.a1.id]  # read once
            assert paths[tree.a.id] == whole[tree.a.id]  # above it: read with it
            assert 999_999 not in paths and paths.get(tree.b.id) == whole[tree.b.id]
        assert len(statements) == 4  # how many units; Tổ 1 with its parents, the unknown id, Chi bộ B
        with count_queries() as statements:
            assert dict(paths) == whole and len(paths) == len(whole)
            assert paths[tree.b.id] == whole[tree.b.id]
        assert len(statements) == 1


def test_a_large_scope_offers_the_neighbourhood_of_the_chosen_unit(app, tree, browser, make_unit, monkeypatch) -> None:
    """Past FILTER_CHOICES units, a report's unit list holds the top, the units just below it, and
    the chosen unit with those above it and its children: not every unit of a province."""
    from learnhub.orgs import services

    deep = make_unit("Tổ 1.1", parent=tree.a1)
    client, admin = browser(Role.admin)
    with app.app_context():
        everyone = services.units_in_scope(admin)
        assert services.unit_filter_choices(admin, tree.a1.id) == everyone  # 5 units: all of them
        monkeypatch.setattr(services, "FILTER_CHOICES", 2)
        near_b = {unit_id for unit_id, _path in services.unit_filter_choices(admin, tree.b.id)}
        assert near_b == {tree.root.id, tree.a.id, tree.b.id}  # the top and the units below it
        near_a1 = {unit_id for unit_id, _path in services.unit_filter_choices(admin, tree.a1.id)}
        assert near_a1 == {tree.root.id, tree.a.id, tree.b.id, tree.a1.id, deep.id}
        assert dict(services.unit_filter_choices(admin, tree.a1.id))[deep.id] == "Đảng bộ Xã/Chi bộ A/Tổ 1/Tổ 1.1"
    html = client.get(f"/reports/year?unit={tree.a1.id}&year=2026").get_data(as_text=True)
    offered = re.findall(r'<option (selected )?value="(\d+)">', html)
    assert sorted(int(unit_id) for _selected, unit_id in offered) == sorted(near_a1)
    assert ("selected ", str(tree.a1.id)) in offered
