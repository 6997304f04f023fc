"""The resources of /api/v1/: each view loads through its feature's access.py as the token's owner,
calls the feature's own service, and answers JSON."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import g, request
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound

from learnhub.api.core import json_body, operation, owner, page, query_int
from learnhub.api.problems import Problem
from learnhub.api.schemas import page_of, ref
from learnhub.auth.models import Category, MemberStatus, User
from learnhub.conferences import attendance
from learnhub.conferences.access import (
    get_conference_or_404,
    get_organised_or_404,
    visible_conferences,
)
from learnhub.conferences.models import Conference
from learnhub.extensions import db
from learnhub.members import services as members
from learnhub.members.access import get_editable_member_or_404, get_member_or_404, may_edit_member
from learnhub.members.sync import SyncResult, sync_members
from learnhub.orgs.access import get_chosen_unit_or_404
from learnhub.orgs.models import Unit
from learnhub.plans import completion
from learnhub.plans.access import get_dashboard_unit_or_404, get_plan_or_404, visible_plans
from learnhub.plans.models import StudyPlan
from learnhub.plans.steps import remaining_steps, step_columns
from learnhub.replica import reads_replica
from learnhub.reports import yearly
from learnhub.reports.access import get_report_unit_or_404
from learnhub.security import get_unit_in_scope_or_404, limit_to_scope
from learnhub.settings import local_today
from learnhub.text import clean_text


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


UNIT_FILTER = _query("unit_id", {"type": "integer", "minimum": 1}, "a unit in the token's scope (and below it)")


def show_unit(unit: Unit) -> dict[str, Any]:
    return {"id": unit.id, "name": unit.name, "kind": unit.kind.value, "parent_id": unit.parent_id,
            "archived": unit.archived_at is not None}


def show_member(member: User) -> dict[str, Any]:
    return {"id": member.id, "username": member.username, "full_name": member.full_name, "unit_id": member.unit_id,
            "category": member.category.value, "status": member.status.value, "active": member.active,
            "party_card": member.party_card, "phone": member.phone, "email": member.email,
            "birth_date": member.birth_date.isoformat() if member.birth_date else None,
            "gender": member.gender.value if member.gender else None}


def show_plan(plan: StudyPlan) -> dict[str, Any]:
    return {"id": plan.id, "unit_id": plan.unit_id, "title": plan.title, "number": plan.number,
            "status": plan.status.value, "opens_on": plan.opens_on.isoformat(), "due_on": plan.due_on.isoformat(),
            "target_rate": plan.target_rate, "criteria": list(plan.criteria), "categories": list(plan.categories)}


def show_conference(conference: Conference) -> dict[str, Any]:
    return {"id": conference.id, "unit_id": conference.unit_id, "plan_id": conference.plan_id,
            "title": conference.title, "starts_at": conference.starts_at.isoformat(),
            "ends_at": conference.ends_at.isoformat(), "cancelled": conference.cancelled_at is not None,
            "attendance": attendance.counts(conference).as_dict()}


@operation("/units", summary="The units in the token's scope, as a tree (each with its parent)",
           response=page_of("Unit"), paged=True, tag="units")
def units():
    return page(limit_to_scope(sa.select(Unit), Unit.id, owner()), Unit.id, show_unit)


@operation("/units/<int:unit_id>", summary="One unit", response=ref("Unit"), parameters=(_path("unit_id"),),
           tag="units")
def unit(unit_id: int):
    return show_unit(get_unit_in_scope_or_404(unit_id, owner()))


@operation("/members", summary="Members of the units in scope", response=page_of("Member"), paged=True, tag="members",
           parameters=(UNIT_FILTER, _query("status", {"enum": [s.value for s in MemberStatus]}),
                       _query("category", {"enum": [c.value for c in Category]})))
def member_list():
    unit_id = query_int("unit_id")
    if unit_id is not None:
        get_unit_in_scope_or_404(unit_id, owner())
    status, category = request.args.get("status"), request.args.get("category")
    if status and status not in MemberStatus.__members__ or category and category not in Category.__members__:
        raise Problem(422, errors={"status" if status and status not in MemberStatus.__members__ else "category":
                                   [_("Not one of the allowed values.")]})
    filters = members.MemberFilter(unit_id=unit_id, status=MemberStatus(status) if status else None,
                                   category=Category(category) if category else None)
    return page(members.members_query(owner(), filters), User.id, show_member)


@operation("/members/<int:member_id>", summary="One member", response=ref("Member"),
           parameters=(_path("member_id"),), tag="members")
def member(member_id: int):
    return show_member(get_member_or_404(member_id, owner()))


@operation("/members/<int:member_id>/status", method="POST", summary="Record a member's new status (read-write token)",
           response=ref("Member"), body=ref("StatusChange"), parameters=(_path("member_id"),), tag="members")
def member_status(member_id: int):
    person = get_editable_member_or_404(member_id, owner())
    data = json_body(ref("StatusChange"))
    members.set_member_status(person, MemberStatus(data["status"]), effective_on=dt.date.fromisoformat(data["effective_on"]),
                              reason=clean_text(data["reason"], multiline=True), actor=owner())
    db.session.commit()
    return show_member(person)


@operation("/members/<int:member_id>/move", method="POST", summary="Move a member to another unit in scope (read-write token)",
           response=ref("Member"), body=ref("Move"), parameters=(_path("member_id"),), tag="members")
def member_move(member_id: int):
    person = get_editable_member_or_404(member_id, owner())
    data = json_body(ref("Move"))
    to_unit = get_unit_in_scope_or_404(data["unit_id"], owner())
    members.transfer_member(person, to_unit, effective_on=dt.date.fromisoformat(data["effective_on"]),
                            reason=clean_text(data.get("reason", ""), multiline=True), actor=owner())
    db.session.commit()
    return show_member(person)


@operation("/members/sync", method="POST", summary="Create and update many members at once, all or nothing, by "
           "the spreadsheet import's rules; sending the same list again changes nothing (read-write token)",
           response=ref("SyncResult"), body=ref("MemberSync"), tag="members")
def member_sync():
    data = json_body(ref("MemberSync"))
    base = get_chosen_unit_or_404(data.get("unit_id"), owner())
    result = sync_members(data["members"], base_unit=base, viewer=owner(), source=_source())
    if not result.ok:
        raise Problem(422, _("Nothing was written: correct these rows and send the list again."),
                      errors=_row_errors(result))
    db.session.commit()
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@operation("/members/by-username/<username>", method="PUT", summary="Create or update one member by their "
           "username, the stable external id (read-write token)", response=ref("Member"),
           body={**ref("MemberIn")}, tag="members",
           parameters=({"name": "username", "in": "path", "required": True,
                        "schema": {"type": "string", "minLength": 3, "maxLength": 80}}, UNIT_FILTER))
def member_put(username: str):
    data = json_body(ref("MemberIn"))
    existing = db.session.scalar(sa.select(User).where(User.username == username.lower()))
    if existing is not None and not may_edit_member(owner(), existing):
        raise NotFound()  # as on the member pages: another unit's member is not told to exist
    base = get_chosen_unit_or_404(query_int("unit_id"), owner())
    result = sync_members([{**data, "username": username}], base_unit=base, viewer=owner(), source=_source())
    if not result.ok:
        raise Problem(422, errors={key.removeprefix("members/0/") or "/": messages
                                   for key, messages in _row_errors(result).items()})
    db.session.commit()
    return show_member(db.session.scalars(sa.select(User).where(User.username == username.lower())).one())


def _source() -> str:
    """What the import's audit row names as its file: the API and the token."""
    return f"API {g.api_token.name}"


