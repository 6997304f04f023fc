"""Keeping the kept figures (``learnhub.plans.kept``) in the transaction that changes them.

One home for "what changed, whose figures move": after each flush, the changed objects (lesson
progress, graded attempts, reflections, attendance, members, plans and their units and modules,
conferences, lessons, quizzes and their questions, units, the rushed threshold) are noted as
members to refresh and plans to rebuild; just before the commit the notes are applied, in the same
transaction. Bulk ``INSERT/UPDATE/DELETE`` statements on those tables bypass the flush: unless
the statement says ``execution_options(kept="noted")`` (its caller noted what it changed with
``note_members``/``note_plans``), the whole of the kept figures is rebuilt at the commit — correct,
and slow enough that the busy paths note what they change. ``suspended()`` holds the upkeep back
during a bulk load that commits as it goes, and rebuilds everything once at its end.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy.orm import Session, selectinload

from learnhub.auth.models import User
from learnhub.conferences.models import Attendance, Conference
from learnhub.courses.models import Lesson, LessonProgress
from learnhub.db import kept_statement
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.plans.completion import due_end
from learnhub.plans.kept import PlanProgress, rebuild, refresh_members
from learnhub.plans.models import (
    PlanCourse,
    PlanSnapshot,
    PlanStatus,
    PlanUnit,
    Reflection,
    StudyPlan,
)
from learnhub.quizzes.models import AttemptStatus, Quiz, QuizAttempt, QuizQuestion
from learnhub.settings import Setting

# The columns each kind of row feeds the figures from; a change elsewhere (a heartbeat's last_seen_at,
# a reflection's text, a member's phone) moves nothing.
WATCHED: dict[type, set[str]] = {
    LessonProgress: {"user_id", "lesson_id", "studied_at", "seconds_spent"},
    QuizAttempt: {"user_id", "quiz_id", "number", "status", "submitted_at", "passed", "percent"},
    Reflection: {"user_id", "plan_id", "status", "submitted_at", "reviewed_at"},
    Attendance: {"user_id", "conference_id", "status"},
    User: {"unit_id", "category", "role", "status"},
    StudyPlan: {"categories", "audiences", "include_exempted", "opens_on", "due_on", "criteria", "all_required",
                "status", "closed_at"},
    PlanUnit: {"plan_id", "unit_id"},
    PlanCourse: {"plan_id", "course_id"},
    PlanSnapshot: {"plan_id", "user_id", "unit_id", "category", "completed_at"},
    Conference: {"plan_id", "starts_at", "cancelled_at"},
    Lesson: {"course_id", "archived_at", "minutes"},
    Quiz: {"course_id"},
    QuizQuestion: {"quiz_id", "archived_at"},
    Unit: {"parent_id"},
    Setting: {"value"},
}
RUSHED_SETTING = "formalism_rushed_fraction"
TABLES = {model.__table__.name for model in WATCHED}  # type: ignore[attr-defined]


@dataclass
class Pending:
    """What the transaction changed so far, to apply before it commits."""

    members: set[int] = field(default_factory=set)  # in every plan that is not closed
    plan_members: dict[int, set[int]] = field(default_factory=dict)  # plan → members
    lesson_members: dict[int, set[int]] = field(default_factory=dict)  # lesson → members
    quiz_members: dict[int, set[int]] = field(default_factory=dict)  # quiz → members
    earliest: dt.datetime | None = None  # the earliest study or attempt time changed (for closed plans)
    plans: set[int] = field(default_factory=set)  # to rebuild
    courses: set[int] = field(default_factory=set)  # rebuild the plans covering them
    open_plans: bool = False  # rebuild every plan that is not closed (the unit tree changed)
    windowed_plans: bool = False  # rebuild every plan that is not a draft (the rushed threshold changed)
    everything: bool = False  # rebuild every plan (a bulk statement nobody noted)

    def __bool__(self) -> bool:
        return bool(self.members or self.plan_members or self.lesson_members or self.quiz_members or self.plans
                    or self.courses or self.open_plans or self.windowed_plans or self.everything)


def _pending(session: Session) -> Pending:
    return session.info.setdefault("kept_pending", Pending())


def note_members(user_ids: Iterable[int], plan_ids: Iterable[int] | None = None) -> None:
    """Refresh these members' kept rows before the commit (in ``plan_ids``, or every plan not closed)."""
    pending = _pending(db.session())
    if plan_ids is None:
        pending.members.update(user_ids)
        return
    users = set(user_ids)
    for plan_id in plan_ids:
        pending.plan_members.setdefault(plan_id, set()).update(users)


