"""User accounts: members, propagandists, committee members and admins."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from learnhub.db import TimestampMixin, enum_column
from learnhub.extensions import db

if TYPE_CHECKING:
    from learnhub.orgs.models import Unit


class Category(StrEnum):
    """Who a person is, which decides the study-rate rosters they belong to."""

    party_member = "party_member"  # đảng viên
    civil_servant = "civil_servant"  # cán bộ, công chức, viên chức (không phải đảng viên)
    citizen = "citizen"  # quần chúng Nhân dân


class Role(StrEnum):
    """What a person may do; every role also studies as a member."""

    member = "member"
    propagandist = "propagandist"
    committee = "committee"
    admin = "admin"


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    category: Mapped[Category] = mapped_column(enum_column(Category))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.member)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[dt.datetime | None]

    unit: Mapped[Unit] = relationship(back_populates="members")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        return self.role == Role.admin or self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.username}>"
