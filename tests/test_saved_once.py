"""One-of-a-kind rows (a unit's bulletin for a module, its document settings, a member's reminder
choices) saved twice at once, as a double click does: the second save updates what the first made,
never a 500 on the unique rule. The race is played by making the twin after the page read nothing."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from learnhub.auth.models import User
from learnhub.documents import services as documents
from learnhub.documents.models import DocumentSettings
from learnhub.extensions import db
from learnhub.notify.models import ChannelName, ReminderPreference
from learnhub.notify.stop import stop_all
from learnhub.orgs.models import Unit
from learnhub.outreach import bulletins
from learnhub.outreach.models import Bulletin


def test_a_bulletin_saved_twice_at_once_is_one_bulletin(app: Flask, town, make_course) -> None:
    course = make_course(lessons=1)
    with app.app_context():
        course = db.session.get(type(course), course.id)
        first_page, second_page = (bulletins.get_bulletin(course, town["a"].id) for _ in range(2))  # both new
        author = db.session.get(User, town["bithu1"].id)
        bulletins.save_bulletin(first_page, title="Bản tin", key_points="", script="Một.", by=author, resplit=False)
        db.session.commit()
        saved = bulletins.save_bulletin(second_page, title="Bản tin mới", key_points="", script="Hai.", by=author,
                                        resplit=False)
        db.session.commit()
        rows = db.session.scalars(sa.select(Bulletin)).all()
        assert [(b.title, b.script) for b in rows] == [("Bản tin mới", "Hai.")] and saved.id == rows[0].id


def test_document_settings_saved_twice_at_once_are_one_row(app: Flask, town, monkeypatch) -> None:
    with app.app_context():
        unit = db.session.get(Unit, town["a"].id)
        documents.save_settings(unit=unit, values={"signer_name": "Nguyễn Văn A"})
        db.session.commit()
        monkeypatch.setattr(documents, "settings_of", lambda unit_id, calls=[]: calls.append(1) or (  # noqa: B006
            None if len(calls) == 1 else db.session.scalar(sa.select(DocumentSettings))))  # the first read: none yet
        documents.save_settings(unit=unit, values={"signer_name": "Trần Thị B"})
        db.session.commit()
        assert db.session.scalars(sa.select(DocumentSettings.signer_name)).all() == ["Trần Thị B"]


def test_a_stop_link_pressed_twice_at_once_stops_once(app: Flask, town, monkeypatch) -> None:
    with app.app_context():
        member = db.session.get(User, town["member_a"].id)
        db.session.add(ReminderPreference(user_id=member.id, opted_out=[]))  # the first press, just committed
        db.session.commit()
        real_get = db.session.get
        calls: list[int] = []

        def stale_get(model, key, **kwargs):  # the second press read before the first committed
            calls.append(1)
            return None if model is ReminderPreference and len(calls) == 1 else real_get(model, key, **kwargs)

        monkeypatch.setattr(db.session, "get", stale_get)
        stop_all(member)
        db.session.commit()
        monkeypatch.undo()
        assert db.session.scalars(sa.select(ReminderPreference.opted_out)).all() == [[c.value for c in ChannelName]]
