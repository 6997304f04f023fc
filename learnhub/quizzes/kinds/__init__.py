"""Question kinds: a registry of classes, one per kind, each owning its whole life (see base.py).

Every module of this package is loaded, so adding a kind is adding a module (and its partial in
templates/quizzes/kinds/); ``grade`` returns the points a checked response earns.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from learnhub.quizzes.bank import Question
from learnhub.quizzes.kinds.base import (
    MAX_TEXT,
    REGISTRY,
    KindName,
    QuestionKind,
    normalise_text,
    parse_number,
)

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["MAX_TEXT", "REGISTRY", "KindName", "QuestionKind", "grade", "kind_named", "kind_of",
           "normalise_text", "parse_number"]


def kind_named(name: str) -> QuestionKind:
    """The kind called ``name`` (KeyError for a name LearnHub does not know)."""
    return REGISTRY[name]


def kind_of(question: Question) -> QuestionKind:
    """The kind of a question."""
    return REGISTRY[question.kind]


def grade(question: Question, response: Any) -> float:
    """Points earned on ``question`` for a checked ``response``."""
    # Rounded so that weights such as 3 × 33.33333% give exactly the full marks.
    return round(question.points * kind_of(question).grade(question, response), 6)
