"""A property: whatever members and editors do, in any order, the kept figures equal the figures
computed from scratch (``member_progress`` and ``member_formalism``) after every commit.

Each example builds a small organisation through the app's services, then applies a random
sequence of study events and edits through the same services the pages and commands call,
committing after each as a request does, and compares every plan's kept rows with the raw rows.
"""
from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnhub.auth.models import Category, MemberStatus, Role, User
from learnhub.conferences import attendance
from learnhub.conferences.models import AttendanceStatus, CheckInMethod, Conference
from learnhub.conferences.services import cancel_conference, create_conference
from learnhub.courses.importer import import_course
from learnhub.courses.models import Course, Lesson
from learnhub.extensions import db
from learnhub.members.privacy import anonymise
from learnhub.members.services import change_account, set_member_status, transfer_member
from learnhub.orgs.models import Unit, UnitKind
from learnhub.orgs.services import move_unit
from learnhub.plans import reflections
from learnhub.plans.kept import differences
from learnhub.plans.models import Audience, Criterion, PlanStatus, StudyPlan
from learnhub.plans.services import create_plan, set_status, update_plan
from learnhub.quizzes import attempts
from learnhub.quizzes.bank import Bank, QuizSettings
from learnhub.quizzes.models import Quiz
from learnhub.quizzes.sync import sync_quiz
from learnhub.settings import set_setting
from tests.conftest import course_source, empty_tables
from tests.quiz_factory import RIGHT, sample_questions

OPENS, DUE = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
MOMENTS = [dt.datetime(2026, 5, 20, 3, tzinfo=dt.UTC), dt.datetime(2026, 6, 10, 3, tzinfo=dt.UTC),
           dt.datetime(2026, 6, 29, 3, tzinfo=dt.UTC), dt.datetime(2026, 7, 10, 3, tzinfo=dt.UTC)]
MEMBERS = 4
TEXT = " ".join(["học"] * 31)

moment = st.sampled_from(range(len(MOMENTS)))
member = st.integers(0, MEMBERS - 1)
plan = st.integers(0, 1)
events = st.one_of(
    st.tuples(st.just("study"), member, st.integers(0, 4), moment, st.sampled_from([30, 1200])),
    st.tuples(st.just("attempt"), member, st.integers(0, 1), moment, st.booleans()),
    st.tuples(st.just("reflect"), member, plan, st.sampled_from(["submit", "accept", "return"])),
    st.tuples(st.just("attend"), member, st.sampled_from([AttendanceStatus.present, AttendanceStatus.absent])),
    st.tuples(st.just("cancel_conference")),
    st.tuples(st.just("move"), member, st.sampled_from(["a", "a1", "b", "other"])),
    st.tuples(st.just("status"), member, st.sampled_from(list(MemberStatus))),
    st.tuples(st.just("category"), member, st.sampled_from(list(Category))),
    st.tuples(st.just("role"), member, st.sampled_from([Role.member, Role.propagandist])),
    st.tuples(st.just("edit_plan"), plan, st.sampled_from(["targets", "categories", "criteria", "due", "opens",
                                                           "modules", "any"])),
    st.tuples(st.just("lessons"), st.integers(1, 3)),
    st.tuples(st.just("quiz"), st.booleans()),
    st.tuples(st.just("plan_status"), plan, st.sampled_from([PlanStatus.open, PlanStatus.closed])),
    st.tuples(st.just("anonymise"), member),
    st.tuples(st.just("rushed"), st.sampled_from([0.25, 0.6])),
    st.tuples(st.just("move_unit"),),
)


def _empty() -> None:
    empty_tables()


