"""Contest forms: the contest, a round, a citizen's entry (with consent and the bot checks), the answers."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from learnhub.contests.services import MAX_PREDICTION, own_bank
from learnhub.db import utcnow
from learnhub.forms import FlaskForm, WithinYears, coerce_id
from learnhub.phones import mobile_or_none
from learnhub.settings import local_zone

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
MIN_FILL_SECONDS = 3  # a person takes longer than this to fill in the entry form
MAX_FILL_SECONDS = 2 * 3600
CONSENT_TEXT = _l(
    "I agree that the organiser processes my name, year of birth, phone number and commune or "
    "organisation to run this contest and award its prizes, under Decree 13/2023/ND-CP on the "
    "protection of personal data. My phone number is never published.")


class ContestForm(FlaskForm):
    title = StringField(_l("Contest title"), validators=[InputRequired(message=_l("Enter the contest's title")),
                                                         Length(max=300)])
    organiser = StringField(_l("Organiser, as printed"), validators=[
        InputRequired(message=_l("Enter the organiser")), Length(max=300)])
    unit = SelectField(_l("Organised by"), coerce=coerce_id)
    course = SelectField(_l("Questions from the module"), coerce=coerce_id)
    own_questions = TextAreaField(_l("Or the contest's own questions (quiz.md)"), validators=[Length(max=200_000)])
    own_bank: list | None = None  # the own questions, rendered, once validated
    rules = TextAreaField(_l("Rules"), validators=[Optional(), Length(max=20000)])
    prizes = TextAreaField(_l("Prizes of each round, one per line in rank order"),
                           validators=[Optional(), Length(max=2000)])
    questions_per_entry = IntegerField(_l("Questions per entry"), default=10, validators=[
        InputRequired(message=_l("Enter a number")), NumberRange(min=1, max=100)])
    time_limit_minutes = IntegerField(_l("Time limit (minutes)"), default=15, validators=[
        InputRequired(message=_l("Enter a number")), NumberRange(min=1, max=180)])
    entries_per_person = IntegerField(_l("Entries per person per round"), default=1, validators=[
        InputRequired(message=_l("Enter a number")), NumberRange(min=1, max=10)])
    members_may_enter = BooleanField(_l("Members signed in may enter"), default=True)
    public_may_enter = BooleanField(_l("The public may enter without an account"), default=True)

    def validate_public_may_enter(self, field) -> None:
        if not field.data and not self.members_may_enter.data:
            raise ValidationError(_l("Let members, the public or both enter."))

    def validate_own_questions(self, field) -> None:
        if self.course.data:
            if field.data:
                raise ValidationError(_l("Choose a module or write the contest's own questions, not both."))
            return
        if not field.data:
            raise ValidationError(_l("Choose a module, or write the contest's own questions."))
        self.own_bank, problems = own_bank(field.data)
        if problems:
            raise ValidationError("; ".join(problems[:5]))

    def prize_list(self) -> list[str]:
        return [line.strip() for line in (self.prizes.data or "").splitlines() if line.strip()][:100]


class RoundForm(FlaskForm):
    opens_at = DateTimeLocalField(_l("Opens at"), format=LOCAL_FORMATS, tz=local_zone, validators=[
        InputRequired(message=_l("Enter the date and time it opens")), WithinYears()])
    closes_at = DateTimeLocalField(_l("Closes at"), format=LOCAL_FORMATS, tz=local_zone, validators=[
        InputRequired(message=_l("Enter the date and time it closes")), WithinYears()])

    def validate_closes_at(self, field) -> None:
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The round must close after it opens."))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="contest-entry-form")


def form_stamp() -> str:
    """The signed time the entry form was handed out (the timing check)."""
    return _serializer().dumps("entry-form")


class PublicEntryForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[InputRequired(message=_l("Enter your full name")),
                                                    Length(min=2, max=200)])
    birth_year = IntegerField(_l("Year of birth"), validators=[
        InputRequired(message=_l("Enter your year of birth")), NumberRange(min=1900, max=2030)])
    phone = StringField(_l("Mobile phone number"), validators=[
        InputRequired(message=_l("Enter your phone number")), Length(max=20)])
    unit = SelectField(_l("Commune, neighbourhood or unit"), coerce=coerce_id, default=0)
    organisation = StringField(_l("Or your organisation (school, company...)"), validators=[Optional(), Length(max=300)])
    consent = BooleanField(CONSENT_TEXT, validators=[DataRequired(message=_l(
        "Entering needs your consent to the processing of your personal data."))])
    # Bot checks: a field people never see (a bot fills it) and the signed time the form was given.
    website = StringField(validators=[Optional(), Length(max=200)])
    stamp = StringField(validators=[Optional(), Length(max=200)])

    def validate_phone(self, field) -> None:
        if mobile_or_none(field.data) is None:
            raise ValidationError(_l("Enter a Vietnamese mobile number, e.g. 0912 345 678."))

    def validate_organisation(self, field) -> None:
        if not field.data and not self.unit.data:
            raise ValidationError(_l("Choose your commune or neighbourhood, or write your organisation."))

    def looks_automated(self) -> bool:
        """The honeypot was filled, or the form came back too fast, too late or unsigned."""
        if self.website.data:
            return True
        try:
            _serializer().loads(self.stamp.data or "", max_age=MAX_FILL_SECONDS)
            _value, signed_at = _serializer().loads(self.stamp.data or "", return_timestamp=True)
        except (BadSignature, SignatureExpired):
            return True
        return (utcnow() - signed_at).total_seconds() < MIN_FILL_SECONDS


def read_prediction(raw: str | None) -> int | None:
    """The prediction typed, or None when empty or not a whole number in range."""
    text = (raw or "").strip().replace(".", "").replace(",", "").replace(" ", "")
    if not text.isdigit() or len(text) > 9:
        return None
    value = int(text)
    return value if 0 <= value <= MAX_PREDICTION else None
