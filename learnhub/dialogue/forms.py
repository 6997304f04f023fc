"""Forms of the discussion: a question, a reply or an edit; hiding with a reason; pinning."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from learnhub.dialogue.services import MAX_BODY, MAX_REASON, clean_text
from learnhub.forms import FlaskForm

TOO_LONG = _l("Write at most %(max)d characters.", max=MAX_BODY)


class QuestionForm(FlaskForm):
    body = TextAreaField(_l("Your question"), filters=[clean_text], validators=[
        DataRequired(message=_l("Write your question.")), Length(max=MAX_BODY, message=TOO_LONG)])


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), filters=[clean_text], validators=[
        DataRequired(message=_l("Write your reply.")), Length(max=MAX_BODY, message=TOO_LONG)])


class EditForm(FlaskForm):
    body = TextAreaField(_l("Your post"), filters=[clean_text], validators=[
        DataRequired(message=_l("Write something, or leave the post as it was.")),
        Length(max=MAX_BODY, message=TOO_LONG)])


class HideForm(FlaskForm):
    reason = TextAreaField(_l("Reason for hiding"), filters=[clean_text], validators=[
        DataRequired(message=_l("Say why the post is hidden.")),
        Length(max=MAX_REASON, message=_l("Write at most %(max)d characters.", max=MAX_REASON))])


class PinForm(FlaskForm):
    action = HiddenField(validators=[AnyOf(("pin", "unpin"))])
