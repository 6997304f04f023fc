"""Admin forms: organisation settings and the audit log filter."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DecimalField, IntegerField, StringField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from learnhub.forms import FlaskForm, WithinYears


class SettingsForm(FlaskForm):
    organisation_name = StringField(
        _l("Organisation name"), validators=[DataRequired(message=_l("Enter the organisation's name")), Length(max=200)]
    )
    public_url = URLField(
        _l("Public address"),
        validators=[DataRequired(message=_l("Enter the address")), URL(require_tld=False, message=_l("Enter a full address such as https://hoctap.example.vn")), Length(max=300)],
    )
    authoring_review_required = BooleanField(
        _l("A second person reviews modules before they are published"),
        description=_l("When ticked, an author asks for review and another propagandist or committee member publishes."),
    )
    term_start_year = IntegerField(
        _l("First year of the committee's term"),
        validators=[InputRequired(message=_l("Enter the year the term began")),
                    NumberRange(min=1945, max=2100, message=_l("Enter a year between 1945 and 2100"))],
    )


def _threshold(label, low: float, high: float) -> DecimalField:
    return DecimalField(label, places=2, validators=[InputRequired(), NumberRange(min=low, max=high)])


class ThresholdsForm(FlaskForm):
    """Formalism thresholds (docs/metrics.md); shares are entered as percentages."""

    rushed_fraction = _threshold(_l("Rushed reading: a lesson studied in less than this share of its minutes (%)"), 1, 100)
    rushed_share = _threshold(_l("Rushed reading: signal when more than this share of lessons were rushed (%)"), 1, 100)
    attempts_before_pass = _threshold(_l("Guessing: signal when the mean attempts before passing is above"), 1, 20)
    first_attempt_pass_rate = _threshold(_l("Guessing: signal when the first-attempt pass rate is below (%)"), 1, 100)
    shallow_margin = _threshold(_l("Shallow grasp: signal when the mean best score is less than this many points above the pass score"), 0, 100)
    returned_share = _threshold(_l("Returned reflections: signal when more than this share are returned (%)"), 1, 100)


class LevelThresholdsForm(FlaskForm):
    """The thresholds of the proposed levels (docs/year.md), in percentage points around the target."""

    excellent_margin = _threshold(_l("Excellently completed: from this many points above the target"), 0, 50)
    completed_margin = _threshold(_l("Completed: down to this many points below the target"), 0, 100)


PERCENT_THRESHOLDS = {"rushed_fraction", "rushed_share", "first_attempt_pass_rate", "returned_share"}


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = StringField(_l("Action"), validators=[Optional(), Length(max=60)])
    actor = StringField(_l("Done by (username)"), validators=[Optional(), Length(max=80)])
    since = DateField(_l("From"), validators=[Optional(), WithinYears()])
    until = DateField(_l("To"), validators=[Optional(), WithinYears()])
