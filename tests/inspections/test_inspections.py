"""Recording inspections, who may see and change them, the checks on the form, and open follow-ups."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.extensions import db
from learnhub.inspections import services
from learnhub.inspections.models import Conclusion, Inspection
from learnhub.orgs.models import Unit
from learnhub.plans.member_plans import local_today
from tests.conftest import login, persist, post

TODAY = local_today()


def form(target, **changes) -> dict:
    values = {"unit": target.id, "plan": "0", "held_on": "2026-03-10", "inspectors": "Đồng chí Trần Văn Hùng",
              "findings": "Chi bộ tổ chức học tập đầy đủ.", "conclusion": "remind",
              "follow_up": "Tổ chức học bù cho đảng viên vắng.", "follow_up_due": "2026-04-30"}
    values.update(changes)
    return values


def inspections(app: Flask) -> list[Inspection]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(Inspection).order_by(Inspection.id)))
        db.session.expunge_all()
    return rows


def audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.startswith("inspection."))
                                       .order_by(AuditEntry.id)))


def make(app: Flask, unit, **changes) -> Inspection:
    values = dict(unit_id=unit.id, held_on=dt.date(2026, 3, 10), inspectors="Đoàn kiểm tra", findings="Nhận xét",
                  conclusion=Conclusion.remind, follow_up="", follow_up_due=None)
    values.update(changes)
    return persist(app, Inspection(**values))


def test_a_committee_member_records_an_inspection_and_everyone_in_scope_reads_it(app, client, town) -> None:
    login(client, "capuy")
    response = post(client, "/inspections/new", form(town["a"]))
    assert response.status_code == 302
    [saved] = inspections(app)
    assert response.headers["Location"] == f"/inspections/{saved.id}"
    assert (saved.unit_id, saved.conclusion, saved.follow_up_due) == (town["a"].id, Conclusion.remind, dt.date(2026, 4, 30))
    assert audit_actions(app) == ["inspection.create"]
    html = client.get(f"/inspections/{saved.id}").get_data(as_text=True)
    assert "Chi bộ tổ chức học tập đầy đủ." in html and "30/04/2026" in html

    cell_secretary = app.test_client()
    login(cell_secretary, "bithu1")
    choices = cell_secretary.get("/inspections/new").get_data(as_text=True)
    assert "Đảng bộ Thị trấn/Chi bộ Khu phố 1" in choices and "Chi bộ Khu phố 2" not in choices
    assert cell_secretary.get(f"/inspections/{saved.id}").status_code == 200
    assert "Đồng chí Trần Văn Hùng" in cell_secretary.get("/inspections/").get_data(as_text=True)


def test_an_inspection_can_name_the_plan_it_checked(app, client, town, make_course) -> None:
    from learnhub.courses.models import Course
    from learnhub.plans.services import create_plan

    make_course()
    with app.app_context():
        plan = create_plan(unit=db.session.get(Unit, town["root"].id), course=db.session.scalars(sa.select(Course)).one(),
                           title="Học tập Nghị quyết Đại hội", opens_on=dt.date(2026, 1, 5), due_on=dt.date(2026, 6, 30),
                           target_units=[db.session.get(Unit, town["root"].id)])
        db.session.commit()
        plan_id = plan.id
    login(client, "bithu1")
    assert post(client, "/inspections/new", form(town["a"], plan=plan_id)).status_code == 302
    [saved] = inspections(app)
    assert saved.plan_id == plan_id
    assert "Học tập Nghị quyết Đại hội" in client.get(f"/inspections/{saved.id}").get_data(as_text=True)


def test_changing_and_deleting_are_audited_with_what_the_record_said(app, client, town) -> None:
    inspection = make(app, town["a"], follow_up="Học bù", follow_up_due=dt.date(2026, 4, 1))
    login(client, "bithu1")
    edit_page = client.get(f"/inspections/{inspection.id}/edit").get_data(as_text=True)
    assert "Học bù" in edit_page
    response = post(client, f"/inspections/{inspection.id}/edit", form(town["a"], conclusion="criticise", follow_up="", follow_up_due=""))
    assert response.status_code == 302
    [saved] = inspections(app)
    assert (saved.conclusion, saved.follow_up, saved.follow_up_due) == (Conclusion.criticise, "", None)
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "inspection.update")).one()
        assert (entry.before["conclusion"], entry.after["conclusion"]) == ("remind", "criticise")
        assert entry.before["follow_up_due"] == "2026-04-01"

    assert post(client, f"/inspections/{inspection.id}/delete").status_code == 302
    assert inspections(app) == []
    assert client.get(f"/inspections/{inspection.id}").status_code == 404
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "inspection.delete")).one()
        assert entry.before["findings"] == "Chi bộ tổ chức học tập đầy đủ."


def test_units_outside_the_scope_do_not_exist_and_members_are_refused(app, town) -> None:
    inspection = make(app, town["a"], follow_up="Học bù", follow_up_due=dt.date(2026, 4, 1))
    outsider = app.test_client()
    login(outsider, "bithu2")
    for url in (f"/inspections/{inspection.id}", f"/inspections/{inspection.id}/edit", f"/inspections/?unit={town['a'].id}"):
        assert outsider.get(url).status_code == 404, url
    for url, data in ((f"/inspections/{inspection.id}/edit", form(town["a"])),
                      (f"/inspections/{inspection.id}/follow-up", {"note": "Xong"}),
                      (f"/inspections/{inspection.id}/delete", {}),
                      ("/inspections/new", form(town["a"]))):
        assert post(outsider, url, data).status_code == 404, url
    assert "Đoàn kiểm tra" not in outsider.get("/inspections/").get_data(as_text=True)
    assert "Học bù" not in outsider.get("/inspections/follow-ups").get_data(as_text=True)

    for username in ("an", "tuyentruyen"):
        member = app.test_client()
        login(member, username)
        for url in ("/inspections/", "/inspections/new", "/inspections/follow-ups", f"/inspections/{inspection.id}"):
            assert member.get(url).status_code == 403, (username, url)
        assert post(member, "/inspections/new", form(town["a"])).status_code == 403
    anonymous = app.test_client().get("/inspections/")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")

    [unchanged] = inspections(app)
    assert (unchanged.findings, unchanged.follow_up_done_at) == ("Nhận xét", None)


REFUSED = {
    "follow-up without due": ({"follow_up_due": ""}, "Enter the date the follow-up is due."),
    "due without follow-up": ({"follow_up": "", "follow_up_due": "2026-04-30"},
                              "Describe the follow-up, or leave its due date empty."),
    "due before inspection": ({"follow_up_due": "2026-03-01"}, "The follow-up must fall due on or after the inspection date."),
    "future": ({"held_on": (TODAY + dt.timedelta(days=1)).isoformat()}, "The inspection date must be between 1945 and today."),
    "long ago": ({"held_on": "1900-01-01"}, "The inspection date must be between 1945 and today."),
    "bad date": ({"held_on": "10/03/2026"}, "Not a valid date value."),
    "no date": ({"held_on": ""}, "Enter the date of the inspection"),
    "no findings": ({"findings": "   "}, "Enter what the inspection found"),
    "no inspectors": ({"inspectors": ""}, "Enter who carried out the inspection"),
    "bad conclusion": ({"conclusion": "khen"}, "Not a valid choice."),
    "bad unit": ({"unit": "abc"}, "Invalid Choice: could not coerce."),
}


def test_a_refused_form_says_why_and_saves_nothing(app, client, town) -> None:
    client.set_cookie("lh_lang", "en")  # the messages as written, whatever the catalogue says
    login(client, "capuy")
    for case, (changes, message) in REFUSED.items():
        response = post(client, "/inspections/new", form(town["a"], **changes))
        assert response.status_code == 400, case
        assert message in response.get_data(as_text=True), case
    assert inspections(app) == [] and audit_actions(app) == []


def test_the_services_refuse_a_follow_up_without_its_due_date(app, town, ctx) -> None:
    unit = db.session.get(Unit, town["a"].id)
    with pytest.raises(services.InspectionRefused):
        services.create_inspection(unit=unit, plan=None, held_on=dt.date(2026, 3, 1), inspectors="x", findings="y",
                                   conclusion=Conclusion.praise, follow_up="Học bù")
    with pytest.raises(services.InspectionRefused):
        services.create_inspection(unit=unit, plan=None, held_on=dt.date(2026, 3, 1), inspectors="x", findings="y",
                                   conclusion=Conclusion.praise, follow_up="Học bù", follow_up_due=dt.date(2026, 2, 1))
    assert db.session.scalar(sa.select(sa.func.count(Inspection.id))) == 0


def test_marking_a_follow_up_done_keeps_the_note_once(app, client, town) -> None:
    inspection = make(app, town["a"], follow_up="Học bù", follow_up_due=dt.date(2026, 4, 1))
    client.set_cookie("lh_lang", "en")
    login(client, "bithu1")
    empty = post(client, f"/inspections/{inspection.id}/follow-up", {"note": "  "})
    assert empty.status_code == 400 and "Say briefly what was done" in empty.get_data(as_text=True)
    assert inspections(app)[0].follow_up_done_at is None

    assert post(client, f"/inspections/{inspection.id}/follow-up", {"note": "Đã học bù ngày 20/3"}).status_code == 302
    [done] = inspections(app)
    assert done.follow_up_done_at is not None and done.follow_up_note == "Đã học bù ngày 20/3"
    assert audit_actions(app) == ["inspection.follow_up_done"]
    assert "Đã học bù ngày 20/3" in client.get(f"/inspections/{inspection.id}").get_data(as_text=True)

    again = post(client, f"/inspections/{inspection.id}/follow-up", {"note": "Lần nữa"})
    assert again.status_code == 400
    assert inspections(app)[0].follow_up_note == "Đã học bù ngày 20/3"

    none = make(app, town["a"])
    assert post(client, f"/inspections/{none.id}/follow-up", {"note": "x"}).status_code == 400


def test_open_follow_ups_come_earliest_first_with_the_overdue_marked(app, client, town) -> None:
    late = make(app, town["a"], follow_up="Việc quá hạn", follow_up_due=TODAY - dt.timedelta(days=3),
                held_on=TODAY - dt.timedelta(days=30))
    soon = make(app, town["a"], follow_up="Việc sắp đến hạn", follow_up_due=TODAY + dt.timedelta(days=5),
                held_on=TODAY - dt.timedelta(days=10))
    make(app, town["a"], follow_up="Việc đã xong", follow_up_due=TODAY - dt.timedelta(days=9),
         follow_up_done_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), follow_up_note="Xong")
    make(app, town["b"], follow_up="Việc của khu phố 2", follow_up_due=TODAY - dt.timedelta(days=1))
    make(app, town["a"])  # no follow-up at all

    login(client, "bithu1")
    html = client.get("/inspections/follow-ups").get_data(as_text=True)
    assert html.index("Việc quá hạn") < html.index("Việc sắp đến hạn")
    assert "Việc đã xong" not in html and "Việc của khu phố 2" not in html
    assert html.count('data-testid="overdue"') == 1
    overdue_row = html[html.index('data-testid="overdue"'):html.index("Việc sắp đến hạn")]
    assert "Việc quá hạn" in overdue_row
    assert f"/inspections/{late.id}" in html and f"/inspections/{soon.id}" in html

    town_view = app.test_client()
    login(town_view, "capuy")
    html = town_view.get("/inspections/follow-ups").get_data(as_text=True)
    assert "Việc của khu phố 2" in html and html.count('data-testid="overdue"') == 2


def test_the_list_filters_by_unit_year_and_conclusion(app, client, town) -> None:
    make(app, town["a"], inspectors="Đoàn A 2025", held_on=dt.date(2025, 5, 1), conclusion=Conclusion.praise)
    make(app, town["a"], inspectors="Đoàn A 2026", held_on=dt.date(2026, 5, 1), conclusion=Conclusion.criticise)
    make(app, town["b"], inspectors="Đoàn B 2026", held_on=dt.date(2026, 6, 1), conclusion=Conclusion.criticise)
    login(client, "capuy")

    def shown(query: str) -> set[str]:
        html = client.get(f"/inspections/{query}").get_data(as_text=True)
        return {name for name in ("Đoàn A 2025", "Đoàn A 2026", "Đoàn B 2026") if name in html}

    assert shown("") == {"Đoàn A 2025", "Đoàn A 2026", "Đoàn B 2026"}
    assert shown("?year=2026") == {"Đoàn A 2026", "Đoàn B 2026"}
    assert shown("?conclusion=criticise") == {"Đoàn A 2026", "Đoàn B 2026"}
    assert shown(f"?unit={town['a'].id}&year=2026") == {"Đoàn A 2026"}
    assert shown(f"?unit={town['root'].id}&conclusion=praise") == {"Đoàn A 2025"}
    assert client.get("/inspections/?conclusion=khen").status_code == 400
    assert client.get("/inspections/?year=99999").status_code == 400
