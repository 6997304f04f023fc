"""Sign-in and password forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from learnhub.auth.passwords import MAX_LENGTH, password_problem
from learnhub.forms import FlaskForm

PASSWORD_MESSAGES = {
    "too_short": _l("Use at least 8 characters."),
    "too_long": _l("Use at most 128 characters."),
    "same_as_username": _l("The password must not be your username."),
    "too_simple": _l("Use more than two different characters."),
    "common": _l("This password is too common or too easy to guess. A short sentence you remember is better."),
}


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(message=_l("Enter your username")), Length(max=80)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class NewPasswordMixin:
    """The new password twice, checked against the password rules."""

    username_for_check = ""

    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Enter a new password")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[EqualTo("new_password", message=_l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_new_password(self, field) -> None:
        problem = password_problem(field.data or "", self.username_for_check)
        if problem:
            raise ValidationError(PASSWORD_MESSAGES[problem])


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password"))],
        render_kw={"autocomplete": "current-password"},
    )


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    pass


class ForgotPasswordForm(FlaskForm):
    email = StringField(
        _l("E-mail address"),
        validators=[DataRequired(message=_l("Enter your e-mail address")), Length(max=254)],
        render_kw={"autocomplete": "email", "type": "email"},
    )
WRONG_CODE = _l("The code is not correct or was already used. Enter the newest code from the app.")


class CodeForm(FlaskForm):
    """The second step of signing in: a code from the app, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(message=_l("Enter the code")), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"},
    )


class AppCodeForm(FlaskForm):
    """A current 6-digit code from the authenticator app."""

    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(message=_l("Enter the 6-digit code from the app")), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class SetupForm(AppCodeForm):
    """Turning two-step sign-in on: the password again (a borrowed session must not be able to lock
    the owner out with its own app), and a code proving the app holds the secret."""

    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(message=_l("Enter your password")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class ConfirmForm(FlaskForm):
    """A button with its CSRF token and nothing else."""
