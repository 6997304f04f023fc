"""The form that makes a personal access token."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from learnhub.api.models import TokenScope
from learnhub.forms import FlaskForm, coerce_id, options

SCOPE_LABELS = {TokenScope.read: _l("Read only"),
                TokenScope.read_write: _l("Read and write")}


class TokenForm(FlaskForm):
    name = StringField(_l("Integration name"), validators=[DataRequired(message=_l("Name the integration")),
                                                           Length(max=100)])
    unit = SelectField(_l("Units it may reach"), coerce=lambda v: None if v in ("", None) else coerce_id(v))
    scope = SelectField(_l("What it may do"), choices=options((s.value, label) for s, label in SCOPE_LABELS.items()),
                       default=TokenScope.read.value)
