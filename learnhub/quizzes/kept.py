"""Quiz figures kept per (quiz, unit): written with the graded attempt, read as a sum over a subtree.

A unit's rows hold what its own members' submitted attempts add up to (``QuizUnitFigures``,
``QuizUnitScore``, ``QuizUnitAnswer``). Whenever those attempts or those members change, the rows of
the units concerned are recomputed from the raw attempts and answers by ``refresh_quiz_units``,
in the same transaction, with the very statements ``rebuild_quiz_figures`` runs for the whole
organisation: a cell's few dozen attempts, so cheap and never drifting by an increment missed.
See docs/quizzes.md ("Kept figures").
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

import sqlalchemy as sa

from learnhub.auth.models import User
from learnhub.db import kept_statement, lock_units
from learnhub.extensions import db
from learnhub.quizzes.models import (
    AttemptAnswer,
    AttemptStatus,
    QuizAttempt,
    QuizUnitAnswer,
    QuizUnitFigures,
    QuizUnitScore,
)

CHUNK = 500  # units per statement


# Which quizzes and units: a list of ids, one id bound at execution (a BindParameter), or None for all.
Some = list[int] | sa.BindParameter[Any] | None


def _among(column: Any, ids: Some) -> list[sa.ColumnElement[bool]]:
    if ids is None:
        return []
    return [column == ids] if isinstance(ids, sa.BindParameter) else [column.in_(ids)]


def _filters(quiz_ids: Some, unit_ids: Some) -> list[sa.ColumnElement[bool]]:
    return [QuizAttempt.status == AttemptStatus.submitted, *_among(QuizAttempt.quiz_id, quiz_ids),
            *_among(User.unit_id, unit_ids)]


def computed_figures(quiz_ids: Some = None, unit_ids: Some = None) -> sa.Select:
    """QuizUnitFigures' columns computed from the raw attempts (the definition the kept rows follow)."""
    per_member = (
        sa.select(
            QuizAttempt.quiz_id, User.unit_id,
            sa.func.count(QuizAttempt.id).label("attempts"),
            sa.func.sum(QuizAttempt.percent).label("percent_sum"),
            sa.func.max(sa.case((QuizAttempt.passed.is_(True), 1), else_=0)).label("passed"),
            sa.func.max(sa.case((sa.and_(QuizAttempt.number == 1, QuizAttempt.passed.is_(True)), 1), else_=0)).label("first"),
            sa.func.max(QuizAttempt.percent).label("best"),
        )
        .join(User, User.id == QuizAttempt.user_id)
        .where(*_filters(quiz_ids, unit_ids))
        .group_by(QuizAttempt.quiz_id, User.unit_id, QuizAttempt.user_id)
        .subquery()
    )
    return sa.select(
        per_member.c.quiz_id, per_member.c.unit_id,
        sa.func.sum(per_member.c.attempts).label("attempts"),
        sa.func.coalesce(sa.func.sum(per_member.c.percent_sum), 0.0).label("percent_sum"),
        sa.func.count().label("members"),
        sa.func.sum(per_member.c.passed).label("passed_members"),
        sa.func.sum(per_member.c.first).label("first_passed_members"),
        sa.func.coalesce(sa.func.sum(per_member.c.best), 0.0).label("best_sum"),
    ).group_by(per_member.c.quiz_id, per_member.c.unit_id)


def computed_scores(quiz_ids: Some = None, unit_ids: Some = None) -> sa.Select:
    """QuizUnitScore's columns from the raw attempts: how many attempts scored each percent."""
    return (
        sa.select(QuizAttempt.quiz_id, User.unit_id, QuizAttempt.percent, sa.func.count().label("attempts"))
        .join(User, User.id == QuizAttempt.user_id)
        .where(*_filters(quiz_ids, unit_ids), QuizAttempt.percent.is_not(None))
        .group_by(QuizAttempt.quiz_id, User.unit_id, QuizAttempt.percent)
    )


def computed_answers(quiz_ids: Some = None, unit_ids: Some = None) -> sa.Select:
    """QuizUnitAnswer's columns from the raw answers of submitted attempts (graded ones counted)."""
    return (
        sa.select(QuizAttempt.quiz_id, User.unit_id, AttemptAnswer.qid,
                  sa.func.count(AttemptAnswer.fraction).label("answered"),
                  sa.func.coalesce(sa.func.sum(AttemptAnswer.fraction), 0.0).label("credit"))
        .join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
        .join(User, User.id == QuizAttempt.user_id)
        .where(*_filters(quiz_ids, unit_ids))
        .group_by(QuizAttempt.quiz_id, User.unit_id, AttemptAnswer.qid)
    )


# Each kept table, the query that computes it from the raw rows, and how many of its columns are its key.
KEPT = ((QuizUnitFigures, computed_figures, 2), (QuizUnitScore, computed_scores, 3), (QuizUnitAnswer, computed_answers, 3))


def _inserts(quiz_ids: Some, unit_ids: Some) -> list[sa.Insert]:
    """INSERT ... SELECT of the rows of ``quiz_ids`` x ``unit_ids`` computed from the raw rows."""
    found = []
    for model, computed, _width in KEPT:
        query = computed(quiz_ids, unit_ids)
        found.append(sa.insert(cast(sa.Table, model.__table__)).from_select([c.name for c in query.selected_columns], query))
    return found


