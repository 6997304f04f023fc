"""The reminder choices form, the calendar feed form and the delivery log's filter."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField
from wtforms.validators import Optional

from learnhub.forms import FlaskForm, coerce_id, options
from learnhub.notify.models import ChannelName, DeliveryStatus

CHANNEL_LABELS = {
    ChannelName.zalo: _l("Zalo message"),
    ChannelName.sms: _l("Text message (SMS)"),
    ChannelName.email: _l("E-mail"),
    ChannelName.in_app: _l("Notification on LearnHub"),
}
STATUS_LABELS = {
    DeliveryStatus.sending: _l("Sending"),
    DeliveryStatus.sent: _l("Sent"),
    DeliveryStatus.failed: _l("Failed"),
    DeliveryStatus.skipped: _l("Skipped"),
}


class PreferenceForm(FlaskForm):
    """How reminders reach the member: a preferred channel, and each channel on or off."""

    preferred = SelectField(_l("Remind me first by"),
                            choices=options([("", _l("The organisation's order"))]
                                            + [(c.value, label) for c, label in CHANNEL_LABELS.items()]))
    zalo = BooleanField(CHANNEL_LABELS[ChannelName.zalo])
    sms = BooleanField(CHANNEL_LABELS[ChannelName.sms])
    email = BooleanField(CHANNEL_LABELS[ChannelName.email])
    in_app = BooleanField(CHANNEL_LABELS[ChannelName.in_app])


class FeedForm(FlaskForm):
    """Make a new secret calendar address: one's own (no unit) or a unit's."""

    unit = SelectField(_l("Calendar of"), coerce=lambda v: None if v in ("", None) else coerce_id(v),
                       validators=[Optional()])


class LogFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=options([("", _l("All"))] + [(s.value, label) for s, label in STATUS_LABELS.items()]),
                         validators=[Optional()])
    channel = SelectField(_l("Channel"), choices=options([("", _l("All"))] + [(c.value, label) for c, label in CHANNEL_LABELS.items()]),
                          validators=[Optional()])