def _row_errors(result: SyncResult) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for index, name, message in result.problems:
        errors.setdefault("/".join(str(p) for p in ("members", index, name) if p is not None), []).append(message)
    return errors


@operation("/plans", summary="Study plans the token's owner sees", response=page_of("Plan"), paged=True, tag="plans")
def plan_list():
    return page(visible_plans(owner()), StudyPlan.id, show_plan)


@operation("/plans/<int:plan_id>", summary="One plan", response=ref("Plan"), parameters=(_path("plan_id"),),
           tag="plans")
def plan(plan_id: int):
    return show_plan(get_plan_or_404(plan_id, owner()))


@operation("/plans/<int:plan_id>/completion", summary="A plan's completion figures for a unit, by category and sub-unit "
           "(the dashboard's and `learnhub report completion`'s numbers)", response=ref("Completion"),
           parameters=(_path("plan_id"), UNIT_FILTER), tag="plans")
@reads_replica
def plan_completion(plan_id: int):
    found = get_plan_or_404(plan_id, owner())
    unit = get_dashboard_unit_or_404(found, query_int("unit_id"), owner())
    return completion.as_json(completion.completion_report(found, unit))


@operation("/plans/<int:plan_id>/members/<int:member_id>/steps", summary="What a member still has to do for a plan",
           response=ref("Steps"), parameters=(_path("plan_id"), _path("member_id")), tag="plans")
def member_steps(plan_id: int, member_id: int):
    found = get_plan_or_404(plan_id, owner())
    person = get_member_or_404(member_id, owner())
    progress = completion.member_progress(found, member=person.id)
    row = db.session.execute(sa.select(*step_columns(progress))).first()
    if row is None:
        raise Problem(404, _("This member is not on the plan's roster."))
    steps = remaining_steps(found, row)
    return {"plan_id": found.id, "member_id": person.id, "completed": row.completed_at is not None,
            "steps": [{"kind": s.kind.value, "count": s.count, "module": s.module, "text": s.text} for s in steps]}


@operation("/conferences", summary="Conferences the token's owner sees, with attendance counts",
           response=page_of("Conference"), paged=True, tag="conferences")
def conference_list():
    return page(visible_conferences(owner()), Conference.id, show_conference)


@operation("/conferences/<int:conference_id>", summary="One conference and its attendance", response=ref("Conference"),
           parameters=(_path("conference_id"),), tag="conferences")
def conference(conference_id: int):
    return show_conference(get_conference_or_404(conference_id, owner()))


@operation("/conferences/<int:conference_id>/attendance", summary="The conference's roster, each member with "
           "their mark (the organising committee's, as the roster page)", response=ref("Attendance"),
           parameters=(_path("conference_id"),), tag="conferences")
def conference_attendance(conference_id: int):
    found = get_organised_or_404(conference_id, owner())
    return {"conference_id": found.id, "members": [
        {"member_id": row.user_id, "full_name": row.full_name, "username": row.username, "unit_id": row.unit_id,
         "status": row.status.value if row.status else None, "method": row.method.value if row.method else None,
         "recorded_at": row.recorded_at.isoformat() if row.recorded_at else None}
        for row in attendance.roster(found)]}


@operation("/reports/yearly", summary="The yearly report's figures for a unit (`learnhub report year --format json`)",
           response=ref("YearlyReport"), tag="reports",
           parameters=(UNIT_FILTER, _query("year", {"type": "integer", "minimum": 2000, "maximum": 2100})))
@reads_replica
def yearly_report():
    unit = get_report_unit_or_404(query_int("unit_id"), owner())
    year = query_int("year", default=local_today().year, low=2000, high=2100)
    assert year is not None
    return yearly.as_json(yearly.yearly_report(unit.id, year))
