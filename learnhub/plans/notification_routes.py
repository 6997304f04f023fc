"""Notifications for the signed-in user (list, mark read, unread count) and urging a plan's members."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, has_request_context, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from learnhub.auth.models import Role
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.notifications import Notification
from learnhub.notify.sender import BadReminderSettings
from learnhub.numbers import query_id
from learnhub.plans import access
from learnhub.plans.reminders import ReminderRefused, send_reminders
from learnhub.security import roles_required

bp = Blueprint("notifications", __name__)
SHOWN = 200  # the newest; older ones are rarely wanted and the page stays light


@bp.app_context_processor
def unread_notifications() -> dict[str, int]:
    """``unread_count`` for the signed-in user in every template, counted in one query."""
    if not has_request_context() or not current_user.is_authenticated:
        return {"unread_count": 0}
    count = db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == current_user.id, Notification.read_at.is_(None)
        )
    )
    return {"unread_count": count or 0}


@bp.get("/notifications")
@login_required
def index():
    notifications = db.session.scalars(
        access.own_notifications(current_user)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(SHOWN)
    ).all()
    return render_template("notifications/index.html", notifications=notifications)


@bp.post("/notifications/read")
@login_required
def mark_read():
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.post("/plans/<int:plan_id>/remind")
@roles_required(Role.committee)
def remind(plan_id: int):
    plan = access.get_plan_or_404(plan_id, current_user)
    unit = access.get_dashboard_unit_or_404(plan, query_id("unit"), current_user)
    try:
        count = send_reminders(plan, unit, current_user)
    except ReminderRefused:
        flash(_("Reminders can only be sent for an open plan."), "error")
    except BadReminderSettings as error:  # read before anything is written or sent
        db.session.rollback()
        flash(_("No reminder was sent: the reminder settings need correcting (%(problem)s).", problem=str(error)),
              "error")
    else:
        db.session.commit()
        if count:
            flash(ngettext("%(num)d member was reminded.", "%(num)d members were reminded.", count), "success")
        else:
            flash(_("Nobody was reminded: everyone has completed or was already reminded today."), "info")
    return redirect(url_for("plans.dashboard", plan_id=plan.id, unit=unit.id))
