"""Fixtures for the organisation pages: a small unit tree, assignments and signed-in browsers."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from learnhub.audit import AuditEntry
from learnhub.auth.models import MemberStatus, Role, User
from learnhub.extensions import db
from learnhub.orgs.models import Unit, UnitAssignment, UnitKind
from tests.conftest import login, persist


@dataclass(frozen=True)
class Tree:
    """Đảng bộ Xã > Chi bộ A > Tổ 1, and Đảng bộ Xã > Chi bộ B."""

    root: Unit
    a: Unit
    a1: Unit
    b: Unit


@pytest.fixture
def tree(make_unit: Callable[..., Unit]) -> Tree:
    root = make_unit("Đảng bộ Xã", UnitKind.committee)
    a = make_unit("Chi bộ A", parent=root)
    a1 = make_unit("Tổ 1", parent=a)
    b = make_unit("Chi bộ B", parent=root)
    return Tree(root, a, a1, b)


@pytest.fixture
def assign(app: Flask) -> Callable[[User, Unit], UnitAssignment]:
    """Make ``user`` responsible for ``unit`` directly in the database."""

    def make(user: User, unit: Unit) -> UnitAssignment:
        return persist(app, UnitAssignment(user_id=user.id, unit_id=unit.id))

    return make


@pytest.fixture
def browser(app: Flask, make_user, assign) -> Callable[..., tuple[FlaskClient, User]]:
    """A fresh client signed in as a new user of ``role``, responsible for ``assigned`` units."""

    def make(role: Role = Role.committee, *assigned: Unit, unit: Unit | None = None) -> tuple[FlaskClient, User]:
        user = make_user(role, unit=unit)
        for target in assigned:
            assign(user, target)
        client = app.test_client()
        assert login(client, user.username).status_code == 302
        return client, user

    return make


def fetch(app: Flask, statement: sa.Select[Any]) -> list[Any]:
    """Run a query in a short app context and hand back detached results."""
    with app.app_context():
        rows = list(db.session.scalars(statement))
        db.session.expunge_all()
    return rows


def get_unit(app: Flask, unit_id: int) -> Unit:
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        db.session.expunge_all()
    return unit


def units_named(app: Flask, name: str) -> list[Unit]:
    return fetch(app, sa.select(Unit).where(Unit.name == name))


def audit_entries(app: Flask, action: str) -> list[AuditEntry]:
    return fetch(app, sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))


def assignments_of(app: Flask, user: User) -> list[int]:
    """The ids of the units ``user`` is responsible for."""
    return fetch(app, sa.select(UnitAssignment.unit_id).where(UnitAssignment.user_id == user.id))


def set_status(app: Flask, user: User, status: MemberStatus) -> None:
    with app.app_context():
        db.session.get(User, user.id).status = status
        db.session.commit()
