"""Conference forms: the conference itself, a roster mark, guests, head counts and the roster search."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from learnhub.conferences.attendance import MAX_HEAD_COUNT
from learnhub.conferences.labels import ATTENDANCE_STATUSES, GUEST_KINDS
from learnhub.conferences.models import AttendanceStatus, GuestKind
from learnhub.conferences.services import LONGEST
from learnhub.forms import FlaskForm, WithinYears, options
from learnhub.labels import PLAN_FORMS
from learnhub.numbers import MAX_ID
from learnhub.plans.models import StudyForm
from learnhub.settings import local_zone

# The browser's datetime-local value first, so the field shows what it was given. The times are
# read in the organisation's time zone, looked up on each request (tz=local_zone, not a constant).
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


class ConferenceForm(FlaskForm):
    title = StringField(_l("Conference title"), validators=[
        InputRequired(message=_l("Enter the conference's title")), Length(max=300)])
    unit = SelectField(_l("Organised by"), coerce=int)
    plan = SelectField(_l("Under the study plan"), coerce=int, default=0)
    starts_at = DateTimeLocalField(_l("Starts at"), format=LOCAL_FORMATS, tz=local_zone, validators=[
        InputRequired(message=_l("Enter the date and time it starts")), WithinYears()])
    ends_at = DateTimeLocalField(_l("Ends at"), format=LOCAL_FORMATS, tz=local_zone, validators=[
        InputRequired(message=_l("Enter the date and time it ends")), WithinYears()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    form = SelectField(_l("Form"), default=StudyForm.in_person.value,
                       choices=options((f.value, PLAN_FORMS[f]) for f in StudyForm))
    presenters = TextAreaField(_l("Presenters, as printed on the notice"), validators=[Optional(), Length(max=2000)])
    presenter_accounts = SelectMultipleField(_l("Presenters who have a LearnHub account"), coerce=int,
                                             validators=[Optional()])
    invited_units = SelectMultipleField(_l("Invited units (with their sub-units)"), coerce=int, validators=[
        InputRequired(message=_l("Choose at least one unit"))])
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=20000)])

    def validate_ends_at(self, field) -> None:
        starts = self.starts_at.data
        if starts is None or field.data is None:
            return
        if field.data <= starts:
            raise ValidationError(_l("The end must be after the start."))
        if field.data - starts > LONGEST:
            raise ValidationError(_l("A conference lasts at most 7 days: check the dates."))


class MarkForm(FlaskForm):
    """One tap on the roster: a member and their mark."""

    member = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    status = SelectField(choices=options((s.value, ATTENDANCE_STATUSES[s]) for s in AttendanceStatus))


class GuestForm(FlaskForm):
    kind = RadioField(_l("Kind of participant"), default=GuestKind.civil_servant.value,
                      choices=options((k.value, GUEST_KINDS[k]) for k in GuestKind))
    name = StringField(_l("Full name (optional)"), validators=[Optional(), Length(max=200)])
    organisation = StringField(_l("Body or organisation (optional)"), validators=[Optional(), Length(max=200)])


class HeadCountForm(FlaskForm):
    unnamed_civil_servants = IntegerField(_l("Civil servants from other bodies, not named"), validators=[
        InputRequired(message=_l("Enter a number (0 if none)")), NumberRange(min=0, max=MAX_HEAD_COUNT)])
    unnamed_citizens = IntegerField(_l("Citizens, not named"), validators=[
        InputRequired(message=_l("Enter a number (0 if none)")), NumberRange(min=0, max=MAX_HEAD_COUNT)])


class RosterSearchForm(FlaskForm):
    """GET search on the roster: no CSRF (nothing changes)."""

    class Meta:
        csrf = False

    q = StringField(_l("Find by name"), validators=[Optional(), Length(max=100)])
