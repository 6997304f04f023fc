"""The question form: stem, points, category, explanation and the answer rows of every part a kind
may use (learnhub.quizzes.kinds: each kind names its ``form_parts`` and turns rows to answers)."""
from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import FieldList, HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from learnhub.forms import FlaskForm, options, room_for
from learnhub.quizzes.bank import Question
from learnhub.quizzes.kinds import kind_named

ROWS = 6  # empty rows offered for choices, pairs and items; a blank row is left out


def _texts(label: Any, rows: int = ROWS) -> FieldList:
    return FieldList(StringField(label, validators=[Optional(), Length(max=500)]), min_entries=rows, max_entries=50)


class QuestionForm(FlaskForm):
    base_revision = HiddenField()
    stem = TextAreaField(_l("Question"), validators=[DataRequired(message=_l("Write the question.")), Length(max=5000)])
    choice_text = _texts(_l("Answer"))
    truth = RadioField(_l("The statement is"), choices=options([("true", _l("True (Đúng)")), ("false", _l("False (Sai)"))]),
                       validators=[Optional()])
    answer_text = _texts(_l("Accepted answer"), 4)
    number_value = _texts(_l("Right number"), 3)
    number_tolerance = _texts(_l("Allowed margin (±)"), 3)
    pair_left = _texts(_l("Left"))
    pair_right = _texts(_l("Matches"))
    item_text = _texts(_l("Item"))
    points = IntegerField(_l("Points"), default=1, validators=[
        DataRequired(message=_l("Enter the points, from 1 to 100.")),
        NumberRange(min=1, max=100, message=_l("Enter the points, from 1 to 100."))])
    category = StringField(_l("Category (optional, for drawing questions by category)"),
                           validators=[Optional(), Length(max=80)])
    explanation = TextAreaField(_l("Explanation shown after answering (optional)"), validators=[Length(max=5000)])

    _rights: list[bool] | None = None
    fits = True  # False when fill() met more answer rows than the form holds: edit that one as text

    def rows(self) -> dict[str, Any]:
        """The answer rows as the kinds read them, blank rows left out."""
        def texts(field: FieldList) -> list[str]:
            return [(entry.data or "").strip() for entry in field]

        rights = self.rights()
        return {
            "choices": [(t, rights[i] if i < len(rights) else False)
                        for i, t in enumerate(texts(self.choice_text)) if t],
            "truth": self.truth.data,
            "answers": [t for t in texts(self.answer_text) if t],
            "numbers": [(v, t) for v, t in zip(texts(self.number_value), texts(self.number_tolerance), strict=False) if v],
            "pairs": [(left, right) for left, right in zip(texts(self.pair_left), texts(self.pair_right), strict=False)
                      if left or right],
            "items": [t for t in texts(self.item_text) if t],
        }

    def rights(self) -> list[bool]:
        """Which choice rows are ticked right: checkboxes ``choice_right-<row>``, read by their row
        (a FieldList would renumber them, as unticked boxes are not sent)."""
        if self._rights is not None:
            return self._rights
        data = request.form if request.method == "POST" else {}
        return [bool(data.get(f"choice_right-{i}")) for i in range(len(self.choice_text))]

    def fill(self, question: Question) -> None:
        """The form showing ``question`` (with empty rows after its answers)."""
        self.stem.data, self.points.data = question.stem, question.points
        self.category.data, self.explanation.data = question.category, question.explanation
        rows = kind_named(question.kind).form_rows(question)
        fitted = [
            _set(self.choice_text, [t for t, _ in rows.get("choices", [])]),
            _set(self.answer_text, rows.get("answers", []), 4),
            _set(self.number_value, [v for v, _ in rows.get("numbers", [])], 3),
            _set(self.number_tolerance, [t for _, t in rows.get("numbers", [])], 3),
            _set(self.pair_left, [left for left, _ in rows.get("pairs", [])]),
            _set(self.pair_right, [right for _, right in rows.get("pairs", [])]),
            _set(self.item_text, rows.get("items", [])),
        ]
        self._rights = [r for _, r in rows.get("choices", [])]
        self.truth.data = rows.get("truth")
        self.fits = all(fitted)


def _set(field: FieldList, values: list[Any], rows: int = ROWS) -> bool:
    """Put ``values`` in a row list, with empty rows to reach at least ``rows`` (one more than used);
    False when they do not all fit (a quiz.md question may have more answers than the form holds)."""
    while len(field):
        field.pop_entry()
    for value in [*values, *[None] * max(rows - len(values), 1)]:
        if not room_for(field):
            return len(field) >= len(values)
        field.append_entry(value)
    return True


class QuizSettingsForm(FlaskForm):
    """The quiz's pass score and how many questions each attempt draws (in all, or per category)."""

    base_revision = HiddenField()
    pass_score = IntegerField(_l("Pass score (percent)"), validators=[
        DataRequired(message=_l("Enter the pass score, from 1 to 100.")),
        NumberRange(min=1, max=100, message=_l("Enter the pass score, from 1 to 100."))])
    draw = IntegerField(_l("Questions drawn per attempt (empty: all)"), validators=[
        Optional(), NumberRange(min=1, max=1000, message=_l("Enter a number of questions of at least 1, or leave it empty."))])
    category_draw = FieldList(IntegerField(validators=[
        Optional(), NumberRange(min=0, max=1000, message=_l("Enter a number of questions, 0 or more."))]), max_entries=100)