def note_plans(plan_ids: Iterable[int]) -> None:
    """Rebuild these plans' kept rows before the commit."""
    _pending(db.session()).plans.update(plan_ids)


def note_everything() -> None:
    """Rebuild every plan's kept rows before the commit."""
    _pending(db.session()).everything = True


def _changed(obj: Any, names: set[str]) -> dict[str, tuple[Any, ...]]:
    """The watched attributes of ``obj`` that changed, each with its old values."""
    state = sa.inspect(obj)
    result = {}
    for name in names:
        history = state.attrs[name].history
        if history.added or history.deleted:
            result[name] = tuple(history.deleted)
    return result


def _earliest(pending: Pending, *moments: Any) -> None:
    for moment in moments:
        if isinstance(moment, dt.datetime):
            moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
            if pending.earliest is None or moment < pending.earliest:
                pending.earliest = moment


def _note(pending: Pending, obj: Any, how: str) -> None:
    """Note what ``obj`` (new, changed or deleted: ``how``) moves."""
    names = WATCHED[type(obj)]
    changed = _changed(obj, names) if how == "dirty" else {name: () for name in names}
    if not changed:
        return
    if isinstance(obj, LessonProgress):
        old = changed.get("studied_at", ())
        if obj.studied_at is None and not any(old):
            return  # opened, not studied: counts nowhere
        pending.lesson_members.setdefault(obj.lesson_id, set()).add(obj.user_id)
        for lesson_id in changed.get("lesson_id", ()):
            if lesson_id is not None:
                pending.lesson_members.setdefault(lesson_id, set()).add(obj.user_id)
        _earliest(pending, obj.studied_at, *old)
    elif isinstance(obj, QuizAttempt):
        old = changed.get("status", ())
        if obj.status != AttemptStatus.submitted and AttemptStatus.submitted not in old:
            return  # still being answered: not graded
        pending.quiz_members.setdefault(obj.quiz_id, set()).add(obj.user_id)
        _earliest(pending, obj.submitted_at, *changed.get("submitted_at", ()))
    elif isinstance(obj, Reflection):
        for plan_id in {obj.plan_id, *changed.get("plan_id", ())} - {None}:
            pending.plan_members.setdefault(plan_id, set()).add(obj.user_id)
    elif isinstance(obj, Attendance):  # a negative key: the conference's plan, resolved when applied
        for conference_id in {obj.conference_id, *changed.get("conference_id", ())} - {None}:
            pending.plan_members.setdefault(-conference_id, set()).add(obj.user_id)
    elif isinstance(obj, User):
        pending.members.add(obj.id)
    elif isinstance(obj, StudyPlan | PlanUnit | PlanCourse | PlanSnapshot):
        plan_id = obj.id if isinstance(obj, StudyPlan) else obj.plan_id
        pending.plans.update({plan_id, *changed.get("plan_id", ())} - {None})
    elif isinstance(obj, Conference):
        pending.plans.update({obj.plan_id, *changed.get("plan_id", ())} - {None})
    elif isinstance(obj, Lesson | Quiz):
        pending.courses.update({obj.course_id, *changed.get("course_id", ())} - {None})
    elif isinstance(obj, QuizQuestion):
        for quiz_id in {obj.quiz_id, *changed.get("quiz_id", ())} - {None}:
            pending.courses.add(-quiz_id)  # resolved to the quiz's module when applied
    elif isinstance(obj, Unit):
        if how != "new":  # a new unit has no members yet
            pending.open_plans = True
    elif isinstance(obj, Setting) and obj.key == RUSHED_SETTING:
        pending.windowed_plans = True


