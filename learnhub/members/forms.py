"""Member forms: the list filter, transfer, status, import upload and sign-in slips."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from learnhub.auth.models import Category, MemberStatus, Role
from learnhub.forms import FlaskForm, options
from learnhub.labels import CATEGORIES, ROLES, STATUSES


def _today() -> dt.date:
    return dt.date.today()


class MemberFilterForm(FlaskForm):
    """GET filters: no CSRF (nothing changes)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or username"), validators=[Optional(), Length(max=100)])
    unit = SelectField(_l("Unit"), coerce=int, validate_choice=False)
    category = SelectField(
        _l("Category"), choices=options([("", _l("All categories"))] + [(c.value, CATEGORIES[c]) for c in Category])
    )
    status = SelectField(
        _l("Status"), choices=options([("", _l("All statuses"))] + [(s.value, STATUSES[s]) for s in MemberStatus])
    )


class TransferForm(FlaskForm):
    to_unit = SelectField(_l("Move to unit"), coerce=int, validators=[DataRequired()])
    effective_on = DateField(_l("From"), default=_today, validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=500)])


class AppointForm(FlaskForm):
    unit = SelectField(_l("Responsible for unit"), coerce=int, validators=[DataRequired()])


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=options((s.value, STATUSES[s]) for s in MemberStatus))
    effective_on = DateField(_l("From"), default=_today, validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(message=_l("Give the reason")), Length(max=500)])


class ImportUploadForm(FlaskForm):
    file = FileField(
        _l("Member list (.xlsx or .csv)"),
        validators=[
            FileRequired(message=_l("Choose a file")),
            FileAllowed(["xlsx", "csv"], message=_l("Only .xlsx and .csv files can be imported")),
        ],
    )
    unit = SelectField(_l("Import into"), coerce=int)


class SlipsForm(FlaskForm):
    unit = SelectField(_l("Unit"), coerce=int)
    only_new = BooleanField(_l("Only members who have not yet chosen their own password"), default=True)


class AccountForm(FlaskForm):
    """Admins only: what the person may do, and whether the account is switched on."""

    role = SelectField(_l("Role"), choices=options((r.value, ROLES[r]) for r in Role))
    active = BooleanField(_l("The account is switched on"))
