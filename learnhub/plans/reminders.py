"""Urging ("đôn đốc") the members of a unit who have not completed a plan: a notification and an e-mail."""
from __future__ import annotations

import datetime as dt
import logging
import smtplib

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from learnhub import audit
from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.mail import mail_configured, send_mail
from learnhub.notifications import Notification
from learnhub.orgs.models import Unit
from learnhub.plans.completion import member_progress
from learnhub.plans.models import PlanStatus, StudyPlan
from learnhub.plans.steps import members_turn, remaining_steps, step_columns
from learnhub.settings import get_setting, local_midnight, local_today

log = logging.getLogger(__name__)
KIND = "reminder"


class ReminderRefused(ValueError):
    """Reminders are only sent for open plans: members see no other plan on their home page."""


def reminder_link(plan: StudyPlan) -> str:
    """The member's home page at the plan's card; it also tells one plan's reminders from another's."""
    return f"/#plan-{plan.id}"  # a plain path: the service also runs outside requests (CLI)


def _day_start(today: dt.date) -> dt.datetime:
    """Midnight of ``today`` in local time, as UTC: "the same day" is the members' calendar day."""
    return local_midnight(today)


def _to_remind(plan: StudyPlan, unit: Unit, today: dt.date) -> list[tuple[int, str | None]]:
    """(user id, e-mail) of the unit's roster members not completed, with a step that is theirs to
    do (not only a reflection awaiting review), and not yet reminded today."""
    progress = member_progress(plan, within=unit.id)
    reminded_today = sa.select(Notification.user_id).where(
        Notification.kind == KIND, Notification.link == reminder_link(plan),
        Notification.created_at >= _day_start(today),
    )
    rows = db.session.execute(
        sa.select(progress.c.user_id, User.email, *step_columns(progress))
        .join(User, User.id == progress.c.user_id)
        .where(progress.c.completed_at.is_(None), progress.c.user_id.not_in(reminded_today))
        .order_by(progress.c.user_id)
    ).all()
    return [(row.user_id, row.email) for row in rows if members_turn(remaining_steps(plan, row))]


def _send_emails(addresses: list[str], subject: str, body: str) -> int:
    """Send each message; log failures and stop at the first that is not one refused address."""
    sent = 0
    for address in addresses:
        try:
            send_mail(address, subject, body)
        except smtplib.SMTPRecipientsRefused:
            log.warning("the mail server refused the reminder to %s", address)
        except OSError:  # includes SMTPException: the server is down or refuses us; don't wait on each
            log.exception("could not send reminder e-mails; %d left unsent", len(addresses) - sent)
            break
        else:
            sent += 1
    return sent


def send_reminders(plan: StudyPlan, unit: Unit, actor: User | None, today: dt.date | None = None) -> int:
    """Notify (and e-mail) ``unit``'s members not yet completed; returns how many; only flushes."""
    if plan.status != PlanStatus.open:
        raise ReminderRefused(plan.status.value)
    today = today or local_today()
    members = _to_remind(plan, unit, today)
    # Stored text is read later by someone else: write it in the site's language, not the sender's.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        title = _("Reminder: %(plan)s", plan=plan.title)
        body = _("You have not yet completed the study plan “%(plan)s”. Please complete it by %(date)s.",
                 plan=plan.title, date=f"{plan.due_on:%d/%m/%Y}")
        mail_body = _("%(body)s\n\nOpen LearnHub to continue: %(link)s", body=body,
                      link=str(get_setting("public_url")).rstrip("/") + reminder_link(plan))
    db.session.add_all(
        Notification(user_id=user_id, kind=KIND, title=title, body=body, link=reminder_link(plan))
        for user_id, _email in members
    )
    emailed = 0
    addresses = [email for _user_id, email in members if email]
    if addresses and mail_configured():
        emailed = _send_emails(addresses, title, mail_body)
    db.session.flush()
    audit.record(
        "plan.remind", object_type="plan", object_id=plan.id, actor=actor,
        summary=audit.N_("reminded %(count)s members of %(name)s about plan %(title)s"), params={"count": len(members), "name": unit.name, "title": plan.title},
        after={"unit_id": unit.id, "reminded": len(members), "emailed": emailed},
    )
    return len(members)