def _ours(session: Session) -> bool:
    """Whether ``session`` is the application's (the kept figures are written through it)."""
    return has_app_context() and db.session.registry.has() and db.session.registry() is session


def after_flush(session: Session, _context: Any) -> None:
    """Note what the flush changed."""
    if not _ours(session):
        return
    pending = _pending(session)
    for how, objects in (("new", session.new), ("dirty", session.dirty), ("deleted", session.deleted)):
        for obj in objects:
            if type(obj) in WATCHED:
                _note(pending, obj, how)


def do_orm_execute(state: Any) -> None:
    """A bulk statement on a watched table that its caller did not note: rebuild everything."""
    if not (state.is_insert or state.is_update or state.is_delete) or not _ours(state.session):
        return
    table = getattr(state.statement, "table", None)
    if table is None or getattr(table, "name", None) not in TABLES:
        return
    if state.execution_options.get("kept") != "noted":
        _pending(state.session).everything = True


def before_commit(session: Session) -> None:
    """Apply the notes in the transaction about to commit (the outermost: a savepoint's release,
    which SQLAlchemy reports as a commit too, leaves them to it)."""
    if _ours(session) and not session.info.get("kept_suspended") and not session.in_nested_transaction():
        apply(session)


def after_transaction_end(session: Session, transaction: Any) -> None:
    """A transaction ended (committed or rolled back): its notes go with it."""
    if transaction.parent is None and not session.info.get("kept_suspended"):
        session.info.pop("kept_pending", None)


def apply(session: Session | None = None) -> None:
    """Write the kept rows the transaction's changes so far call for (also called before reading
    kept figures in the transaction that changed them)."""
    session = session or db.session()
    for _round in range(5):  # applying loads plans, which never changes what it noted; bounded all the same
        session.flush()
        pending = session.info.pop("kept_pending", None)
        if not pending:
            return
        _apply(pending)


def _apply(pending: Pending) -> None:
    rebuilt: set[int] = set()
    if pending.everything:
        plans = _load(sa.true())
    else:
        quizzes = [-c for c in pending.courses if c < 0]  # a quiz changed: its module's plans
        courses = {c for c in pending.courses if c > 0} | (
            set(db.session.scalars(sa.select(Quiz.course_id).where(Quiz.id.in_(quizzes)))) if quizzes else set())
        covering = sa.select(PlanCourse.plan_id).where(PlanCourse.course_id.in_(courses))
        which: list[sa.ColumnElement[bool]] = [StudyPlan.id.in_(pending.plans), StudyPlan.id.in_(covering)]
        if pending.open_plans:
            which.append(StudyPlan.status != PlanStatus.closed)
        if pending.windowed_plans:
            which.append(StudyPlan.status != PlanStatus.draft)
        plans = _load(sa.or_(*which)) if pending.plans or courses or pending.open_plans or pending.windowed_plans else []
    for plan in plans:
        rebuild(plan)
        rebuilt.add(plan.id)
    if pending.everything:
        return
    by_plan: dict[int, set[int]] = {}
    for key, users in pending.plan_members.items():
        if key < 0:  # an attendance: the conference's plan
            plan_id = db.session.scalar(sa.select(Conference.plan_id).where(Conference.id == -key))
            if plan_id is None:
                continue
        else:
            plan_id = key
        by_plan.setdefault(plan_id, set()).update(users)
    for model, column, noted in ((Lesson, Lesson.course_id, pending.lesson_members),
                                 (Quiz, Quiz.course_id, pending.quiz_members)):
        if not noted:
            continue
        rows = db.session.execute(kept_statement(("kept_plans_of", model.__name__), functools.partial(_plans_of, model, column)),
                                  {"ids": list(noted), "earliest": pending.earliest}).tuples()
        for row_id, plan_id in rows:
            by_plan.setdefault(plan_id, set()).update(noted[row_id])
    open_ids = set(_open_plan_ids()) if pending.members else set()
    if pending.members:
        refresh_members(pending.members, sorted(open_ids - rebuilt))
    for plan_id, users in sorted(by_plan.items()):
        if plan_id not in rebuilt:  # the members refreshed in every open plan already are in this one
            refresh_members(users - pending.members if plan_id in open_ids else users, [plan_id])


