"""Admin forms: organisation settings and the audit log filter."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional


class SettingsForm(FlaskForm):
    organisation_name = StringField(
        _l("Organisation name"), validators=[DataRequired(message=_l("Enter the organisation's name")), Length(max=200)]
    )
    public_url = URLField(
        _l("Public address"),
        validators=[DataRequired(message=_l("Enter the address")), URL(require_tld=False, message=_l("Enter a full address such as https://hoctap.example.vn")), Length(max=300)],
    )


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = StringField(_l("Action"), validators=[Optional(), Length(max=60)])
    actor = StringField(_l("Done by (username)"), validators=[Optional(), Length(max=80)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
