"""Each named rule of the features' access.py, asked for every kind of user about cell A's objects.

tests/test_access_matrix.py walks the routes; this table checks the rules the routes are built on, so a
rule that changes shows here by name (docs/architecture.md, "Who may see X?").
"""
from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from learnhub.auth.models import User
from learnhub.conferences import access as conferences
from learnhub.conferences.models import Conference
from learnhub.dialogue import access as dialogue
from learnhub.extensions import db
from learnhub.inspections import access as inspections
from learnhub.inspections.models import Inspection
from learnhub.members import access as members
from learnhub.orgs import access as orgs
from learnhub.orgs.models import Unit
from learnhub.outreach import access as outreach
from learnhub.outreach.models import OutreachSession
from learnhub.plans import access as plans
from learnhub.plans.models import StudyPlan
from learnhub.security import reach_of
from tests.conferences.conftest import make_conference

# Who asks: the member An and the propagandist of cell A, cell A's secretary (in scope), cell B's
# (out of scope), the town committee above both cells, and an admin.
VIEWERS = {"member": "an", "propagandist": "tuyentruyen", "committee_in_scope": "bithu1",
           "committee_out_of_scope": "bithu2", "committee_above": "capuy", "admin": "admin"}
Rule = Callable[[User, dict], bool]


def everyone_but(*refused: str) -> dict[str, bool]:
    return {viewer: viewer not in refused for viewer in VIEWERS}


STAFF_OF_A = everyone_but("member", "propagandist", "committee_out_of_scope")
RULES: dict[str, tuple[Rule, dict[str, bool]]] = {
    "members.may_see_member": (lambda v, o: members.may_see_member(v, o["an"]),
                               everyone_but("propagandist", "committee_out_of_scope")),
    "members.may_edit_member": (lambda v, o: members.may_edit_member(v, o["an"]), STAFF_OF_A),
    "members.may_change_account": (lambda v, o: members.may_change_account(v, o["an"]),
                                   {viewer: viewer == "admin" for viewer in VIEWERS}),
    "orgs.may_assign": (lambda v, o: orgs.may_assign(v, o["cell_a"]),
                        {viewer: viewer in ("committee_above", "admin") for viewer in VIEWERS}),
    "orgs.may_be_assigned": (lambda v, o: orgs.may_be_assigned(v, o["bithu1"]), STAFF_OF_A),
    "plans.may_change_plan": (lambda v, o: plans.may_change_plan(v, StudyPlan(unit_id=o["cell_a"].id)), STAFF_OF_A),
    "plans.may_review_reflection": (lambda v, o: plans.may_review_reflection(v, o["an"]), STAFF_OF_A),
    "plans.may_read_reflection": (lambda v, o: plans.may_read_reflection(v, o["an"]), STAFF_OF_A),
    "conferences.may_see_conference": (lambda v, o: conferences.may_see_conference(v, o["conference"]), STAFF_OF_A),
    "conferences.may_organise": (lambda v, o: conferences.may_organise(v, o["conference"]), STAFF_OF_A),
    # Those invited (cell A's members, its propagandist) see what the check-in link shows, too.
    "conferences.may_see_check_in": (lambda v, o: conferences.may_see_check_in(v, o["conference"]),
                                     everyone_but("committee_out_of_scope")),
    "inspections.may_see_inspection": (
        lambda v, o: inspections.may_see_inspection(v, Inspection(unit_id=o["cell_a"].id)), STAFF_OF_A),
    "outreach.may_see_session": (
        lambda v, o: outreach.may_see_session(v, OutreachSession(unit_id=o["cell_a"].id)), STAFF_OF_A),
    # A post by An in a module owned by cell A: its propagandist writes the module.
    "dialogue.may_moderate_post": (lambda v, o: dialogue.may_moderate_post(reach_of(v), o["cell_a"].id, o["cell_a"].id),
                                   everyone_but("member", "committee_out_of_scope")),
    "dialogue.may_answer_for": (lambda v, o: dialogue.may_answer_for(reach_of(v), o["cell_a"].id, None),
                                everyone_but("member", "committee_out_of_scope")),
    "dialogue.may_accept_answer": (
        lambda v, o: dialogue.may_accept_answer(reach_of(v), o["an"].id, o["cell_a"].id, None),
        everyone_but("committee_out_of_scope")),
}


@pytest.fixture
def subjects(app: Flask, town) -> dict:
    with app.app_context():
        conference_id = make_conference(town["a"].id, [town["a"].id])
    return {"conference_id": conference_id, "an": town["member_a"].id, "bithu1": town["bithu1"].id,
            "cell_a": town["a"].id}


@pytest.mark.parametrize("rule", list(RULES))
def test_each_rule_answers_what_the_table_says(app: Flask, subjects: dict, rule: str) -> None:
    check, expected = RULES[rule]
    with app.app_context():
        objects = {"an": db.session.get(User, subjects["an"]), "bithu1": db.session.get(User, subjects["bithu1"]),
                   "cell_a": db.session.get(Unit, subjects["cell_a"]),
                   "conference": db.session.get(Conference, subjects["conference_id"])}
        people = {viewer: db.session.scalar(db.select(User).where(User.username == username))
                  for viewer, username in VIEWERS.items()}
        answers = {viewer: check(person, objects) for viewer, person in people.items()}
    assert answers == expected
