"""`learnhub reminders send`: each member of an open plan due soon gets what they still have to do,
at most once per member, plan and day, outside the quiet hours, by the channel that reaches them."""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.notify.channels import CHANNELS, Channel, DeliveryFailed, Message, Recipient
from learnhub.notify.models import ChannelName, DeliveryStatus, ReminderDelivery, ReminderPreference
from learnhub.notify.stop import stop_token
from learnhub.phones import mobile_or_none
from learnhub.plans.kept import kept_progress
from learnhub.plans.missing import progress_of_members
from learnhub.plans.models import PlanStatus, StudyPlan
from learnhub.plans.steps import Step, describe, members_turn, remaining_steps, step_columns
from learnhub.settings import get_setting, local_zone

log = logging.getLogger(__name__)
_HOURS = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")


class BadReminderSettings(ValueError):
    """A reminder setting LearnHub cannot read (the message names it)."""


@dataclass
class Summary:
    """What a run did (or, dry, would do): the command prints it as JSON."""

    sent: int = 0
    by_channel: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"sent": self.sent, "by_channel": dict(sorted(self.by_channel.items())), "skipped": self.skipped}


def quiet_hours() -> tuple[dt.time, dt.time] | None:
    """The REMINDER_QUIET_HOURS setting as (start, end), None when empty."""
    spec = str(current_app.config["REMINDER_QUIET_HOURS"] or "")
    if not spec.strip():
        return None
    match = _HOURS.fullmatch(spec)
    try:
        if match is None:
            raise ValueError(spec)
        return dt.time(int(match[1]), int(match[2])), dt.time(int(match[3]), int(match[4]))
    except ValueError:
        raise BadReminderSettings(f"REMINDER_QUIET_HOURS: {spec!r} is not HH:MM-HH:MM") from None


def is_quiet(moment: dt.time) -> bool:
    """Whether a local time of day falls in the quiet hours (which may run past midnight)."""
    hours = quiet_hours()
    if hours is None:
        return False
    start, end = hours
    return start <= moment < end if start <= end else moment >= start or moment < end


def channel_order() -> list[ChannelName]:
    """REMINDER_CHANNELS as channel names; an unknown name is refused."""
    names = current_app.config["REMINDER_CHANNELS"]
    if isinstance(names, str):
        names = [name.strip() for name in names.split(",") if name.strip()]
    try:
        return [ChannelName(name) for name in names]
    except ValueError:
        raise BadReminderSettings(f"REMINDER_CHANNELS: use some of {', '.join(ChannelName)}") from None


def check_templates() -> None:
    """Refuse, before anything is sent, an SMS body or Zalo template data that is not JSON."""
    config = current_app.config
    for key in ("SMS_GATEWAY_BODY", "SMS_GATEWAY_HEADERS", "ZALO_TEMPLATE_DATA"):
        value = config[key]
        try:
            parsed = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            raise BadReminderSettings(f"{key}: not JSON") from None
        if key != "SMS_GATEWAY_BODY" and not isinstance(parsed, dict):
            raise BadReminderSettings(f"{key}: not a JSON object")


def choose_channel(recipient: Recipient, preference: ReminderPreference | None,
                   order: list[ChannelName]) -> Channel | None:
    """The member's preferred channel, else the first in ``order``, that is set up, reaches them and
    that they have not turned off; None when none does."""
    opted_out = set(preference.opted_out) if preference else set()
    first = [preference.preferred] if preference and preference.preferred else []
    for name in first + order:
        channel = CHANNELS[name]
        if name not in opted_out and channel.configured() and channel.reaches(recipient):
            return channel
    return None


def reminder_link(plan: StudyPlan) -> str:
    """The member's home page at the plan's card; it also tells one plan's reminders from another's."""
    return f"/#plan-{plan.id}"  # a plain path: the service also runs outside requests (CLI)


def due_plans(today: dt.date, days: int) -> list[StudyPlan]:
    """Open plans already open and due between today and ``days`` days from now."""
    return list(db.session.scalars(
        sa.select(StudyPlan).where(StudyPlan.status == PlanStatus.open, StudyPlan.opens_on <= today,
                                   StudyPlan.due_on.between(today, today + dt.timedelta(days=days)))
        .order_by(StudyPlan.due_on, StudyPlan.id)))


