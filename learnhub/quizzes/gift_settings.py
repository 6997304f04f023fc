"""A GIFT file's YAML front matter: the quiz settings GIFT itself cannot express, and points."""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from learnhub.courses.frontmatter import FrontMatter, FrontMatterError, split_front_matter
from learnhub.quizzes import gift_messages as M
from learnhub.quizzes.bank import REVIEW_MODES, Question, QuizProblem, QuizSettings
from learnhub.quizzes.gift_messages import GiftProblem, Message
from learnhub.quizzes.gift_text import short


def front_matter(lines: list[str], problems: list[QuizProblem]) -> tuple[FrontMatter | None, int]:
    """The front matter when the file starts with '---', and the index of the first GIFT line."""
    if lines[0].strip() != "---":
        return None, 0
    close = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if close is None:
        problems.append(GiftProblem(1, Message(M.FRONT_MATTER_OPEN), number=0))
        return None, len(lines)
    try:
        return split_front_matter("\n".join(lines[: close + 1]) + "\n"), close + 1
    except FrontMatterError as exc:
        problems.append(GiftProblem(exc.line, exc.message, number=0))
    except Exception as exc:  # PyYAML's constructors raise plain ValueError (bad dates, huge ints)
        problems.append(GiftProblem(1, Message(M.BAD_YAML, error=short(str(exc))), number=0))
    return None, close + 1


# setting: whether a value is valid, given the number of questions
CHECKS: dict[str, Callable[[Any, int], bool]] = {
    "pass_score": lambda v, n: _whole(v, 1, 100),
    "draw": lambda v, n: v is None or _whole(v, 1, n) or (
        isinstance(v, dict) and bool(v) and all(isinstance(k, str) and _whole(c, 1, n) for k, c in v.items())),
    "time_limit": lambda v, n: v is None or _whole(v, 1),
    "max_attempts": lambda v, n: v is None or _whole(v, 1),
    "shuffle": lambda v, n: isinstance(v, bool),
    "review": lambda v, n: v in REVIEW_MODES,
}


def _whole(value: Any, low: int, high: float = math.inf) -> bool:
    """Whether ``value`` is an int (not a bool) from ``low`` to ``high``."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def read_settings(
    fm: FrontMatter | None, questions: list[Question], problems: list[QuizProblem]
) -> QuizSettings:
    """Settings from the front matter with GIFT's defaults; problems at the key's line."""
    settings = QuizSettings(pass_score=80)
    if fm is None:
        return settings
    for key, value in fm.data.items():
        key, line = str(key), fm.line_of(str(key))
        if key == "points":
            _points(value, fm, questions, problems)
        elif key not in CHECKS:
            problems.append(GiftProblem(line, Message(M.UNKNOWN_KEY, key=short(key)), "warning", 0))
        elif CHECKS[key](value, len(questions)):
            setattr(settings, key, value)
        else:
            problems.append(GiftProblem(line, Message(M.SETTING[key], n=len(questions)), number=0))
    return settings


def _points(
    points: Any, fm: FrontMatter, questions: list[Question], problems: list[QuizProblem]
) -> None:
    """Apply ``points: {question-id: n}``: GIFT itself cannot make a question worth more than 1."""
    if not isinstance(points, dict):
        if points is not None:
            problems.append(GiftProblem(fm.line_of("points"), Message(M.POINTS_MAP), number=0))
        return
    by_id, lines = {q.id: q for q in questions}, fm.nested_lines.get("points", {})
    for key, value in points.items():
        key, line = str(key), lines.get(str(key), fm.line_of("points"))
        if key not in by_id:
            problems.append(GiftProblem(line, Message(M.POINTS_ID, id=short(key)), number=0))
        elif not _whole(value, 1):
            problems.append(GiftProblem(line, Message(M.POINTS_VALUE, id=short(key)), number=0))
        else:
            by_id[key].points = value
