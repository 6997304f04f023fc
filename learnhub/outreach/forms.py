"""The outreach forms: sessions, loudspeaker bulletins and broadcasts."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from learnhub.forms import FlaskForm
from learnhub.plans.member_plans import local_today

MAX_HEADS = 100_000  # far above any hall or village meeting; keeps the number an ordinary integer


class OutreachSessionForm(FlaskForm):
    unit = SelectField(_l("Unit"), coerce=int)
    organisation = StringField(
        _l("Organisation that held it"), render_kw={"list": "organisations", "autocomplete": "off"},
        validators=[DataRequired(message=_l("Enter the organisation that held the session")), Length(max=200)],
    )
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter the session's title")),
                                                 Length(max=300)])
    held_on = DateField(_l("Held on"), validators=[DataRequired(message=_l("Enter the date it was held"))])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    head_count = IntegerField(
        _l("Number of people"), render_kw={"inputmode": "numeric"},
        validators=[DataRequired(message=_l("Enter the number of people as a whole number, 1 or more")),
                    NumberRange(min=1, max=MAX_HEADS,
                                message=_l("Enter a whole number from 1 to %(max)d", max=MAX_HEADS))],
    )
    course = SelectField(_l("Study module presented (optional)"), coerce=int, default=0)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])

    def validate_held_on(self, field) -> None:
        if field.data and field.data > local_today():
            raise ValidationError(_l("Record a session once it has been held: the date is in the future."))
        if field.data and field.data < dt.date(2000, 1, 1):
            raise ValidationError(_l("Enter a date from 2000 onwards."))

    def values(self) -> dict:
        """The model's fields from the validated form."""
        return dict(
            unit_id=self.unit.data, organisation=" ".join(self.organisation.data.split()),
            title=" ".join(self.title.data.split()), held_on=self.held_on.data,
            place=(self.place.data or "").strip(), head_count=self.head_count.data,
            course_id=self.course.data or None, notes=(self.notes.data or "").strip(),
        )


class BulletinForm(FlaskForm):
    """The loudspeaker bulletin, edited before printing."""

    title = StringField(_l("Bulletin title"), validators=[DataRequired(message=_l("Enter the bulletin's title")),
                                                          Length(max=300)])
    key_points = TextAreaField(_l("Key points (one per line)"), render_kw={"rows": 8},
                               validators=[Optional(), Length(max=10_000)])
    script = TextAreaField(_l("Script to read aloud (one short sentence per line)"), render_kw={"rows": 18},
                           validators=[DataRequired(message=_l("Enter the script to read aloud")),
                                       Length(max=50_000)])
    resplit = BooleanField(_l("Cut long sentences again into short ones when saving"), default=False)


class RecordingForm(FlaskForm):
    file = FileField(_l("Recording (mp3, m4a or ogg)"), validators=[FileRequired(message=_l("Choose a file"))])


class BroadcastForm(FlaskForm):
    """A bulletin read over the loudspeakers."""

    unit = SelectField(_l("Unit"), coerce=int)
    held_on = DateField(_l("Broadcast on"), validators=[DataRequired(message=_l("Enter the date it was broadcast"))])
    area = StringField(_l("Area covered (unit or khu phố)"),
                       validators=[DataRequired(message=_l("Enter the area the loudspeakers cover")), Length(max=200)])
    minutes = IntegerField(_l("Minutes on air"), render_kw={"inputmode": "numeric"},
                           validators=[DataRequired(message=_l("Enter the minutes on air as a whole number")),
                                       NumberRange(min=1, max=600, message=_l("Enter a whole number from 1 to 600"))])
    course = SelectField(_l("Study module of the bulletin (optional)"), coerce=int, default=0)

    def validate_held_on(self, field) -> None:
        if field.data and field.data > local_today():
            raise ValidationError(_l("Record a broadcast once it has been read: the date is in the future."))
        if field.data and field.data < dt.date(2000, 1, 1):
            raise ValidationError(_l("Enter a date from 2000 onwards."))
