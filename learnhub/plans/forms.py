"""The study plan form: the seed's parts of a plan, as fields."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    FormField,
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
from learnhub.labels import AUDIENCES, CATEGORIES, CRITERIA, PLAN_FORMS
from learnhub.plans.models import Audience, Criterion, StudyForm

MEASURED_CRITERIA = (Criterion.lessons, Criterion.quiz, Criterion.conference, Criterion.reflection)
BLANK_TASK_ROWS = 2  # empty rows offered under the tasks, so a unit's task is added without script


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TaskForm(FlaskForm):
    """One row of "tổ chức thực hiện": a unit and what it does. A row without text is left out."""

    class Meta:
        csrf = False  # part of PlanForm, which carries the token

    unit = SelectField(_l("Unit"), coerce=coerce_id, validate_choice=False)
    task = TextAreaField(_l("Task"), validators=[Optional(), Length(max=2000)])
    remove = BooleanField(_l("Remove this row"))


class PlanForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter the plan's title")), Length(max=300)])
    number = StringField(_l("Document number"), validators=[Optional(), Length(max=60)])
    issued_on = DateField(_l("Signed on"), validators=[Optional()])  # blank: today
    courses = MultiCheckboxField(_l("Study modules"), coerce=coerce_id,
                                 validators=[DataRequired(message=_l("Choose at least one study module."))])
    unit = SelectField(_l("Issued by"), coerce=int)
    target_units = SelectMultipleField(_l("Participating units (with their sub-units)"), coerce=int,
                                       validators=[DataRequired(message=_l("Choose at least one unit"))])
    categories = MultiCheckboxField(
        _l("Who must study"), default=[Category.party_member.value, Category.civil_servant.value],
        choices=options((c.value, CATEGORIES[c]) for c in Category),
    )
    audiences = MultiCheckboxField(_l("Also addressed to"), choices=options((a.value, AUDIENCES[a]) for a in Audience))
    purpose = TextAreaField(_l("Purpose"), validators=[Optional(), Length(max=5000)])
    requirements = TextAreaField(_l("Requirements"), validators=[Optional(), Length(max=5000)])
    content = TextAreaField(_l("Content"), validators=[Optional(), Length(max=10000)])
    form = SelectField(_l("Form"), choices=options((f.value, PLAN_FORMS[f]) for f in StudyForm))
    presenters = TextAreaField(_l("Presenters"), validators=[Optional(), Length(max=2000)])
    time_of_day = StringField(_l("Time of day"), validators=[Optional(), Length(max=60)])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    decoration = TextAreaField(_l("Decoration and reception"), validators=[Optional(), Length(max=5000)])
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
    tasks = FieldList(FormField(TaskForm), min_entries=BLANK_TASK_ROWS, max_entries=100)

    def validate_due_on(self, field) -> None:
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The due date must not be before the opening date."))

    def validate_categories(self, field) -> None:
        if not field.data and Audience.propagandists.value not in (self.audiences.data or []):
            raise ValidationError(_l("Choose who must study: at least one category, or propagandists."))

    def kept_tasks(self) -> list[tuple[int, str]]:
        """The task rows to save: (unit id, text), without removed or empty rows."""
        return [(row.form.unit.data, row.form.task.data.strip()) for row in self.tasks
                if not row.form.remove.data and (row.form.task.data or "").strip() and row.form.unit.data]
