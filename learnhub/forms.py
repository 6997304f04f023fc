"""Shared form helpers: the base form that cleans every text, choices, bounded ids and dates, and
WTForms' messages in the user's language."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import get_translations, ngettext
from flask_babel import gettext as _
from flask_wtf import FlaskForm as _FlaskForm
from wtforms import DateTimeField, PasswordField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from learnhub.numbers import FIRST_YEAR, LAST_YEAR, MAX_ID
from learnhub.text import clean_text

# The longest text a field takes when its form names no Length: every text has a bound.
MAX_ONE_LINE = 1_000
MAX_MULTI_LINE = 200_000
# The largest request that is not a file upload (a form or a JSON body): the longest lesson, with
# every Vietnamese letter written as %XX%XX%XX, fits; MAX_CONTENT_LENGTH (20 MB) is for files.
MAX_FORM_BYTES = 8 * 1024 * 1024


class _BoundedJSON(DefaultJSONProvider):
    """JSON as Flask reads it, except that nesting too deep for Python is bad input (400, or None
    with ``silent=True``) rather than a RecursionError and a 500."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc


def bound_form_requests(app: Flask) -> None:
    """Refuse (413) a form or JSON body over MAX_FORM_BYTES before anything reads it: Werkzeug reads
    a urlencoded body whole, bounded only by MAX_CONTENT_LENGTH, which file uploads need large.
    JSON nested too deeply is refused like any malformed JSON."""
    app.json = _BoundedJSON(app)

    def bound() -> None:
        if request.mimetype != "multipart/form-data":
            request.max_content_length = min(MAX_FORM_BYTES, app.config.get("MAX_CONTENT_LENGTH") or MAX_FORM_BYTES)

    # First of all hooks: the CSRF check reads the form.
    app.before_request_funcs.setdefault(None, []).insert(0, bound)


def _clean_one_line(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _clean_multi_line(value: Any) -> Any:
    return clean_text(value, multiline=True) if isinstance(value, str) else value


class FlaskForm(_FlaskForm):
    """Every LearnHub form: each text field it accepts is cleaned (``learnhub.text.clean_text``: NFC,
    no control or bidi-override characters; line breaks kept only in text areas) before its own filters
    and validators run, and is bounded in length. Passwords are taken exactly as typed. Every date
    (or date and time) it accepts lies from FIRST_YEAR to LAST_YEAR (``WithinYears``): year 1 or 9999
    would break next year's copy, the time zones and the reports."""

    class Meta(_FlaskForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                multi = issubclass(field_class, TextAreaField)
                kwargs = unbound_field.kwargs
                options["filters"] = [_clean_multi_line if multi else _clean_one_line, *kwargs.get("filters", ())]
                given = kwargs.get("validators", unbound_field.args[1] if len(unbound_field.args) > 1 else None)
                validators = list(given or ())
                if not any(isinstance(v, Length) and v.max not in (None, -1) for v in validators):
                    bound = Length(max=MAX_MULTI_LINE if multi else MAX_ONE_LINE)
                    if "validators" in kwargs or len(unbound_field.args) < 2:
                        options["validators"] = [*validators, bound]
            elif issubclass(field_class, DateTimeField) and not issubclass(field_class, TimeField):
                kwargs = unbound_field.kwargs
                given = kwargs.get("validators", unbound_field.args[1] if len(unbound_field.args) > 1 else None)
                validators = list(given or ())
                if not any(isinstance(v, WithinYears) for v in validators) and (
                        "validators" in kwargs or len(unbound_field.args) < 2):
                    options["validators"] = [*validators, WithinYears()]
            return super().bind_field(form, unbound_field, options)


def room_for(field: Any, more: int = 1) -> bool:
    """Whether a FieldList can take ``more`` rows: WTForms raises (a 500) when ``append_entry`` goes
    past ``max_entries``, so every row added by the server asks here first."""
    return not field.max_entries or len(field) + more <= field.max_entries


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs, in the form WTForms 3.3+ expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def coerce_id(value: Any) -> int:
    """``coerce=`` for a SelectField of ids: a number beyond the database's range is "not a valid choice"."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError(value)
    return number


class WithinYears:
    """A date from FIRST_YEAR to LAST_YEAR: one the database, the time zones and the reports can all hold."""

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            raise ValidationError(_("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))


class WTFormsInOurCatalogue:
    """WTForms' own messages ("This field is required.") from LearnHub's catalogue: WTForms ships no
    Vietnamese. Flask-WTF asks ``request.wtforms_translations`` first (flask_wtf/i18n.py), so
    ``init_i18n`` puts this there on every request."""

    def ugettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


def _wtforms_messages() -> None:  # pragma: no cover - never called: read by `learnhub translate update`
    """The messages of WTForms 3.x's validators and fields (wtforms/locale/wtforms.pot) that forms show."""
    _("Field must be equal to %(other_name)s.")
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1)
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1)
    ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1)
    _("Field must be between %(min)d and %(max)d characters long.")
    _("Number must be at least %(min)s.")
    _("Number must be at most %(max)s.")
    _("Number must be between %(min)s and %(max)s.")
    _("Date must be at least %(min)s.")
    _("Date must be at most %(max)s.")
    _("Date must be between %(min)s and %(max)s.")
    _("This field is required.")
    _("Invalid input.")
    _("Invalid email address.")
    _("Invalid IP address.")
    _("Invalid Mac address.")
    _("Invalid URL.")
    _("Invalid UUID.")
    _("Invalid value, must be one of: %(values)s.")
    _("Invalid value, can't be any of: %(values)s.")
    _("This field cannot be edited.")
    _("This field is disabled and cannot have a value.")
    _("Invalid CSRF Token.")
    _("CSRF token missing.")
    _("CSRF failed.")
    _("CSRF token expired.")
    _("Invalid Choice: could not coerce.")
    _("Not a valid choice.")
    _("Invalid choice(s): one or more data inputs could not be coerced.")
    ngettext("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", 1)
    _("Not a valid datetime value.")
    _("Not a valid date value.")
    _("Not a valid time value.")
    _("Not a valid week value.")
    _("Not a valid integer value.")
    _("Not a valid decimal value.")
    _("Not a valid float value.")
