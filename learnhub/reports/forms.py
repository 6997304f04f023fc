"""Choosing the unit and the year of a report (a GET form: nothing changes, no CSRF)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange

from learnhub.forms import FlaskForm, coerce_id

FIRST_YEAR, LAST_YEAR = 2000, 2100


class YearReportForm(FlaskForm):
    class Meta:
        csrf = False

    # The unit is checked against the viewer's scope by the view (404 outside it), not as a choice.
    unit = SelectField(_l("Unit"), coerce=coerce_id, validate_choice=False)
    year = IntegerField(_l("Year"), validators=[NumberRange(
        FIRST_YEAR, LAST_YEAR, message=_l("Enter a year between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR),
    )])
