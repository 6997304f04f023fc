"""Forms for the organisation tree and committee members' assignments."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from learnhub.forms import FlaskForm, coerce_id, options
from learnhub.labels import UNIT_KINDS
from learnhub.orgs.models import UnitKind


class UnitForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Enter the unit's name")), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=options((k.value, UNIT_KINDS[k]) for k in UnitKind), default=UnitKind.cell.value)


class RenameForm(FlaskForm):
    name = StringField(_l("New name"), validators=[DataRequired(message=_l("Enter the unit's name")), Length(max=200)])


class MoveForm(FlaskForm):
    parent = SelectField(_l("Move under"), coerce=int)


class AssignmentForm(FlaskForm):
    # The view checks scope itself and answers 404 for anything outside it.
    user = SelectField(_l("Committee member"), coerce=coerce_id, validate_choice=False)
    unit = SelectField(_l("Responsible for"), coerce=coerce_id, validate_choice=False)
