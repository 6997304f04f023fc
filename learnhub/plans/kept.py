"""The kept figures: one row per plan and roster member holding what ``member_progress`` and
``member_formalism`` compute for them, written in the same transaction as every change that alters
them (``learnhub.plans.upkeep`` finds those changes), so reports read rows instead of re-aggregating
every lesson and answer. ``rebuild`` and ``differences`` compare them with the from-scratch computation.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, selectinload

from learnhub.auth.models import Category, User
from learnhub.courses.models import Lesson
from learnhub.db import IdList, enum_column, kept_statement, lock_units
from learnhub.extensions import Model, db
from learnhub.plans.completion import (
    Members,
    _lesson_count,
    due_end,
    member_filter,
    member_progress,
    unit_scope,
)
from learnhub.plans.formalism import member_formalism
from learnhub.plans.models import PlanSnapshot, PlanStatus, ReflectionStatus, StudyPlan
from learnhub.plans.modules import plan_course_ids
from learnhub.settings import formalism_thresholds, local_midnight

CHUNK = 500  # members per statement when refreshing many
# Refreshing a member's row costs about seven times its share of rebuilding the whole plan (measured
# at 100,000 members on PostgreSQL: 20,000 members in 4.6 s, the plan's 100,000 in 3.4 s): past an
# eighth of the plan's rows, ``refresh_members`` rebuilds the plan instead.
REBUILD_SHARE = 8
STATEMENTS_KEPT = 64  # refresh statements kept built (one per plan and shape)


class PlanProgress(Model):
    """A roster member's figures for a plan, as ``member_progress`` computes them (kept up to date)."""

    __tablename__ = "plan_progress"
    __table_args__ = (sa.Index("ix_plan_progress_plan_unit", "plan_id", "unit_id"),)

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("study_plan.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int]  # the member's unit (a closed plan's: as frozen)
    category: Mapped[Category] = mapped_column(enum_column(Category))
    lessons_done: Mapped[int] = mapped_column(default=0)  # lessons of the plan's modules studied (not archived)
    last_studied_at: Mapped[dt.datetime | None]
    passed_at: Mapped[dt.datetime | None]  # every module's quiz passed, as of the last first pass
    attended_at: Mapped[dt.datetime | None]
    reflection_status: Mapped[ReflectionStatus | None] = mapped_column(enum_column(ReflectionStatus))
    completed_at: Mapped[dt.datetime | None]
    on_time: Mapped[bool] = mapped_column(default=False)  # completed by the end of the due date
    # Formalism inputs: work done inside the plan's window (learnhub.plans.formalism.member_formalism).
    studied_in_window: Mapped[int] = mapped_column(default=0)
    rushed_in_window: Mapped[int] = mapped_column(default=0)
    attempted_in_window: Mapped[bool] = mapped_column(default=False)  # a graded attempt in the window
    first_pass_number: Mapped[int | None]
    first_attempt_passed: Mapped[bool] = mapped_column(default=False)
    best_percent: Mapped[float | None]
    reflection_in_window: Mapped[bool] = mapped_column(default=False)  # submitted in the window (any state but draft)
    reflection_returned: Mapped[bool] = mapped_column(default=False)


COLUMNS = [c.name for c in PlanProgress.__table__.columns]


class PlanUnitSums(Model):
    """A plan's kept rows summed over one unit's own roster members of one category, kept with them
    (``refresh_units``): the dashboards roll these up the tree (completion, formalism signals), a few
    rows per unit where the members' rows are a million. Averages are kept as a sum and a count."""

    __tablename__ = "plan_unit_sums"

    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("study_plan.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[Category] = mapped_column(enum_column(Category), primary_key=True)
    members: Mapped[int]
    completed: Mapped[int]
    on_time: Mapped[int]
    studied_in_window: Mapped[int]
    rushed_in_window: Mapped[int]
    attempted: Mapped[int]  # members with a graded attempt in the window
    first_pass_sum: Mapped[int]  # of first_pass_number, over first_pass_count members
    first_pass_count: Mapped[int]
    first_passed: Mapped[int]  # attempted members whose first attempt passed
    best_sum: Mapped[float]  # of best_percent, over best_count members
    best_count: Mapped[int]
    reflections: Mapped[int]  # submitted in the window
    returned: Mapped[int]


SUM_COLUMNS = [c.name for c in PlanUnitSums.__table__.columns]


def computed(plan: StudyPlan, members: Members | None = None, rushed_fraction: float | None = None) -> sa.Select:
    """The plan's rows computed from scratch (for ``members`` only, when given), in ``COLUMNS`` order."""
    progress = member_progress(plan, members=members)
    reading, attempts, reviewed = member_formalism(plan, member_filter(members=members), rushed_fraction)
    return (
        sa.select(
            sa.literal(plan.id).label("plan_id"), progress.c.user_id, progress.c.unit_id, progress.c.category,
            progress.c.lessons_done, progress.c.last_studied_at, progress.c.passed_at, progress.c.attended_at,
            progress.c.reflection_status, progress.c.completed_at,
            sa.case((progress.c.completed_at <= due_end(plan), sa.true()), else_=sa.false()).label("on_time"),
            sa.func.coalesce(reading.c.studied, 0).label("studied_in_window"),
            sa.func.coalesce(reading.c.fast, 0).label("rushed_in_window"),
            sa.case((attempts.c.user_id.is_not(None), sa.true()), else_=sa.false()).label("attempted_in_window"),
            attempts.c.first_pass.label("first_pass_number"),
            sa.case((attempts.c.first_ok == 1, sa.true()), else_=sa.false()).label("first_attempt_passed"),
            attempts.c.best.label("best_percent"),
            sa.case((reviewed.c.user_id.is_not(None), sa.true()), else_=sa.false()).label("reflection_in_window"),
            sa.case((reviewed.c.returned == 1, sa.true()), else_=sa.false()).label("reflection_returned"),
        )
        .outerjoin(reading, reading.c.user_id == progress.c.user_id)
        .outerjoin(attempts, attempts.c.user_id == progress.c.user_id)
        .outerjoin(reviewed, reviewed.c.user_id == progress.c.user_id)
    )


def rebuild(plan: StudyPlan) -> int:
    """Recompute the plan's kept rows from the raw rows (one DELETE, one INSERT ... SELECT); how many."""
    db.session.execute(sa.delete(PlanProgress).where(PlanProgress.plan_id == plan.id)
                       .execution_options(synchronize_session=False))
    db.session.execute(sa.insert(PlanProgress).from_select(COLUMNS, statements(plan).full))
    db.session.execute(sa.delete(PlanUnitSums).where(PlanUnitSums.plan_id == plan.id)
                       .execution_options(synchronize_session=False))
    db.session.execute(sa.insert(PlanUnitSums).from_select(SUM_COLUMNS, computed_sums(plan.id)))
    # Counted, not the cursor's rowcount: SQLite reports -1 for an INSERT that starts with WITH.
    return db.session.scalar(sa.select(sa.func.count()).where(PlanProgress.plan_id == plan.id)) or 0


def refresh_members(user_ids: Iterable[int], plan_ids: Iterable[int] | None = None) -> None:
    """Recompute these members' kept rows from the raw rows, for ``plan_ids`` or every plan that
    is not closed (a closed plan's roster is frozen)."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    rushed = formalism_thresholds()["rushed_fraction"]
    for plan in _plans(plan_ids):
        if len(ids) > CHUNK and len(ids) * REBUILD_SHARE > _rows_of(plan.id):
            rebuild(plan)  # a large import: the whole plan in one statement costs less
            continue
        built = statements(plan, rushed)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            left = db.session.scalars(built.delete, {"members": chunk}).all()
            joined = db.session.scalars(built.insert, {"members": chunk}).all()
            refresh_units(plan.id, {*left, *joined})


def _rows_of(plan_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(PlanProgress.plan_id == plan_id)) or 0


def computed_sums(plan_id: int | sa.BindParameter[int], units: Any = None) -> sa.Select:
    """PlanUnitSums' rows computed from the plan's kept member rows (of ``units`` only, when given:
    ids or an expanding bind parameter), in ``SUM_COLUMNS`` order."""
    p = cast(sa.Table, PlanProgress.__table__).c

    def count(flag: Any) -> Any:
        return sa.func.coalesce(sa.func.sum(sa.case((flag, 1), else_=0)), 0)

    statement = sa.select(
        p.plan_id, p.unit_id, p.category, sa.func.count().label("members"),
        count(p.completed_at.is_not(None)).label("completed"), count(p.on_time).label("on_time"),
        sa.func.coalesce(sa.func.sum(p.studied_in_window), 0).label("studied_in_window"),
        sa.func.coalesce(sa.func.sum(p.rushed_in_window), 0).label("rushed_in_window"),
        count(p.attempted_in_window).label("attempted"),
        sa.func.coalesce(sa.func.sum(p.first_pass_number), 0).label("first_pass_sum"),
        sa.func.count(p.first_pass_number).label("first_pass_count"),
        count(sa.and_(p.attempted_in_window, p.first_attempt_passed)).label("first_passed"),
        sa.func.coalesce(sa.func.sum(p.best_percent), 0.0).label("best_sum"),
        sa.func.count(p.best_percent).label("best_count"),
        count(p.reflection_in_window).label("reflections"), count(p.reflection_returned).label("returned"),
    ).where(p.plan_id == plan_id).group_by(p.plan_id, p.unit_id, p.category)
    return statement if units is None else statement.where(p.unit_id.in_(units))


def _units_statements() -> tuple[sa.Delete, sa.Insert]:
    table = cast(sa.Table, PlanUnitSums.__table__)
    plan: sa.BindParameter[int] = sa.bindparam("plan", type_=sa.Integer)
    units: sa.BindParameter[Any] = sa.bindparam("units", expanding=True)
    return (sa.delete(table).where(table.c.plan_id == plan, table.c.unit_id.in_(units)),
            sa.insert(table).from_select(SUM_COLUMNS, computed_sums(plan, units)))


def refresh_units(plan_id: int, unit_ids: Iterable[int]) -> None:
    """Recompute the plan's sums of these units from its kept member rows (after those changed),
    one transaction per unit at a time (``learnhub.db.lock_units``)."""
    units = sorted(set(unit_ids))
    if not units:
        return
    lock_units(db.session(), units)
    for statement in kept_statement("plan_unit_sums", _units_statements):
        db.session.execute(statement, {"plan": plan_id, "units": units})


_STATEMENTS: OrderedDict[tuple[Any, ...], Statements] = OrderedDict()


@dataclass(frozen=True)
class Statements:
    """A plan's from-scratch rows (``full``; ``some`` for an expanding ``members`` parameter) and
    the DELETE and INSERT ... SELECT that refresh some members (each returning the rows' units)."""

    full: sa.Select
    some: sa.Select
    delete: sa.Executable
    insert: sa.Executable


def plan_shape(plan: StudyPlan, rushed_fraction: float | None = None) -> tuple[Any, ...]:
    """What a statement built from ``member_progress`` and ``member_formalism`` for the plan depends
    on: a statement kept under this key is the one those functions would build now."""
    return (plan.id, plan.status, plan.closed_at, plan.include_exempted, tuple(plan.categories),
            tuple(plan.audiences or ()), tuple(plan.criteria), plan.all_required, plan.opens_on, plan.due_on,
            tuple(plan_course_ids(plan)), rushed_fraction, local_midnight(plan.opens_on), due_end(plan))


def statements(plan: StudyPlan, rushed_fraction: float | None = None) -> Statements:
    """The plan's statements, built once per shape of the plan: building member_progress costs far
    more than running it for one member, and a graded attempt should cost a few milliseconds."""
    if rushed_fraction is None:
        rushed_fraction = formalism_thresholds()["rushed_fraction"]
    key = plan_shape(plan, rushed_fraction)
    found = _STATEMENTS.get(key)
    if found is None:
        members = IdList("members")
        some = computed(plan, members=members, rushed_fraction=rushed_fraction)
        table = cast(sa.Table, PlanProgress.__table__)  # Core statements: the ORM would take the parameters for rows
        found = Statements(full=computed(plan, rushed_fraction=rushed_fraction), some=some,
                           delete=sa.delete(table).where(table.c.plan_id == plan.id, members.holds(table.c.user_id))
                           .returning(table.c.unit_id),
                           insert=sa.insert(table).from_select(COLUMNS, some).returning(table.c.unit_id))
        _STATEMENTS[key] = found
        while len(_STATEMENTS) > STATEMENTS_KEPT:
            _STATEMENTS.popitem(last=False)
    else:
        _STATEMENTS.move_to_end(key)
    return found


def _plans(plan_ids: Iterable[int] | None) -> Sequence[StudyPlan]:
    """The plans (every plan not closed, for None) with their modules: statements kept built, since
    a graded attempt refreshes its member's rows through here."""
    if plan_ids is None:
        return db.session.scalars(kept_statement("kept_open_plans", lambda: _plans_statement(
            StudyPlan.status != PlanStatus.closed))).all()
    wanted = sorted(set(plan_ids))
    if not wanted:
        return []
    return db.session.scalars(kept_statement("kept_plans_by_id", lambda: _plans_statement(
        StudyPlan.id.in_(sa.bindparam("plans", expanding=True)))), {"plans": wanted}).all()


def _plans_statement(which: sa.ColumnElement[bool]) -> sa.Select[tuple[StudyPlan]]:
    return sa.select(StudyPlan).where(which).options(selectinload(StudyPlan.modules)).order_by(StudyPlan.id)


def kept_progress(plan: StudyPlan, within: int | None = None) -> sa.Subquery:
    """The plan's kept rows (for ``within`` and the units below it), in member_progress's core
    column names, with the member's name and sort key (a closed plan's name as frozen) and the
    plan's lesson count. The transaction's own changes so far are applied first, so a report read
    after a change in the same transaction counts it."""
    from learnhub.plans import upkeep  # upkeep writes these rows with this module's functions

    upkeep.apply()
    units = None if within is None else unit_scope(within)
    closed = plan.status == PlanStatus.closed
    total = sa.literal(0) if closed else _lesson_count(Lesson.course_id.in_(plan_course_ids(plan)))
    statement = (
        sa.select(*(PlanProgress.__table__.c[name] for name in COLUMNS if name != "plan_id"),
                  (PlanSnapshot.full_name if closed else User.full_name).label("full_name"), User.sort_key,
                  total.label("lessons_total"))
        .join(User, User.id == PlanProgress.user_id)
        .where(PlanProgress.plan_id == plan.id)
    )
    if closed:
        statement = statement.join(PlanSnapshot, sa.and_(PlanSnapshot.plan_id == plan.id,
                                                         PlanSnapshot.user_id == PlanProgress.user_id))
    if units is not None:
        statement = statement.where(PlanProgress.unit_id.in_(units))
    return statement.subquery("progress")


def kept_sums(plan: StudyPlan) -> sa.Subquery:
    """The plan's kept unit sums (``PlanUnitSums``' columns), the transaction's own changes applied
    first: join them to ``rollup_to_children`` to sum a subtree."""
    from learnhub.plans import upkeep  # upkeep writes these rows with this module's functions

    upkeep.apply()
    table = cast(sa.Table, PlanUnitSums.__table__)
    return sa.select(*table.c).where(table.c.plan_id == plan.id).subquery("sums")


def differences(plan: StudyPlan) -> list[dict[str, Any]]:
    """Members whose kept row differs from the from-scratch one (or exists on one side only):
    ``{"user_id", "kept", "computed"}`` with each side's values (None when missing), by member;
    then the unit sums that differ from a sum of the kept rows: ``{"unit_id", "category", "kept",
    "computed"}``."""
    return _member_differences(plan) + _sum_differences(plan)


def _sum_differences(plan: StudyPlan) -> list[dict[str, Any]]:
    table = cast(sa.Table, PlanUnitSums.__table__)
    width = 3  # plan, unit, category

    def keyed(statement: sa.Select) -> dict[tuple, tuple]:
        return {tuple(row[1:width]): tuple(row[width:]) for row in db.session.execute(statement)}

    kept = keyed(sa.select(*(table.c[name] for name in SUM_COLUMNS)).where(table.c.plan_id == plan.id))
    fresh = keyed(computed_sums(plan.id))
    names = SUM_COLUMNS[width:]
    found = []
    for key in sorted(set(kept) | set(fresh), key=repr):
        ours, theirs = kept.get(key), fresh.get(key)
        if ours is None or theirs is None or not all(
                math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) for a, b in zip(ours, theirs, strict=True)):
            unit_id, category = key
            found.append({"unit_id": unit_id, "category": Category(category).value,
                          "kept": None if ours is None else dict(zip(names, ours, strict=True)),
                          "computed": None if theirs is None else dict(zip(names, theirs, strict=True))})
    return found


def _member_differences(plan: StudyPlan) -> list[dict[str, Any]]:
    kept = sa.select(*(PlanProgress.__table__.c[name] for name in COLUMNS)).where(PlanProgress.plan_id == plan.id)
    built = statements(plan)
    fresh = built.full
    wrong = sa.union(
        sa.select(sa.except_(kept, fresh).subquery().c.user_id),
        sa.select(sa.except_(fresh, kept).subquery().c.user_id),
    ).subquery()
    user_ids = sorted(db.session.scalars(sa.select(wrong.c.user_id)))
    result = []
    for start in range(0, len(user_ids), CHUNK):
        chunk = user_ids[start:start + CHUNK]
        ours = {row.user_id: row for row in db.session.execute(kept.where(PlanProgress.user_id.in_(chunk)))}
        theirs = {row.user_id: row for row in db.session.execute(built.some, {"members": chunk})}
        result += [{"user_id": user_id, "kept": _plain(ours.get(user_id)), "computed": _plain(theirs.get(user_id))}
                   for user_id in chunk]
    return result


def _plain(row: Any) -> dict[str, Any] | None:
    """A row as JSON-ready values (times in ISO format, enums by value)."""
    if row is None:
        return None
    values = {}
    for name in COLUMNS:
        value = row._mapping[name]
        if isinstance(value, dt.datetime):
            value = (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
        elif hasattr(value, "value"):
            value = value.value
        elif name in ("on_time", "attempted_in_window", "first_attempt_passed", "reflection_in_window",
                      "reflection_returned"):
            value = bool(value)
        values[name] = value
    return values
