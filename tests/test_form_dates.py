"""Every date a form takes is bounded (learnhub.forms.FlaskForm adds WithinYears): year 1 or 9999
would break next year's copies, the time zones and the reports with a 500."""
from __future__ import annotations

import importlib
import pkgutil

from flask import Flask
from wtforms import DateTimeField, TimeField

import learnhub
from learnhub.forms import FlaskForm, WithinYears


def _all_forms() -> list[type[FlaskForm]]:
    for module in pkgutil.walk_packages(learnhub.__path__, "learnhub."):
        importlib.import_module(module.name)
    found, todo = [], list(FlaskForm.__subclasses__())
    while todo:
        form = todo.pop()
        found.append(form)
        todo.extend(form.__subclasses__())
    return found


def test_every_date_field_of_every_form_is_bounded(app: Flask) -> None:
    unbounded = []
    with app.test_request_context("/"):
        for form_class in _all_forms():
            try:
                form = form_class(meta={"csrf": False})
            except TypeError:  # a form that needs arguments of its own
                continue
            for field in form:
                if isinstance(field, DateTimeField) and not isinstance(field, TimeField) and not any(
                        isinstance(v, WithinYears) for v in field.validators):
                    unbounded.append(f"{form_class.__module__}.{form_class.__name__}.{field.name}")
    assert unbounded == []
