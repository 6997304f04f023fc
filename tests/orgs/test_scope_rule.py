"""The viewer's scope asked two ways agrees: ``in_scope`` climbs from one unit to its ancestors,
``scope_unit_ids`` lists the subtrees below the viewer's units, and ``reach_of`` holds that list as
a set. Every unit of a four-level tree is asked about, for viewers of every role, with no, one,
nested and sibling assignments, each also narrowed by an API token to every unit in turn."""
from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import Role, User
from learnhub.extensions import db
from learnhub.orgs import services
from learnhub.orgs.models import Unit, UnitKind
from learnhub.security import in_scope, reach_of, scope_tops, scope_unit_ids

# name -> parent name: a province, two districts, their communes and cells
TREE = {
    "Tỉnh": None, "Huyện A": "Tỉnh", "Huyện B": "Tỉnh", "Xã A1": "Huyện A", "Xã A2": "Huyện A",
    "Xã B1": "Huyện B", "Chi bộ A1a": "Xã A1", "Chi bộ A1b": "Xã A1", "Chi bộ A2a": "Xã A2",
    "Chi bộ B1a": "Xã B1",
}
# username -> (role, the units assigned)
VIEWERS = {
    "thanhvien": (Role.member, ["Xã A1"]),  # an assignment a member cannot use
    "tuyentruyen": (Role.propagandist, ["Huyện A"]),
    "chua_giao": (Role.committee, []),
    "bithu_a1a": (Role.committee, ["Chi bộ A1a"]),
    "huyen_a": (Role.committee, ["Huyện A", "Xã A1"]),  # nested: the district and one of its communes
    "hai_xa": (Role.committee, ["Xã A2", "Xã B1"]),  # siblings in two districts
    "tinh": (Role.committee, ["Tỉnh"]),
    "quantri": (Role.admin, []),
}


@pytest.fixture
def tree(app: Flask, make_unit, make_user, assign) -> dict[str, int]:
    units: dict[str, Unit] = {}
    for name, parent in TREE.items():
        units[name] = make_unit(name, UnitKind.committee if name.startswith(("Tỉnh", "Huyện", "Xã"))
                                else UnitKind.cell, parent=units[parent] if parent else None)
    for username, (role, assigned) in VIEWERS.items():
        user = make_user(role, username=username, unit=units["Tỉnh"])
        for name in assigned:
            assign(user, units[name])
    return {name: unit.id for name, unit in units.items()}


def test_in_scope_agrees_with_the_listed_scope_for_every_viewer_unit_and_token(app: Flask, tree) -> None:
    expected_sizes = {"thanhvien": 0, "tuyentruyen": 0, "chua_giao": 0, "bithu_a1a": 1, "huyen_a": 6,
                      "hai_xa": 4, "tinh": 10, "quantri": 10}
    with app.app_context():
        for username, narrowed in itertools.product(VIEWERS, [None, *tree.values()]):
            user = db.session.scalar(sa.select(User).where(User.username == username))
            user.scope_root = narrowed  # as learnhub/api/core.py sets it for a token's call
            listed = scope_unit_ids(user)
            scope = set(tree.values()) if listed is None else set(db.session.scalars(listed))
            if narrowed is None:
                assert len(scope) == expected_sizes[username], username
            parent = {unit_id: TREE[name] and tree[TREE[name]] for name, unit_id in tree.items()}
            assert set(scope_tops(user)) == {u for u in scope if parent[u] not in scope}, (username, narrowed)
            reach = reach_of(user)
            for name, unit_id in tree.items():
                assert in_scope(user, unit_id) == (unit_id in scope), (username, narrowed, name)
                assert reach.oversees(unit_id) == (unit_id in scope), (username, narrowed, name)
            db.session.expunge_all()


def test_a_large_scope_offers_its_top_and_the_chosen_units_neighbourhood_for_every_viewer(
        app: Flask, tree, monkeypatch) -> None:
    """The report's unit chooser, past FILTER_CHOICES, computed without listing the scope, equals
    what the whole list gives: the top of the scope, the units below it, and the chosen unit with
    the units above it (up to the top) and its children."""
    monkeypatch.setattr(services, "FILTER_CHOICES", 1)
    parent = {unit_id: TREE[name] and tree[TREE[name]] for name, unit_id in tree.items()}
    with app.app_context():
        for username, narrowed, around in itertools.product(VIEWERS, [None, tree["Huyện A"]], tree.values()):
            user = db.session.scalar(sa.select(User).where(User.username == username))
            user.scope_root = narrowed
            listed = scope_unit_ids(user)
            scope = set(tree.values()) if listed is None else set(db.session.scalars(listed))
            tops = {u for u in scope if parent[u] not in scope}
            expected = tops | {u for u in scope if parent[u] in tops} if len(scope) > 1 else set(scope)
            if around in scope and len(scope) > 1:
                expected |= {u for u in scope if parent[u] == around}
                node = around
                while node in scope:
                    expected.add(node)
                    node = parent[node]
            offered = {unit_id for unit_id, _path in services.unit_filter_choices(user, around)}
            assert offered == expected, (username, narrowed, around)
            db.session.expunge_all()


# (issuing unit, target units): a province plan for everyone, a district's for its communes, a
# commune's for one cell, a plan issued above and aimed below, one aimed at a sibling district
PLANS = [("Tỉnh", ["Tỉnh"]), ("Huyện A", ["Xã A1", "Xã A2"]), ("Xã A1", ["Chi bộ A1b"]),
         ("Tỉnh", ["Chi bộ B1a"]), ("Huyện B", ["Huyện B"]), ("Xã A2", [])]


def test_one_plan_is_seen_as_the_list_of_visible_plans_says(app: Flask, tree) -> None:
    """may_see_plan (one plan, read upwards from its units) agrees with visible_plans (the list)."""
    import datetime as dt

    from learnhub.plans.access import may_see_plan, visible_plans
    from learnhub.plans.models import PlanUnit, StudyPlan

    with app.app_context():
        ids = []
        for issuer, targets in PLANS:
            plan = StudyPlan(unit_id=tree[issuer], title=f"Kế hoạch của {issuer}", issued_on=dt.date(2026, 1, 5),
                             categories=["party_member"], criteria=["lessons"], opens_on=dt.date(2026, 2, 1),
                             due_on=dt.date(2026, 3, 31))
            plan.target_units = [PlanUnit(unit_id=tree[name]) for name in targets]
            db.session.add(plan)
            db.session.flush()
            ids.append(plan.id)
        db.session.commit()
        for username, narrowed in itertools.product(VIEWERS, [None, *tree.values()]):
            user = db.session.scalar(sa.select(User).where(User.username == username))
            user.scope_root = narrowed
            listed = set(db.session.scalars(visible_plans(user).with_only_columns(StudyPlan.id)))
            for plan_id in ids:
                plan = db.session.get(StudyPlan, plan_id)
                assert may_see_plan(user, plan) == (plan_id in listed), (username, narrowed, plan.title)
            db.session.expunge_all()
