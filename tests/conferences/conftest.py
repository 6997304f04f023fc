"""Conferences built with the services, as a committee would plan them, on the `town` fixture."""
from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from learnhub.auth.models import User
from learnhub.conferences import services
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.orgs.models import Unit


def english(client):
    """Pages in English, so tests read the interface strings as written in the code."""
    client.set_cookie("lh_lang", "en")
    return client


def make_conference(unit_id: int, invited: list[int], *, starts_at: dt.datetime | None = None,
                    hours: float = 2, title: str = "Hội nghị quán triệt Chỉ thị 05", **values) -> int:
    """A conference organised by ``unit_id`` for ``invited``, running now unless told otherwise."""
    starts_at = starts_at or utcnow() - dt.timedelta(minutes=10)
    conference = services.create_conference(
        unit=db.session.get(Unit, unit_id), title=title, starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours), invited_units=[db.session.get(Unit, u) for u in invited],
        **values,
    )
    db.session.commit()
    return conference.id


@pytest.fixture
def cell_conference(app: Flask, town) -> int:
    """Organised by cell A (bithu1's scope) for cell A, running now: an, bithu1, tuyentruyen are invited."""
    with app.app_context():
        presenter = db.session.get(User, town["propagandist"].id)
        return make_conference(town["a"].id, [town["a"].id], place="Hội trường khu phố 1",
                               presenters="Đồng chí Bí thư Chi bộ", presenter_accounts=[presenter],
                               agenda="1. Khai mạc\n2. Quán triệt **Chỉ thị 05**")
