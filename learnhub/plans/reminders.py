"""Urging ("đôn đốc") the members of a unit who have not completed a plan, now: through the notifier
(learnhub/notify/sender.py), so members' channel choices, opt-outs and the one reminder a member, plan
and day hold for the committee's button as for the scheduled reminders."""
from __future__ import annotations

import datetime as dt

from learnhub import audit
from learnhub.auth.models import User
from learnhub.notify.sender import remind_now
from learnhub.orgs.models import Unit
from learnhub.plans.models import PlanStatus, StudyPlan


class ReminderRefused(ValueError):
    """Reminders are only sent for open plans: members see no other plan on their home page."""


def send_reminders(plan: StudyPlan, unit: Unit, actor: User | None, today: dt.date | None = None) -> int:
    """Remind ``unit``'s members not yet completed and not yet reminded today about ``plan``; returns
    how many were sent a message. Each delivery is committed before its message leaves."""
    if plan.status != PlanStatus.open:
        raise ReminderRefused(plan.status.value)
    summary = remind_now(plan, within=unit.id, today=today)
    audit.record(
        "plan.remind", object_type="plan", object_id=plan.id, actor=actor,
        summary=audit.N_("reminded %(count)s members of %(name)s about plan %(title)s"),
        params={"count": summary.sent, "name": unit.name, "title": plan.title},
        after={"unit_id": unit.id, "reminded": summary.sent, "failed": summary.failed, "skipped": summary.skipped,
               "by_channel": dict(sorted(summary.by_channel.items()))},
    )
    return summary.sent
