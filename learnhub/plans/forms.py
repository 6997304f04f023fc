"""The study plan form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DecimalField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from learnhub.auth.models import Category
from learnhub.forms import FlaskForm, coerce_id, options
from learnhub.labels import CATEGORIES, CRITERIA, PLAN_FORMS
from learnhub.plans.models import Criterion, StudyForm

MEASURED_CRITERIA = (Criterion.lessons, Criterion.quiz, Criterion.conference, Criterion.reflection)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PlanForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter the plan's title")), Length(max=300)])
    number = StringField(_l("Document number"), validators=[Optional(), Length(max=60)])
    course = SelectField(_l("Study module"), coerce=int)
    unit = SelectField(_l("Issued by"), coerce=int)
    target_units = SelectMultipleField(_l("Participating units (with their sub-units)"), coerce=int,
                                       validators=[DataRequired(message=_l("Choose at least one unit"))])
    categories = MultiCheckboxField(
        _l("Who must study"), default=[Category.party_member.value, Category.civil_servant.value],
        choices=options((c.value, CATEGORIES[c]) for c in Category),
        validators=[DataRequired(message=_l("Choose at least one category"))],
    )
    purpose = TextAreaField(_l("Purpose and requirements"), validators=[Optional(), Length(max=5000)])
    form = SelectField(_l("Form"), choices=options((f.value, PLAN_FORMS[f]) for f in StudyForm))
    presenters = StringField(_l("Presenters"), validators=[Optional(), Length(max=500)])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    opens_on = DateField(_l("Opens on"), validators=[DataRequired(message=_l("Enter a date"))])
    due_on = DateField(_l("Due on"), validators=[DataRequired(message=_l("Enter a date"))])
    criteria = MultiCheckboxField(
        _l("Completed when"), default=[Criterion.lessons.value, Criterion.quiz.value],
        choices=options((c.value, CRITERIA[c]) for c in MEASURED_CRITERIA),
        validators=[DataRequired(message=_l("Choose what completes the plan"))],
    )
    rule = RadioField(_l("Rule"), default="all", choices=options([("all", _l("All of these")), ("any", _l("Any of these"))]))
    target_percent = DecimalField(_l("Target study rate (%)"), default=98, places=1,
                                  validators=[DataRequired(), NumberRange(min=1, max=100)])
    responsible = SelectField(_l("Committee member responsible"), coerce=coerce_id, validate_choice=False)

    def validate_due_on(self, field) -> None:
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The due date must not be before the opening date."))