def _plans_of(model: type[Lesson] | type[Quiz], column: Any) -> sa.Select[tuple[int, int]]:
    """(lesson or quiz id, plan id) of the plans whose modules hold the ``:ids``, that the work can
    still move: not closed, or closed after ``:earliest`` (the oldest work noted; NULL matches no
    closed plan), since a closed plan moves only for work dated before it closed."""
    late = sa.or_(StudyPlan.status != PlanStatus.closed, StudyPlan.closed_at.is_(None),
                  StudyPlan.closed_at > sa.bindparam("earliest", type_=StudyPlan.closed_at.type))
    return (sa.select(model.id, PlanCourse.plan_id)
            .join(PlanCourse, PlanCourse.course_id == column)
            .join(StudyPlan, StudyPlan.id == PlanCourse.plan_id)
            .where(model.id.in_(sa.bindparam("ids", expanding=True)), late))


def _load(which: sa.ColumnElement[bool]) -> list[StudyPlan]:
    return list(db.session.scalars(sa.select(StudyPlan).where(which).options(selectinload(StudyPlan.modules))
                                   .order_by(StudyPlan.id)))


def _open_plan_ids() -> list[int]:
    return list(db.session.scalars(sa.select(StudyPlan.id).where(StudyPlan.status != PlanStatus.closed)))


def rebuild_all() -> int:
    """Rebuild every plan's kept rows; how many rows there are now."""
    return sum(rebuild(plan) for plan in _load(sa.true()))


@contextmanager
def suspended() -> Iterator[None]:
    """Hold the upkeep back while a bulk load commits as it goes; rebuild every plan once at the end
    (the caller commits)."""
    session = db.session()
    session.info["kept_suspended"] = True
    try:
        yield
    finally:
        session.info.pop("kept_suspended", None)
        session.info.pop("kept_pending", None)
    rebuild_all()


def fill_missing() -> int:
    """Rebuild the plans that have no kept rows yet (after the upgrade that adds the table), and those
    whose on-time figures were counted against another end of the due date (the time zone setting
    changed since); how many plans were rebuilt with rows. Run by every ``learnhub db upgrade``."""
    plans = _load(~sa.exists(sa.select(PlanProgress.plan_id).where(PlanProgress.plan_id == StudyPlan.id)))
    missing = {plan.id for plan in plans}
    for plan in _load(StudyPlan.id.not_in(missing)):
        late = PlanProgress.completed_at > due_end(plan)
        stale = sa.or_(sa.and_(PlanProgress.on_time.is_(True), late),
                       sa.and_(PlanProgress.on_time.is_(False), PlanProgress.completed_at.is_not(None), ~late))
        if db.session.scalar(sa.select(sa.exists().where(PlanProgress.plan_id == plan.id, stale))):
            plans.append(plan)
    return sum(1 for plan in plans if rebuild(plan))


def listen() -> None:
    """Register the session events (once)."""
    for name, handler in (("after_flush", after_flush), ("do_orm_execute", do_orm_execute),
                          ("before_commit", before_commit), ("after_transaction_end", after_transaction_end)):
        if not sa.event.contains(Session, name, handler):
            sa.event.listen(Session, name, handler)
