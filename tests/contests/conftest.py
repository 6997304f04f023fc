"""A contest of cell A on the test module's quiz, with one open round."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from learnhub.contests import services
from learnhub.contests.models import Contest
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.quizzes.models import Quiz


@pytest.fixture
def contest(app, town, make_quiz) -> int:
    """The id of a published contest of cell A: 4 questions per entry, prizes for three ranks."""
    return make_contest(app, town, make_quiz)


def make_contest(app, town, make_quiz) -> int:
    """A published contest of cell A with a closed round and an open one (see ``contest``)."""
    make_quiz(12)
    with app.app_context():
        made = services.create_contest(
            unit=db.session.get_one(Unit, town["a"].id), quiz=db.session.scalars(sa.select(Quiz)).one(),
            title="Cuộc thi tìm hiểu Nghị quyết", organiser="Ban Tuyên giáo", rules="Mỗi tuần một vòng.",
            prizes=["Giải Nhất", "Giải Nhì", "Giải Ba"], questions_per_entry=4, time_limit_minutes=10)
        now = utcnow()
        services.add_round(made, opens_at=now - dt.timedelta(days=8), closes_at=now - dt.timedelta(days=1))
        services.add_round(made, opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=6))
        services.publish(made)
        db.session.commit()
        return made.id


def get_contest(contest_id: int) -> Contest:
    return db.session.get_one(Contest, contest_id)
