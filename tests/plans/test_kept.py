"""The kept figures: rebuilt from the raw rows, compared with them, read like member_progress."""
from __future__ import annotations

import sqlalchemy as sa

from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.plans import upkeep
from learnhub.plans.completion import completion_report, member_progress
from learnhub.plans.kept import PlanProgress, differences, kept_progress, rebuild, refresh_members
from learnhub.plans.models import StudyPlan
from tests.plans.test_completion import org  # noqa: F401  (the hand-built organisation)


def test_rebuild_copies_member_progress_and_check_finds_a_tampered_row(app, org) -> None:  # noqa: F811
    with app.app_context():
        plan = db.session.get(StudyPlan, org["plan"])
        assert rebuild(plan) > 0
        assert differences(plan) == []
        live = member_progress(plan)
        kept = kept_progress(plan)
        want = set(db.session.execute(sa.select(live.c.user_id, live.c.unit_id, live.c.completed_at)).tuples())
        got = set(db.session.execute(sa.select(kept.c.user_id, kept.c.unit_id, kept.c.completed_at)).tuples())
        assert got == want
        user_id = org["people"]["a_done"].id
        db.session.execute(sa.update(PlanProgress).where(PlanProgress.user_id == user_id).values(lessons_done=99))
        found = differences(plan)
        assert [d["user_id"] for d in found] == [user_id]
        assert found[0]["kept"]["lessons_done"] == 99
        refresh_members([user_id])
        assert differences(plan) == []


def test_figures_follow_the_study_in_the_transaction_that_records_it(app, org) -> None:  # noqa: F811
    """Studying, a graded attempt and a member's move rewrite the kept rows at the commit."""
    from tests.plans.test_completion import AFTER_DUE, pass_quiz

    with app.app_context():
        plan = db.session.get(StudyPlan, org["plan"])
        rebuild(plan)
        db.session.commit()
        user_id = org["people"]["a_lessons_only"].id
        pass_quiz(user_id, AFTER_DUE)
        db.session.commit()
        row = db.session.get(PlanProgress, (plan.id, user_id))
        assert row.completed_at is not None and not row.on_time
        assert differences(plan) == []


def test_a_closed_plan_keeps_its_snapshot_and_reopening_reads_the_organisation_again(app, org) -> None:  # noqa: F811
    from learnhub.plans.models import PlanStatus
    from learnhub.plans.services import set_status

    with app.app_context():
        plan = db.session.get(StudyPlan, org["plan"])
        set_status(plan, PlanStatus.open)
        db.session.commit()
        set_status(plan, PlanStatus.closed)
        db.session.commit()
        assert differences(plan) == []
        kept = kept_progress(plan)
        rows = db.session.execute(sa.select(kept.c.user_id, kept.c.lessons_done, kept.c.passed_at)).all()
        assert len(rows) == 8 and {(r.lessons_done, r.passed_at) for r in rows} == {(0, None)}
        set_status(plan, PlanStatus.open)
        db.session.commit()
        assert differences(plan) == []
        assert db.session.scalar(sa.select(sa.func.max(PlanProgress.lessons_done))) == 3


def test_two_members_of_a_cell_completing_at_once_are_both_summed(app, org, make_user) -> None:  # noqa: F811
    """Each transaction recomputes the cell's sums from the kept rows it can see; the unit lock makes
    the second wait for the first's commit, so neither writes a total without the other."""
    import threading
    import time

    from tests.plans.test_completion import BEFORE_DUE, pass_quiz, study_all

    first = org["people"]["a_lessons_only"].id  # has read every lesson: the quiz completes the plan
    second = make_user(unit=org["a"]).id  # new to Chi bộ A, nothing studied
    with app.app_context():
        plan = db.session.get(StudyPlan, org["plan"])
        before = completion_report(plan, db.session.get(Unit, org["town"].id)).total.completed
    written = threading.Event()
    errors: list[BaseException] = []

    def complete(member_id: int, hold: bool) -> None:
        with app.app_context():
            try:
                if member_id == second:
                    study_all(member_id, BEFORE_DUE)
                pass_quiz(member_id, BEFORE_DUE)
                upkeep.apply()  # the kept rows and the cell's sums written, not yet committed
                if hold:
                    written.set()
                    time.sleep(0.5)
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    holder = threading.Thread(target=complete, args=(first, True))
    holder.start()
    assert written.wait(30), errors
    other = threading.Thread(target=complete, args=(second, False))
    other.start()
    for thread in (holder, other):
        thread.join(timeout=30)
    assert errors == []
    with app.app_context():
        plan = db.session.get(StudyPlan, org["plan"])
        assert completion_report(plan, db.session.get(Unit, org["town"].id)).total.completed == before + 2
        assert differences(plan) == []


def test_refreshing_most_of_a_plan_rebuilds_it_and_a_few_members_do_not(app, org, monkeypatch) -> None:  # noqa: F811
    from learnhub.plans import kept

    rebuilt: list[int] = []
    real = kept.rebuild
    monkeypatch.setattr(kept, "rebuild", lambda plan: rebuilt.append(plan.id) or real(plan))
    monkeypatch.setattr(kept, "CHUNK", 1)
    with app.app_context():
        plan = db.session.get(StudyPlan, org["plan"])
        people = [org["people"][key].id for key in ("a_done", "b_none", "a1_none")]
        db.session.execute(sa.update(PlanProgress).values(lessons_done=99))  # every row wrong
        refresh_members(people[:1])
        assert rebuilt == [] and len(differences(plan)) > 1  # one member refreshed, the others still wrong
        refresh_members(people)  # 3 of 8 rows: past an eighth, the plan is rebuilt
        assert rebuilt == [plan.id] and differences(plan) == []
