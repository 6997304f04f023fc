"""The XSS corpus through what committees and members type besides Markdown: unit and member names,
reflections and imported member lists. Every page that shows them carries no executable markup."""
from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser

import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.plans.models import Criterion, PlanStatus, Reflection, ReflectionStatus
from learnhub.plans.services import create_plan, set_status
from tests.conftest import csrf_token, login
from tests.xss import load_payloads

MAIN = re.compile(r'<main class="lh-main" id="main">(.*)</main>', re.S)
FORBIDDEN = {"script", "iframe", "object", "embed", "frame", "frameset", "base", "meta", "link", "style", "svg",
             "math", "template", "noscript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}


class _Inert(HTMLParser):
    """Flags what could run script in a page's main region; LearnHub's own forms and inputs are fine."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            clean = "".join((value or "").split()).lower()
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag} {name}=")
            elif name in URL_ATTRIBUTES and clean.startswith(("javascript:", "vbscript:", "data:")):
                self.problems.append(f"{tag} {name}={value!r}")


def main_part(html: str) -> str:
    """The page's own content: the layout around it carries LearnHub's script tag by design."""
    match = MAIN.search(html)
    assert match, "the page has its main region"
    return match.group(1)


def assert_no_executable_html(html: str, context: str) -> None:
    parser = _Inert()
    parser.feed(html)
    parser.close()
    assert parser.problems == [], f"{context}: {parser.problems[:5]}"


def test_names_and_reflections_from_the_corpus_render_inert(app: Flask, town, make_course) -> None:
    payloads = load_payloads()[::3]  # a third of the corpus: every kind of trick, a quick test
    course = make_course(lessons=1)
    with app.app_context():
        root = db.session.get(Unit, town["root"].id)
        cell = db.session.get(Unit, town["a"].id)
        cell.name = payloads[0][:200]
        hai = db.session.get(User, town["member_a"].id)
        hai.full_name = payloads[1][:200]
        plan = create_plan(unit=root, course=db.session.get(type(course), course.id), title=payloads[2][:300],
                           opens_on=dt.date(2026, 1, 1), due_on=dt.date(2026, 12, 31), target_units=[root],
                           criteria=(Criterion.lessons,))
        set_status(plan, PlanStatus.open)
        reflection = Reflection(plan_id=plan.id, user_id=hai.id, learned="\n".join(payloads),
                                application=payloads[3], commitment=payloads[4], status=ReflectionStatus.submitted,
                                submitted_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
        db.session.add(reflection)
        db.session.commit()
        plan_id, reflection_id, member_id = plan.id, reflection.id, hai.id
    client = app.test_client()
    login(client, "capuy")
    for url in ("/members/", f"/members/{member_id}", "/units/", f"/plans/{plan_id}", f"/plans/{plan_id}/print",
                f"/plans/{plan_id}/reflections", f"/plans/{plan_id}/reflections/{reflection_id}",
                f"/reports/year?unit={town['root'].id}&year=2026"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_executable_html(main_part(response.get_data(as_text=True)), url)


def test_an_imported_member_list_full_of_payloads_previews_inert(app: Flask, town) -> None:
    payloads = [p for p in load_payloads() if len(p) <= 200][:60]
    rows = ["full_name,unit,category"] + [
        '"{}",Chi bộ Khu phố 1,party_member'.format(p.replace('"', '""')) for p in payloads]
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    client = app.test_client()
    login(client, "capuy")
    response = client.post("/members/import/", data={
        "csrf_token": csrf_token(client, "/members/import/"), "unit": str(town["root"].id),
        "file": (io.BytesIO("\n".join(rows).encode("utf-8")), "danh-sach.csv")},
        content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code in (200, 400)
    assert_no_executable_html(main_part(response.get_data(as_text=True)), "import preview")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == before  # a preview writes nothing
    assert "&lt;script" in response.get_data(as_text=True)  # the names are shown, escaped


def test_what_the_new_pages_show_from_the_corpus_renders_inert(app: Flask, town, make_course) -> None:
    """Plan parts and tasks, document settings, the delivery log, bulletins and broadcasts, each
    filled with payloads, on every page that shows them (review comments: tests/authoring/test_reviews.py)."""
    from learnhub.documents.models import DocumentSettings
    from learnhub.notify.models import ChannelName, DeliveryStatus, ReminderDelivery
    from learnhub.outreach.models import Broadcast, Bulletin

    payloads = load_payloads()[1::3]
    course = make_course(lessons=1)
    with app.app_context():
        root = db.session.get(Unit, town["root"].id)
        cell = db.session.get(Unit, town["a"].id)
        text = "\n".join(payloads[:40])
        parts = {name: payloads[i][:300] for i, name in enumerate(("presenters", "time_of_day", "place"), start=5)}
        parts["time_of_day"] = parts["time_of_day"][:60]
        plan = create_plan(unit=root, course=db.session.get(type(course), course.id), title=payloads[2][:300],
                           opens_on=dt.date(2026, 1, 1), due_on=dt.date(2026, 12, 31), target_units=[root],
                           criteria=(Criterion.lessons,),
                           purpose=text, requirements=text, content=text, decoration=text,
                           tasks=[(cell, payload) for payload in payloads[:20]], **parts)
        draft = create_plan(unit=root, course=db.session.get(type(course), course.id), title=payloads[3][:300],
                            opens_on=dt.date(2026, 1, 1), due_on=dt.date(2026, 12, 31), target_units=[root],
                           criteria=(Criterion.lessons,),
                            decoration=text, tasks=[(cell, payloads[8])])
        set_status(plan, PlanStatus.open)
        db.session.add(DocumentSettings(unit_id=root.id, superior_organ=payloads[9][:200], issuing_organ=payloads[10][:200],
                                        abbreviation=payloads[11][:20], place=payloads[12][:100],
                                        on_behalf=payloads[13][:100], signer_title=payloads[14][:100],
                                        signer_name=payloads[15][:200], recipients=text))
        member = db.session.get(User, town["member_a"].id)
        member.full_name = payloads[16][:200]
        db.session.add(ReminderDelivery(user_id=member.id, plan_id=plan.id, day=dt.date(2026, 5, 1),
                                        channel=ChannelName.sms, status=DeliveryStatus.failed,
                                        reason=payloads[17][:500], provider_id=payloads[18][:100]))
        db.session.add(Bulletin(course_id=course.id, unit_id=root.id, title=payloads[19][:300], key_points=text,
                                script=text))
        db.session.add(Broadcast(unit_id=root.id, course_id=course.id, held_on=dt.date(2026, 5, 1),
                                 area=payloads[20][:200], minutes=10))
        db.session.commit()
        plan_id, draft_id, slug = plan.id, draft.id, course.slug
    client = app.test_client()
    login(client, "capuy")
    urls = [f"/plans/{plan_id}", f"/plans/{plan_id}/print", f"/plans/{plan_id}/edit", f"/plans/{draft_id}/delete",
            f"/plans/{draft_id}/print", f"/documents/units/{town['root'].id}/settings", "/reminders/log",
            f"/outreach/bulletins/{slug}/{town['root'].id}", "/outreach/broadcasts?year=2026"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_executable_html(main_part(response.get_data(as_text=True)), url)