def _world() -> dict:
    """Town ⊃ cell A ⊃ group A1, cell B, and an unrelated unit; four members; two modules (the
    first with a quiz); an open plan on A for lessons and quiz, a draft plan on the town for a
    reflection or a conference (propagandists too), and a conference of that plan."""
    town = Unit(name="Đảng bộ Thị trấn", kind=UnitKind.committee)
    other = Unit(name="Đảng bộ khác", kind=UnitKind.committee)
    db.session.add_all([town, other])
    db.session.flush()
    a = Unit(name="Chi bộ A", kind=UnitKind.cell, parent_id=town.id)
    b = Unit(name="Chi bộ B", kind=UnitKind.cell, parent_id=town.id)
    db.session.add_all([a, b])
    db.session.flush()
    a1 = Unit(name="Tổ A1", kind=UnitKind.cell, parent_id=a.id)
    db.session.add(a1)
    admin = User(username="admin", full_name="Quản trị", role=Role.admin, unit_id=town.id, category=Category.party_member)
    people = [User(username=f"m{i}", full_name=f"Người {i}", unit_id=unit.id, category=category)
              for i, (unit, category) in enumerate([(a, Category.party_member), (a, Category.civil_servant),
                                                   (b, Category.party_member), (b, Category.citizen)])]
    db.session.add_all([admin, *people])
    import_course(course_source("mod-1", lessons=2))
    import_course(course_source("mod-2", lessons=2))
    courses = db.session.scalars(sa.select(Course).order_by(Course.slug)).all()
    for course in courses:
        course.published_at = MOMENTS[0]
    sync_quiz(courses[0], Bank(QuizSettings(pass_score=60, shuffle=False), sample_questions(2)))
    first = create_plan(unit=town, title="Kế hoạch 1", courses=courses, opens_on=OPENS, due_on=DUE, target_units=[a])
    set_status(first, PlanStatus.open)
    second = create_plan(unit=town, title="Kế hoạch 2", courses=[courses[0]], opens_on=OPENS, due_on=DUE,
                         target_units=[town], criteria=(Criterion.reflection, Criterion.conference), all_required=False,
                         audiences=(Audience.propagandists,))
    conference = create_conference(unit=town, title="Hội nghị", starts_at=MOMENTS[1],
                                   ends_at=MOMENTS[1] + dt.timedelta(hours=2), invited_units=[town], plan=second)
    db.session.commit()
    return {"units": {"town": town.id, "a": a.id, "a1": a1.id, "b": b.id, "other": other.id}, "admin": admin.id,
            "people": [p.id for p in people], "courses": [c.id for c in courses], "plans": [first.id, second.id],
            "conference": conference.id}