def to_remind(plan: StudyPlan, within: int | None = None) -> Iterator[tuple[Recipient, tuple[Step, ...]]]:
    """The roster members (of unit ``within`` and below, when given) not completed with a step that
    is theirs to do, and those steps. The kept rows tell who has not completed; their steps are
    computed for them alone, a chunk of members at a time."""
    kept = kept_progress(plan, within=within)
    waiting = list(db.session.scalars(
        sa.select(kept.c.user_id).where(kept.c.completed_at.is_(None)).order_by(kept.c.user_id)))
    for progress in progress_of_members(plan, waiting, within=within):
        yield from _reminded(plan, db.session.execute(
            sa.select(progress.c.user_id, User.full_name, User.phone, User.email, *step_columns(progress))
            .join(User, User.id == progress.c.user_id)
            .where(progress.c.completed_at.is_(None))
            .order_by(progress.c.user_id)
        ))


def _reminded(plan: StudyPlan, rows) -> Iterator[tuple[Recipient, tuple[Step, ...]]]:
    """The rows' members with a step of their own to do, and those steps."""
    for row in rows:
        steps = remaining_steps(plan, row)
        if members_turn(steps):
            yield Recipient(row.user_id, row.full_name, mobile_or_none(row.phone), row.email or None), steps


def compose(plan: StudyPlan, recipient: Recipient, steps: tuple[Step, ...], today: dt.date) -> Message:
    """The reminder in the organisation's language (it is read outside any request), with a link to
    the plan and one that stops reminders without signing in."""
    site = str(get_setting("public_url")).rstrip("/")
    url, stop_url = site + reminder_link(plan), f"{site}/reminders/stop/{stop_token(recipient.user_id)}"
    due = f"{plan.due_on:%d/%m/%Y}"
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        todo = describe(steps)
        title = _("Reminder: %(plan)s", plan=plan.title)
        text = _("%(name)s, the study plan “%(plan)s” is due on %(date)s. Still to do: %(steps)s.",
                 name=recipient.name, plan=plan.title, date=due, steps=todo)
        stop_line = _("To stop these reminders: %(link)s", link=stop_url)
    footer = str(current_app.config["SMS_FOOTER"] or "") or stop_line
    return Message(title=title, text=text, email=f"{text}\n\n{url}\n\n{stop_line}",
                   short=f"{text} {url} {footer}", link=reminder_link(plan), url=url,
                   fields={"name": recipient.name, "plan": plan.title, "due": due, "steps": todo, "link": url,
                           "stop": stop_url, "tracking": f"{plan.id}-{today.isoformat()}"})


def _claim(recipient: Recipient, plan: StudyPlan, today: dt.date, channel: Channel | None) -> ReminderDelivery | None:
    """Write the day's one delivery row before sending; None when another run already holds it."""
    delivery = ReminderDelivery(
        user_id=recipient.user_id, plan_id=plan.id, day=today,
        channel=channel.name if channel else None,
        status=DeliveryStatus.sending if channel else DeliveryStatus.skipped,
        reason="" if channel else "no channel reaches the member or all are turned off",
    )
    try:
        with db.session.begin_nested():
            db.session.add(delivery)
    except IntegrityError:
        return None
    return delivery


