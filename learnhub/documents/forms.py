"""The form of a unit's document settings."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from learnhub.forms import FlaskForm

MAX_RECIPIENTS = 12
ABBREVIATION = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")  # letters: "ĐU", "CB", "BTV"


def _line(label, limit: int, description=None):
    return StringField(label, description=description,
                       validators=[Length(max=limit, message=_l("Keep this to %(max)d characters or fewer"))])


class DocumentSettingsForm(FlaskForm):
    """Every field may stay empty: the unit's default is printed instead (shown as the placeholder)."""

    superior_organ = _line(_l("Superior organ"), 200, _l('The line above the issuing organ, e.g. "ĐẢNG BỘ HUYỆN ..."'))
    issuing_organ = _line(_l("Issuing organ"), 200, _l('In bold under it, e.g. "ĐẢNG ỦY THỊ TRẤN"'))
    abbreviation = _line(_l("Abbreviation in document numbers"), 20, _l('"ĐU" in "Số 05-KH/ĐU"'))
    place = _line(_l("Place in the date line"), 100, _l('"Thị trấn" in "Thị trấn, ngày 05 tháng 03 năm 2026"'))
    on_behalf = _line(_l("On behalf of"), 100, _l('e.g. "T/M ĐẢNG ỦY", "T/M CHI BỘ" or "T/M BAN THƯỜNG VỤ"'))
    signer_title = _line(_l("Signer's title"), 100, _l('e.g. "BÍ THƯ" or "PHÓ BÍ THƯ"'))
    signer_name = _line(_l("Signer's name"), 200)
    recipients = TextAreaField(_l("Recipients (Nơi nhận)"), description=_l("One recipient a line"),
                               validators=[Length(max=3000, message=_l("Keep this to %(max)d characters or fewer"))])

    def validate_abbreviation(self, field) -> None:
        """Letters only, as HD 36 abbreviates an organ; a slash or digits would garble the number."""
        if field.data and not ABBREVIATION.match(field.data.strip()):
            raise ValidationError(_l('Use letters only, such as "ĐU" or "CB"'))

    def validate_recipients(self, field) -> None:
        lines = [line for line in (field.data or "").splitlines() if line.strip()]
        if len(lines) > MAX_RECIPIENTS:
            raise ValidationError(_l("List at most %(count)d recipients", count=MAX_RECIPIENTS))
        if any(len(line) > 200 for line in lines):
            raise ValidationError(_l("Keep each recipient to 200 characters or fewer"))
