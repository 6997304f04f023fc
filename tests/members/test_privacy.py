"""Former members' personal data is cleared after the retention period; the figures stay."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.auth.models import MemberStatus, User
from learnhub.extensions import db
from learnhub.members.models import MembershipEvent, MembershipEventKind
from learnhub.members.privacy import anonymise, members_to_anonymise
from learnhub.plans.completion import completion_report
from learnhub.plans.models import Criterion, PlanStatus, Reflection, ReflectionStatus
from learnhub.plans.services import create_plan, set_status

TODAY = dt.date(2026, 11, 25)


def gone(user: User, status: MemberStatus, on: dt.date) -> None:
    user.status = status
    db.session.add(MembershipEvent(user_id=user.id, kind=MembershipEventKind.status, effective_on=on, status=status))


def test_members_gone_longer_than_the_period_are_anonymised_and_rates_do_not_move(app: Flask, town, make_course) -> None:
    course = make_course(lessons=1)
    with app.app_context():
        an, binh = db.session.get(User, town["member_a"].id), db.session.get(User, town["member_b"].id)
        an.birth_date, an.phone, an.party_card, an.email = dt.date(1960, 1, 2), "0912345678", "123456", "an@example.vn"
        root = db.session.get(type(town["root"]), town["root"].id)
        plan = create_plan(unit=root, course=db.session.get(type(course), course.id), title="Kế hoạch 2019",
                           opens_on=dt.date(2019, 1, 1), due_on=dt.date(2019, 6, 30), target_units=[root],
                           criteria=(Criterion.lessons,))  # the module has no quiz
        set_status(plan, PlanStatus.open)
        db.session.add(Reflection(plan_id=plan.id, user_id=an.id, learned="Tôi đã học được nhiều điều riêng tư.",
                                  status=ReflectionStatus.submitted, submitted_at=dt.datetime(2019, 5, 1, tzinfo=dt.UTC)))
        set_status(plan, PlanStatus.closed)
        gone(an, MemberStatus.left, dt.date(2019, 7, 1))  # more than 5 years ago
        gone(binh, MemberStatus.moved, dt.date(2024, 1, 1))  # recently: kept
        db.session.commit()
        before = completion_report(plan, root).total

        ids = members_to_anonymise(TODAY, 5)
        assert ids == [an.id]
        anonymise(ids)
        db.session.commit()
        db.session.expire_all()

        an = db.session.get(User, an.id)
        assert (an.full_name, an.birth_date, an.phone, an.party_card, an.email, an.password_hash) == (
            "Đã ẩn danh", None, None, None, None, None)
        assert an.username == f"anon-{an.id}" and not an.active
        assert db.session.scalar(sa.select(Reflection.learned).where(Reflection.user_id == an.id)) == ""
        assert db.session.get(User, binh.id).full_name == "Hoàng Thị Bình"
        assert completion_report(plan, root).total == before
        assert db.session.scalar(sa.select(AuditEntry.summary).where(AuditEntry.action == "members.anonymise"))
        assert members_to_anonymise(TODAY, 5) == []  # done once


def test_the_command_asks_first_and_says_how_many(app: Flask, town) -> None:
    with app.app_context():
        an = db.session.get(User, town["member_a"].id)
        gone(an, MemberStatus.deceased, dt.date(2010, 3, 1))
        db.session.commit()
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["members", "anonymise", "--dry-run", "--format", "json"])
    assert dry.exit_code == 0 and '"members": 1' in dry.stdout
    refused = runner.invoke(args=["members", "anonymise"], input="n\n")
    assert refused.exit_code != 0 and "nothing was changed" in refused.stderr
    with app.app_context():
        assert db.session.get(User, town["member_a"].id).full_name == "Nguyễn Văn An"
    done = runner.invoke(args=["members", "anonymise", "--yes"])
    assert done.exit_code == 0 and "1 member(s) anonymised" in done.stderr
    bad = runner.invoke(args=["members", "anonymise", "--years", "0"])
    assert bad.exit_code != 0
