"""A member's reminder choices and calendar addresses; the committee's reminder delivery log."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from learnhub.auth.models import Role, User
from learnhub.exports import table_response
from learnhub.extensions import db
from learnhub.forms import options
from learnhub.notify import bp, calendar
from learnhub.notify.access import get_own_feed_or_404, may_have_unit_feed, visible_deliveries
from learnhub.notify.forms import (
    CHANNEL_LABELS,
    STATUS_LABELS,
    FeedForm,
    LogFilterForm,
    PreferenceForm,
)
from learnhub.notify.models import ChannelName, ReminderDelivery, ReminderPreference
from learnhub.notify.stop import get_member_by_stop_token_or_404, preference_of, stop_all
from learnhub.numbers import query_page
from learnhub.orgs.models import Unit, UnitAssignment
from learnhub.phones import mobile_or_none
from learnhub.plans.models import StudyPlan
from learnhub.security import get_unit_in_scope_or_404, roles_required

NEW_FEED = "notify_new_feed"  # the session key that carries a new address to the page, shown once


def _feed_units() -> list[Unit]:
    """The units whose calendar the viewer may subscribe to: those they are responsible for."""
    if not current_user.has_role(Role.committee):
        return []
    statement = sa.select(Unit).order_by(Unit.name, Unit.id)
    if current_user.role == Role.admin:
        return list(db.session.scalars(statement.where(Unit.parent_id.is_(None))))
    assigned = sa.select(UnitAssignment.unit_id).where(UnitAssignment.user_id == current_user.id)
    return list(db.session.scalars(statement.where(Unit.id.in_(assigned))))


@bp.route("/account/reminders", methods=["GET", "POST"])
@login_required
def preferences():
    preference = db.session.get(ReminderPreference, current_user.id)
    form = PreferenceForm(data=None if request.method == "POST" else {
        "preferred": preference.preferred.value if preference and preference.preferred else "",
        **{c.value: c.value not in (preference.opted_out if preference else []) for c in ChannelName}})
    if form.validate_on_submit():
        preference = preference or preference_of(current_user.id)
        preference.preferred = ChannelName(form.preferred.data) if form.preferred.data else None
        preference.opted_out = [c.value for c in ChannelName if not form[c.value].data]
        db.session.commit()
        flash(_("Your reminder choices are saved."), "success")
        return redirect(url_for("notify.preferences"))
    feed_form = FeedForm()
    units = _feed_units()
    feed_form.unit.choices = options([("", _("My own study"))] + [(u.id, u.name) for u in units])
    return render_template("notify/preferences.html", form=form, feed_form=feed_form,
                           feeds=calendar.active_feeds(current_user), new_feed=session.pop(NEW_FEED, None),
                           channel_labels=CHANNEL_LABELS, mobile=mobile_or_none(current_user.phone)), \
        400 if form.errors else 200


@bp.post("/account/calendar")
@login_required
def new_feed():
    form = FeedForm()
    form.unit.choices = options([("", "")] + [(u.id, u.name) for u in _feed_units()])
    if not form.validate():
        abort(400)
    unit = get_unit_in_scope_or_404(form.unit.data) if form.unit.data else None
    if unit is not None and not may_have_unit_feed(current_user, unit.id):
        abort(404)
    token = calendar.new_feed(current_user, unit)
    db.session.commit()
    session[NEW_FEED] = url_for("notify.feed", token=token, _external=True)
    flash(_("Your new calendar address is below. Any address made before it no longer works."), "success")
    return redirect(url_for("notify.preferences"))


@bp.post("/account/calendar/<int:feed_id>/revoke")
@login_required
def revoke_feed(feed_id: int):
    feed = get_own_feed_or_404(feed_id, current_user)
    unit = db.session.get(Unit, feed.unit_id) if feed.unit_id else None
    calendar.revoke_feeds(current_user, unit)
    db.session.commit()
    flash(_("The calendar address no longer works."), "success")
    return redirect(url_for("notify.preferences"))


@bp.get("/reminders/log")
@roles_required(Role.committee)
def log():
    form = LogFilterForm(request.args)
    statement = visible_deliveries(current_user).order_by(ReminderDelivery.created_at.desc(),
                                                          ReminderDelivery.id.desc())
    valid = form.validate()
    if valid and form.status.data:
        statement = statement.where(ReminderDelivery.status == form.status.data)
    if valid and form.channel.data:
        statement = statement.where(ReminderDelivery.channel == form.channel.data)
    download = request.args.get("download")
    if download in ("csv", "xlsx") and valid:
        return _download(download, statement)
    page = db.paginate(statement, page=query_page(), per_page=50, max_per_page=50)
    ids = {d.user_id for d in page.items}
    plan_ids = {d.plan_id for d in page.items}
    names = dict(db.session.execute(sa.select(User.id, User.full_name).where(User.id.in_(ids))).tuples().all())
    plans = dict(db.session.execute(sa.select(StudyPlan.id, StudyPlan.title).where(StudyPlan.id.in_(plan_ids))).tuples().all())
    return render_template("notify/log.html", form=form, page=page, names=names, plans=plans, channel_labels=CHANNEL_LABELS,
                           status_labels=STATUS_LABELS), 200 if valid else 400


DOWNLOAD_LIMIT = 50_000  # the newest; a province's month of reminders


def _download(fmt: str, statement: sa.Select[tuple[ReminderDelivery]]):
    """The filtered log as .csv or .xlsx, read in one query (names and plans joined in SQL)."""
    rows = db.session.execute(
        statement.join(StudyPlan, StudyPlan.id == ReminderDelivery.plan_id)
        .with_only_columns(ReminderDelivery.day, User.full_name, User.username, StudyPlan.title,
                           ReminderDelivery.channel, ReminderDelivery.status, ReminderDelivery.reason,
                           ReminderDelivery.provider_id)
        .limit(DOWNLOAD_LIMIT)).all()
    headers = [_("Day"), _("Member"), _("Username"), _("Study plan"), _("Channel"), _("Status"), _("Reason"),
               _("Message id")]
    return table_response(fmt, "nhat-ky-nhac-nho", headers, [
        (row.day, row.full_name, row.username, row.title, str(CHANNEL_LABELS[row.channel]) if row.channel else "",
         str(STATUS_LABELS[row.status]), row.reason, row.provider_id) for row in rows])


@bp.get("/reminders/stop/<token>")
def stop(token: str):
    """The link in a reminder: no sign-in, one button; the link allows nothing else."""
    get_member_by_stop_token_or_404(token)
    return render_template("notify/stop.html", done=False)


@bp.post("/reminders/stop/<token>")
def confirm_stop(token: str):
    stop_all(get_member_by_stop_token_or_404(token))
    db.session.commit()
    return render_template("notify/stop.html", done=True)