def _write(quiz_ids: list[int] | None, unit_ids: list[int] | None) -> None:
    """Insert the rows of ``quiz_ids`` x ``unit_ids`` (None: all) computed from the raw rows."""
    for insert in _inserts(quiz_ids, unit_ids):
        db.session.execute(insert)


def _one_unit_statements() -> list[sa.Executable]:
    """The DELETE and INSERTs refreshing one quiz's rows of one unit, with ``:quiz`` and
    ``:unit`` bound at execution: built once per worker (a graded attempt's share of the work)."""
    quiz, unit = sa.bindparam("quiz", type_=sa.Integer), sa.bindparam("unit", type_=sa.Integer)
    table = cast(sa.Table, QuizUnitFigures.__table__)
    doomed = sa.delete(table).where(table.c.unit_id == unit, table.c.quiz_id == quiz)  # the rest cascade
    return [doomed, *_inserts(quiz, unit)]


def refresh_quiz_units(unit_ids: Iterable[int | None], quiz_ids: Iterable[int] | None = None) -> None:
    """Recompute the kept rows of ``unit_ids`` (for ``quiz_ids``, or every quiz) from the raw rows;
    only flushes. Call it, in the same transaction, after anything that changes which submitted
    attempts a unit's members have: a graded attempt, a member moved (both units), an attempt
    deleted. Takes one lock per unit on PostgreSQL so that two members of a cell submitting at the
    same moment cannot each write a total without the other's attempt."""
    units = sorted({u for u in unit_ids if u is not None})
    quizzes = None if quiz_ids is None else sorted(set(quiz_ids))
    if not units or quizzes == []:
        return
    db.session.flush()
    for start in range(0, len(units), CHUNK):
        chunk = units[start:start + CHUNK]
        lock_units(db.session(), chunk)
        doomed = sa.delete(QuizUnitFigures).where(QuizUnitFigures.unit_id.in_(chunk))  # the rest cascade
        if quizzes is not None:
            doomed = doomed.where(QuizUnitFigures.quiz_id.in_(quizzes))
        db.session.execute(doomed, execution_options={"synchronize_session": False})
        _write(quizzes, chunk)


def refresh_for_attempt(attempt: QuizAttempt) -> None:
    """Keep the figures of the attempt's quiz for its member's unit (after grading it): the same
    statements as ``refresh_quiz_units``, for one quiz and one unit, kept built."""
    member = db.session.get(User, attempt.user_id)
    if member is None:
        return
    db.session.flush()
    bound = {"quiz": attempt.quiz_id, "unit": member.unit_id}
    lock_units(db.session(), [member.unit_id])
    for statement in kept_statement("quiz_kept_one_unit", _one_unit_statements):
        db.session.execute(statement, bound)


def rebuild_quiz_figures(quiz_id: int | None = None) -> int:
    """Recompute every kept row (of ``quiz_id``, or of all quizzes) from the raw attempts and
    answers; only flushes. Returns the (quiz, unit) rows written. On PostgreSQL it locks the kept
    tables against writes first, so grading waits the few seconds it takes rather than racing it."""
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("LOCK TABLE quiz_unit_figures, quiz_unit_score, quiz_unit_answer IN SHARE ROW EXCLUSIVE MODE"))
    doomed = sa.delete(QuizUnitFigures)
    if quiz_id is not None:
        doomed = doomed.where(QuizUnitFigures.quiz_id == quiz_id)
    db.session.execute(doomed, execution_options={"synchronize_session": False})
    _write(None if quiz_id is None else [quiz_id], None)
    written = sa.select(sa.func.count()).select_from(QuizUnitFigures)
    return db.session.scalar(written if quiz_id is None else written.where(QuizUnitFigures.quiz_id == quiz_id)) or 0


def _keyed(rows: Iterable[Any], width: int) -> dict[tuple, tuple]:
    return {tuple(row[:width]): tuple(_plain(value) for value in row[width:]) for row in rows}


def _plain(value: Any) -> Any:
    """A number as Python's own: PostgreSQL's SUM of integers is a Decimal."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _same(a: tuple, b: tuple) -> bool:
    """Equal, with sums of floats compared to a billionth (their order of addition differs)."""
    return len(a) == len(b) and all(
        math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) if isinstance(x, float) or isinstance(y, float) else x == y
        for x, y in zip(a, b, strict=True))


def quiz_figure_differences(quiz_id: int | None = None) -> list[dict[str, Any]]:
    """The kept rows that differ from the from-scratch computation (none when all is well): one
    dict per row with the table, its key, the kept values and the computed ones (None: missing)."""
    quizzes = None if quiz_id is None else [quiz_id]
    found: list[dict[str, Any]] = []
    for model, computed, width in KEPT:
        query = computed(quizzes, None)
        names = [c.name for c in query.selected_columns]
        kept_query = sa.select(*(model.__table__.c[name] for name in names))
        if quiz_id is not None:
            kept_query = kept_query.where(model.__table__.c.quiz_id == quiz_id)
        kept = _keyed(db.session.execute(kept_query), width)
        fresh = _keyed(db.session.execute(query), width)
        for key in sorted(set(kept) | set(fresh), key=repr):
            ours, theirs = kept.get(key), fresh.get(key)
            if ours is None or theirs is None or not _same(ours, theirs):
                found.append({"table": model.__tablename__, "key": dict(zip(names[:width], key, strict=True)),
                              "kept": ours, "computed": theirs})
    return found