def send_due_reminders(*, now: dt.datetime | None = None, dry_run: bool = False,
                       commit: Callable[[], None] | None = None,
                       progress: Callable[[str], None] = lambda _line: None) -> Summary:
    """Remind every member of open plans due within REMINDER_DAYS days. Each delivery row is
    committed (``commit``) before its message leaves, so an overlapping run finds it taken and a
    crash never sends twice; a dry run reads only. A channel's failure is logged, never raised."""
    commit = commit or db.session.commit
    check_templates()
    local_now = (now or dt.datetime.now(dt.UTC)).astimezone(local_zone())
    today, order = local_now.date(), channel_order()
    quiet = is_quiet(local_now.time())
    summary = Summary()
    preferences = {p.user_id: p for p in db.session.scalars(sa.select(ReminderPreference))}
    for plan in due_plans(today, int(current_app.config["REMINDER_DAYS"])):
        done_today = set(db.session.scalars(sa.select(ReminderDelivery.user_id).where(
            ReminderDelivery.plan_id == plan.id, ReminderDelivery.day == today)))
        members = [(r, s) for r, s in to_remind(plan) if r.user_id not in done_today]
        progress(f"plan {plan.id} ({plan.title}): {len(members)} to remind, {len(done_today)} already today")
        if quiet:
            summary.skipped += len(members) + len(done_today)
            continue
        summary.skipped += len(done_today)
        for recipient, steps in members:
            channel = choose_channel(recipient, preferences.get(recipient.user_id), order)
            if dry_run:
                _count(summary, channel.name if channel else None, DeliveryStatus.sent if channel else DeliveryStatus.skipped)
                continue
            delivery = _claim(recipient, plan, today, channel)
            commit()
            if delivery is None:
                summary.skipped += 1
                continue
            if channel is not None:
                _deliver(channel, delivery, recipient, compose(plan, recipient, steps, today), progress)
                commit()
            _count(summary, delivery.channel, delivery.status)
    if quiet:
        progress("quiet hours: nothing sent")
    return summary


def remind_now(plan: StudyPlan, *, within: int, now: dt.datetime | None = None, today: dt.date | None = None,
               commit: Callable[[], None] | None = None) -> Summary:
    """The committee's "urge" button: the members of unit ``within`` (and below) that
    ``send_due_reminders`` would remind, now, whatever the due date, by the same channels, choices
    and opt-outs, sharing its one delivery a member, plan and day. Inside the quiet hours only the
    silent in-app channel is used. The caller checks the plan is open."""
    commit = commit or db.session.commit
    check_templates()
    local_now = (now or dt.datetime.now(dt.UTC)).astimezone(local_zone())
    today = today or local_now.date()
    quiet, order = is_quiet(local_now.time()), channel_order()
    done_today = set(db.session.scalars(sa.select(ReminderDelivery.user_id).where(
        ReminderDelivery.plan_id == plan.id, ReminderDelivery.day == today)))
    members = [(r, s) for r, s in to_remind(plan, within) if r.user_id not in done_today]
    preferences = {p.user_id: p for p in db.session.scalars(sa.select(ReminderPreference).where(
        ReminderPreference.user_id.in_([r.user_id for r, _steps in members])))}
    summary = Summary()
    for recipient, steps in members:
        preference = preferences.get(recipient.user_id)
        if quiet:  # in-app only, unless turned off
            opted_out = set(preference.opted_out) if preference else set()
            channel = None if ChannelName.in_app in opted_out else CHANNELS[ChannelName.in_app]
        else:
            channel = choose_channel(recipient, preference, order)
        delivery = _claim(recipient, plan, today, channel)
        commit()
        if delivery is None:  # a scheduled run took the member meanwhile
            continue
        if channel is not None:
            _deliver(channel, delivery, recipient, compose(plan, recipient, steps, today), lambda _line: None)
            commit()
        _count(summary, delivery.channel, delivery.status)
    return summary


def _deliver(channel: Channel, delivery: ReminderDelivery, recipient: Recipient, message: Message,
             progress: Callable[[str], None]) -> None:
    try:
        delivery.provider_id = channel.send(recipient, message)[:100]
    except DeliveryFailed as error:
        delivery.status, delivery.reason = DeliveryStatus.failed, str(error)[:500]
        progress(f"member {recipient.user_id}: {channel.name} failed: {error}")
    except Exception as error:  # a fault of ours must not stop the others' reminders: log it, go on
        log.exception("reminder to member %s by %s", recipient.user_id, channel.name)
        delivery.status, delivery.reason = DeliveryStatus.failed, f"{type(error).__name__}: {error}"[:500]
    else:
        delivery.status = DeliveryStatus.sent


def _count(summary: Summary, channel: ChannelName | None, status: DeliveryStatus) -> None:
    if status == DeliveryStatus.sent and channel is not None:
        summary.sent += 1
        summary.by_channel[channel.value] += 1
    elif status == DeliveryStatus.failed:
        summary.failed += 1
    else:
        summary.skipped += 1
