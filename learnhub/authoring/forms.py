"""Authoring forms. Each editor posts its fields; the server writes them as a course-format file."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from learnhub.courses.models import CourseKind
from learnhub.forms import FlaskForm
from learnhub.labels import COURSE_KINDS


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.value, str(COURSE_KINDS[kind])) for kind in CourseKind]


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class NewModuleForm(FlaskForm):
    title = StringField(_l("Module title"), validators=[DataRequired(message=_l("Enter the module's title")), Length(max=300)])
    slug = StringField(
        _l("Short name in addresses (optional)"),
        validators=[Optional(), Regexp(r"^[a-z0-9-]{1,80}$", message=_l("Use a-z, 0-9 and '-' only, up to 80 characters"))],
    )
    kind = SelectField(_l("Kind of document"), choices=kind_choices)
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(message=_l("Enter a one-paragraph summary")), Length(max=2000)])
    owner_unit = SelectField(_l("Published by"), coerce=int)
    shared_down = BooleanField(_l("Units below may use it in their plans"), default=True)


class ModuleSettingsForm(FlaskForm):
    base_revision = HiddenField()
    title = StringField(_l("Module title"), validators=[DataRequired(message=_l("Enter the module's title")), Length(max=300)])
    kind = SelectField(_l("Kind of document"), choices=kind_choices)
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(message=_l("Enter a one-paragraph summary")), Length(max=2000)])
    document_number = StringField(_l("Document number"), validators=[Optional(), Length(max=80)])
    document_issued_by = StringField(_l("Issued by"), validators=[Optional(), Length(max=200)])
    document_issued_on = DateField(_l("Issued on"), validators=[Optional()])
    tags = StringField(_l("Tags, separated by commas"), validators=[Optional(), Length(max=500)])
    public = BooleanField(_l("Public: citizens may read the introduction and key points without an account"))
    body = TextAreaField(_l("Introduction"), validators=[Length(max=200_000)])
    owner_unit = SelectField(_l("Published by"), coerce=int)
    shared_down = BooleanField(_l("Units below may use it in their plans"))


class LessonForm(FlaskForm):
    base_revision = HiddenField()
    title = StringField(_l("Lesson title"), validators=[DataRequired(message=_l("Enter the lesson's title")), Length(max=300)])
    minutes = IntegerField(
        _l("Study time in minutes"),
        validators=[DataRequired(message=_l("Enter the study time in minutes")),
                    NumberRange(min=1, max=240, message=_l("From 1 to 240 minutes"))],
        default=10,
    )
    key_points = TextAreaField(
        _l("Key points to remember (one per line, at most 7)"), validators=[Length(max=5000)]
    )
    public = BooleanField(_l("Part of the short public version for citizens"))
    body = TextAreaField(_l("Lesson text"), validators=[Length(max=500_000)])


class NewLessonForm(FlaskForm):
    title = StringField(_l("Lesson title"), validators=[DataRequired(message=_l("Enter the lesson's title")), Length(max=300)])


class QuizForm(FlaskForm):
    base_revision = HiddenField()
    body = TextAreaField(_l("Questions of the quiz"), validators=[Length(max=500_000)])


class MediaForm(FlaskForm):
    file = FileField(_l("Image or PDF file, audio, video or transcript"), validators=[FileRequired(message=_l("Choose a file"))])


class ImportZipForm(FlaskForm):
    file = FileField(_l("Module (.zip of a course folder)"), validators=[FileRequired(message=_l("Choose a file"))])
    owner_unit = SelectField(_l("Published by (for a new module)"), coerce=int)


class GiftImportForm(FlaskForm):
    file = FileField(_l("Question bank (.gift)"), validators=[FileRequired(message=_l("Choose a file"))])
    skip_unsupported = BooleanField(_l("Skip what LearnHub cannot grade (essays, descriptions) and import the rest"))
