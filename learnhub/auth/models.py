"""User accounts: members, propagandists, committee members and admins."""
from __future__ import annotations

import datetime as dt
import unicodedata
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from learnhub.db import TimestampMixin, enum_column
from learnhub.extensions import db
from learnhub.text import fold, name_sort_key

if TYPE_CHECKING:
    from learnhub.orgs.models import Unit


class Category(StrEnum):
    """Who a person is, which decides the study-rate rosters they belong to."""

    party_member = "party_member"  # đảng viên
    civil_servant = "civil_servant"  # cán bộ, công chức, viên chức (không phải đảng viên)
    citizen = "citizen"  # quần chúng Nhân dân


class Gender(StrEnum):
    male = "male"  # nam
    female = "female"  # nữ


class MemberStatus(StrEnum):
    """A member's standing in their cell (glossary: member status)."""

    active = "active"  # đang sinh hoạt
    exempted = "exempted"  # miễn sinh hoạt: may study, left out of rosters by default
    suspended = "suspended"  # đình chỉ sinh hoạt
    moved = "moved"  # chuyển sinh hoạt
    left = "left"  # ra khỏi Đảng
    deceased = "deceased"  # từ trần


SIGN_IN_STATUSES = frozenset({MemberStatus.active, MemberStatus.exempted})


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
    # The account can be switched off by an admin, whatever the member's status.
    active: Mapped[bool] = mapped_column(default=True)
    status: Mapped[MemberStatus] = mapped_column(
        enum_column(MemberStatus), default=MemberStatus.active, server_default=MemberStatus.active.name
    )
    last_login_at: Mapped[dt.datetime | None]
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    birth_date: Mapped[dt.date | None]
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    party_card: Mapped[str | None] = mapped_column(sa.String(30), unique=True)
    # Derived from full_name (see set_name_keys): searching without diacritics, Vietnamese order.
    search_name: Mapped[str] = mapped_column(sa.String(200), index=True, server_default="")
    sort_key: Mapped[str] = mapped_column(sa.String(400), index=True, server_default="")

    unit: Mapped[Unit] = relationship(back_populates="members")

    @validates("full_name")
    def set_name_keys(self, _key: str, full_name: str) -> str:
        full_name = " ".join(unicodedata.normalize("NFC", full_name).split())
        self.search_name = fold(full_name)
        self.sort_key = name_sort_key(full_name)
        return full_name

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses inactive accounts: switched off, or no longer an active member."""
        return self.active and self.status in SIGN_IN_STATUSES

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        return self.role == Role.admin or self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.username}>"
