"""Planning conferences: create, change, cancel, and a new check-in token; the web calls these.

Services only flush; the view commits once. Times are aware datetimes (the form reads them in
Asia/Ho_Chi_Minh) and are stored in UTC.
"""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from learnhub import audit
from learnhub.auth.models import User
from learnhub.conferences.models import Conference, ConferencePresenter, ConferenceUnit
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.plans.models import StudyForm, StudyPlan

LONGEST = dt.timedelta(days=7)  # longer is a typing mistake, and would keep check-in open for weeks


class ConferenceRefused(ValueError):
    """A conference that cannot be saved or changed as asked; ``args[0]`` is a code the view explains."""


def new_token() -> str:
    """A fresh secret for the check-in link (32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


def _check(title: str, starts_at: dt.datetime, ends_at: dt.datetime, invited_units: Sequence[Unit]) -> None:
    if not title.strip():
        raise ConferenceRefused("title")
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("conference times must be timezone-aware")
    if ends_at <= starts_at:
        raise ConferenceRefused("ends_before_start")
    if ends_at - starts_at > LONGEST:
        raise ConferenceRefused("too_long")
    if not invited_units:
        raise ConferenceRefused("no_units")


def _snapshot(conference: Conference) -> dict:
    """What the audit log keeps of a conference before and after a change."""
    return {
        "title": conference.title, "unit_id": conference.unit_id, "plan_id": conference.plan_id,
        "starts_at": conference.starts_at.astimezone(dt.UTC).isoformat(),
        "ends_at": conference.ends_at.astimezone(dt.UTC).isoformat(),
        "place": conference.place, "form": conference.form.value, "presenters": conference.presenters,
        "agenda": conference.agenda, "invited": sorted(link.unit_id for link in conference.invited_units),
        "presenter_accounts": sorted(link.user_id for link in conference.presenter_links),
    }


def create_conference(
    *,
    unit: Unit,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    invited_units: Sequence[Unit],
    plan: StudyPlan | None = None,
    place: str = "",
    form: StudyForm = StudyForm.in_person,
    presenters: str = "",
    presenter_accounts: Sequence[User] = (),
    agenda: str = "",
    created_by: User | None = None,
) -> Conference:
    """Add a conference organised by ``unit`` for the members of ``invited_units``; only flushes."""
    _check(title, starts_at, ends_at, invited_units)
    conference = Conference(
        unit_id=unit.id, plan_id=plan.id if plan else None, title=title.strip(), starts_at=starts_at,
        ends_at=ends_at, place=place.strip(), form=form, presenters=presenters.strip(), agenda=agenda,
        check_in_token=new_token(), created_by_id=created_by.id if created_by else None,
        invited_units=[ConferenceUnit(unit_id=u.id) for u in {u.id: u for u in invited_units}.values()],
        presenter_links=[ConferencePresenter(user_id=p.id) for p in {p.id: p for p in presenter_accounts}.values()],
    )
    db.session.add(conference)
    db.session.flush()
    audit.record("conference.create", object_type="conference", object_id=conference.id,
                 summary=audit.N_("created conference %(title)s"), params={"title": conference.title}, after=_snapshot(conference))
    return conference


def update_conference(
    conference: Conference,
    *,
    invited_units: Sequence[Unit],
    presenter_accounts: Sequence[User],
    plan: StudyPlan | None,
    **values,
) -> bool:
    """Change a conference that is not cancelled; only flushes. False when nothing changed."""
    if conference.cancelled_at is not None:
        raise ConferenceRefused("cancelled")
    _check(values["title"], values["starts_at"], values["ends_at"], invited_units)
    before = _snapshot(conference)
    values["title"] = values["title"].strip()
    for key, value in values.items():
        setattr(conference, key, value)
    conference.plan_id = plan.id if plan else None
    wanted = {u.id for u in invited_units}
    conference.invited_units = [link for link in conference.invited_units if link.unit_id in wanted] + [
        ConferenceUnit(unit_id=unit_id) for unit_id in wanted - {link.unit_id for link in conference.invited_units}
    ]
    people = {p.id for p in presenter_accounts}
    conference.presenter_links = [link for link in conference.presenter_links if link.user_id in people] + [
        ConferencePresenter(user_id=user_id)
        for user_id in people - {link.user_id for link in conference.presenter_links}
    ]
    db.session.flush()
    after = _snapshot(conference)
    if after == before:
        return False
    audit.record("conference.update", object_type="conference", object_id=conference.id,
                 summary=audit.N_("changed conference %(title)s"), params={"title": conference.title}, before=before, after=after)
    return True


def cancel_conference(conference: Conference, *, now: dt.datetime | None = None) -> bool:
    """Cancel the conference (its check-in link stops working); False when it already was."""
    if conference.cancelled_at is not None:
        return False
    conference.cancelled_at = now or utcnow()
    audit.record("conference.cancel", object_type="conference", object_id=conference.id,
                 summary=audit.N_("cancelled conference %(title)s"), params={"title": conference.title})
    return True


def regenerate_token(conference: Conference) -> str:
    """A new check-in link: QR codes shown or printed before stop working."""
    conference.check_in_token = new_token()
    audit.record("conference.token", object_type="conference", object_id=conference.id,
                 summary=audit.N_("new check-in link for %(title)s"), params={"title": conference.title})
    return conference.check_in_token
