"""The kept figures: rebuilt from the raw rows, compared with them, read like member_progress."""
from __future__ import annotations

import sqlalchemy as sa

from learnhub.extensions import db
from learnhub.plans.completion import member_progress
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