def _apply(world: dict, event: tuple) -> None:
    """Carry one event out through the app's services (refusals are part of the game)."""
    kind, *args = event
    people = [db.session.get(User, i) for i in world["people"]]
    plans = [db.session.get(StudyPlan, i) for i in world["plans"]]
    admin = db.session.get(User, world["admin"])
    if kind == "study":
        who, index, when, seconds = args
        lessons = db.session.scalars(sa.select(Lesson).order_by(Lesson.id)).all()
        lesson = lessons[index % len(lessons)]
        from learnhub.study.services import mark_lesson_studied, record_lesson_opened

        record_lesson_opened(people[who], lesson, now=MOMENTS[when])
        mark_lesson_studied(people[who], lesson, now=MOMENTS[when] + dt.timedelta(seconds=seconds))
    elif kind == "attempt":
        who, course, when, right = args
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.course_id == world["courses"][course]))
        if quiz is None:
            return
        sitting = attempts.start_attempt(people[who], quiz, now=MOMENTS[when], rng=random.Random(0))
        answers = {e["qid"]: attempts.to_tokens(e, RIGHT[e["question"]["kind"]]) for e in sitting.paper} if right else {}
        attempts.submit_attempt(sitting, answers, now=MOMENTS[when] + dt.timedelta(minutes=5))
    elif kind == "reflect":
        who, which, action = args
        reflection = reflections.get_or_create_reflection(plan=plans[which], user=people[who])
        if action == "submit":
            reflections.submit(reflection, learned=TEXT, application=TEXT, commitment=TEXT)
        elif action == "accept":
            reflections.accept(reflection, reviewer=admin)
        else:
            reflections.send_back(reflection, reviewer=admin, comment="Viết lại")
    elif kind == "attend":
        who, status = args
        conference = db.session.get(Conference, world["conference"])
        attendance.record(conference, people[who], status, method=CheckInMethod.roster, by=admin)
    elif kind == "cancel_conference":
        cancel_conference(db.session.get(Conference, world["conference"]), now=MOMENTS[2])
    elif kind == "move":
        who, unit = args
        transfer_member(people[who], db.session.get(Unit, world["units"][unit]), effective_on=OPENS, reason="", actor=admin)
    elif kind == "status":
        who, status = args
        set_member_status(people[who], status, effective_on=OPENS, reason="", actor=admin)
    elif kind == "category":
        who, category = args
        people[who].category = category
    elif kind == "role":
        who, role = args
        change_account(people[who], role=role, active=True)
    elif kind == "edit_plan":
        _edit_plan(world, plans[args[0]], args[1])
    elif kind == "lessons":
        import_course(course_source("mod-2", lessons=args[0]))
    elif kind == "quiz":
        course = db.session.get(Course, world["courses"][1])
        sync_quiz(course, Bank(QuizSettings(pass_score=60, shuffle=False), sample_questions(2)) if args[0] else None)
    elif kind == "plan_status":
        which, status = args
        set_status(plans[which], status)
    elif kind == "anonymise":
        anonymise([world["people"][args[0]]])
    elif kind == "rushed":
        set_setting("formalism_rushed_fraction", args[0])
    elif kind == "move_unit":
        a1 = db.session.get(Unit, world["units"]["a1"])
        move_unit(a1, db.session.get(Unit, world["units"]["b" if a1.parent_id == world["units"]["a"] else "a"]))


def _edit_plan(world: dict, plan: StudyPlan, what: str) -> None:
    units = [db.session.get(Unit, i) for i in world["units"].values()]
    values = dict(title=plan.title, opens_on=plan.opens_on, due_on=plan.due_on, all_required=plan.all_required,
                  criteria=[Criterion(c) for c in plan.criteria], categories=[Category(c) for c in plan.categories])
    targets = [t.unit_id for t in plan.target_units]
    courses = None
    if what == "targets":
        targets = [world["units"]["b"]] if world["units"]["a"] in targets else [world["units"]["a"]]
    elif what == "categories":
        values["categories"] = [Category.party_member] if len(values["categories"]) > 1 else [Category.party_member, Category.citizen]
    elif what == "criteria":
        values["criteria"] = [Criterion.lessons] if len(values["criteria"]) > 1 else [Criterion.lessons, Criterion.reflection]
    elif what == "due":
        values["due_on"] = dt.date(2026, 7, 31) if plan.due_on == DUE else DUE
    elif what == "opens":
        values["opens_on"] = dt.date(2026, 6, 15) if plan.opens_on == OPENS else OPENS
    elif what == "any":
        values["all_required"] = not plan.all_required
    elif what == "modules":
        courses = [db.session.get(Course, i) for i in reversed(world["courses"][:1 + len(plan.modules) % 2])]
    update_plan(plan, target_units=[u for u in units if u.id in targets], courses=courses, **values)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_kept_figures_always_equal_the_figures_computed_from_scratch(app: Flask) -> None:
    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(events, min_size=1, max_size=10))
    def run(steps: list[tuple]) -> None:
        with app.app_context():
            _empty()
            world = _world()
            for step in steps:
                try:
                    _apply(world, step)
                    db.session.commit()
                except (ValueError, LookupError, attempts.AttemptRefused) as refused:  # a service said no: nothing changed
                    db.session.rollback()
                    assert type(refused).__module__.startswith("learnhub."), refused
                for plan_id in world["plans"]:
                    plan = db.session.get(StudyPlan, plan_id)
                    assert differences(plan) == [], (step, plan.status)
            db.session.remove()

    run()
