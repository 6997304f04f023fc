"""The inspection form, the follow-up form, the level decision form, and the names of conclusions and marks."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from learnhub.forms import FlaskForm, coerce_id, options
from learnhub.inspections.evaluation import Mark
from learnhub.inspections.levels import LEVELS
from learnhub.inspections.models import Conclusion, Level

CONCLUSIONS = {
    Conclusion.praise: _l("Praise"),
    Conclusion.remind: _l("Remind"),
    Conclusion.criticise: _l("Criticise"),
}
CONCLUSION_TAGS = {Conclusion.praise: "lh-tag--done", Conclusion.remind: "lh-tag--yellow",
                   Conclusion.criticise: "lh-tag--red"}
MARKS = {
    Mark.praise: _l("To praise"),
    Mark.criticise: _l("To criticise"),
    Mark.neither: _l("Neither"),
    Mark.no_plan: _l("No plan"),
}
MARK_TAGS = {Mark.praise: "lh-tag--done", Mark.criticise: "lh-tag--red", Mark.neither: "lh-tag--yellow",
             Mark.no_plan: "lh-tag--grey"}
EARLIEST = dt.date(1945, 1, 1)
LATEST = dt.date(2100, 12, 31)


class InspectionForm(FlaskForm):
    # Units and plans are checked against the viewer's scope in the view (404 outside it).
    unit = SelectField(_l("Unit inspected"), coerce=coerce_id, validate_choice=False,
                       validators=[InputRequired(message=_l("Choose the unit inspected"))])
    plan = SelectField(_l("Study plan (optional)"), coerce=coerce_id, validate_choice=False, default=0)
    held_on = DateField(_l("Date of the inspection"), validators=[InputRequired(message=_l("Enter the date of the inspection"))])
    inspectors = StringField(_l("Inspected by"), validators=[
        DataRequired(message=_l("Enter who carried out the inspection")), Length(max=500)])
    findings = TextAreaField(_l("Findings"), validators=[
        DataRequired(message=_l("Enter what the inspection found")), Length(max=10000)])
    conclusion = RadioField(_l("Conclusion"), choices=options((c.value, CONCLUSIONS[c]) for c in Conclusion),
                            validators=[InputRequired(message=_l("Choose a conclusion"))])
    follow_up = TextAreaField(_l("Follow-up required (optional)"), validators=[Optional(), Length(max=5000)])
    follow_up_due = DateField(_l("Follow-up due on"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the dates against each other and the follow-up against its due date."""
        valid = super().validate(extra_validators)
        held, due = self.held_on.data, self.follow_up_due.data
        text = (self.follow_up.data or "").strip()
        if held and not EARLIEST <= held <= _today():
            self.held_on.errors.append(_l("The inspection date must be between 1945 and today."))
            valid = False
        if text and due is None and not self.follow_up_due.errors:
            self.follow_up_due.errors.append(_l("Enter the date the follow-up is due."))
            valid = False
        if due is not None and not text:
            self.follow_up.errors.append(_l("Describe the follow-up, or leave its due date empty."))
            valid = False
        if due is not None and held and not held <= due <= LATEST:
            self.follow_up_due.errors.append(_l("The follow-up must fall due on or after the inspection date."))
            valid = False
        return valid


class FollowUpDoneForm(FlaskForm):
    note = TextAreaField(_l("What was done"), validators=[
        DataRequired(message=_l("Say briefly what was done")), Length(max=2000)])


class DecisionForm(FlaskForm):
    # The unit is checked against the viewer's scope in the view (404 outside it).
    unit = HiddenField(validators=[InputRequired()])
    year = IntegerField(validators=[InputRequired(), NumberRange(1945, 2100)])
    level = SelectField(_l("Level decided"), choices=options((level.value, LEVELS[level]) for level in Level),
                        validators=[InputRequired(message=_l("Choose the level decided"))])
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(message=_l("Give the reason for the decision")), Length(max=2000)])


def _today() -> dt.date:
    from learnhub.plans.member_plans import local_today

    return local_today()
