"""Reflection forms: the member's essay under three headings, and the reviewer's decision."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional

from learnhub.forms import FlaskForm, options
from learnhub.plans.reflections import HEADINGS, MIN_WORDS, words

MAX_CHARS = 20_000


class ReflectionForm(FlaskForm):
    """Saving keeps whatever is written; submitting needs MIN_WORDS words under each heading."""

    learned = TextAreaField(_l("What I learned"), validators=[Optional(), Length(max=MAX_CHARS)])
    application = TextAreaField(_l("How I will apply it in my work"), validators=[Optional(), Length(max=MAX_CHARS)])
    commitment = TextAreaField(_l("My commitment"), validators=[Optional(), Length(max=MAX_CHARS)])
    action = SelectField(choices=options([("save", _l("Save draft")), ("submit", _l("Submit"))]))

    def validate(self, extra_validators: dict[str, Any] | None = None) -> bool:
        """Besides the fields: when submitting, every heading must be long enough."""
        valid = super().validate(extra_validators)
        if self.action.data != "submit":
            return valid
        for name in HEADINGS:
            field = self[name]
            count = len(words(field.data or ""))
            if count < MIN_WORDS:
                field.errors = [*field.errors, _l("Write at least %(min)d words here; you have written %(count)d.",
                                                  min=MIN_WORDS, count=count)]
                valid = False
        return valid


class ReviewForm(FlaskForm):
    """Accept, or return for revision with a comment saying what to improve."""

    comment = TextAreaField(_l("Comment to the member"), validators=[Optional(), Length(max=5000)])
    decision = SelectField(choices=options([("accept", _l("Accept")), ("return", _l("Return for revision"))]))

    def validate(self, extra_validators: dict[str, Any] | None = None) -> bool:
        """Besides the fields: returning needs a comment."""
        valid = super().validate(extra_validators)
        if self.decision.data == "return" and not (self.comment.data or "").strip():
            self.comment.errors = [*self.comment.errors, _l("Say what the member should improve.")]
            return False
        return valid
