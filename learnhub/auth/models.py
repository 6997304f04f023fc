"""User accounts: members, propagandists, committee members and admins."""
from __future__ import annotations

import datetime as dt
import unicodedata
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from learnhub.db import TimestampMixin, enum_column, utcnow
from learnhub.extensions import Model
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


class User(UserMixin, TimestampMixin, Model):
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
    # Part of every sign-in's token: raising it ends every session and remember-me cookie of the
    # account (sign-out, a new password, a role change, deactivation, two-step changes).
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Two-step sign-in: the TOTP secret (base32) once confirmed, and the last time step accepted,
    # so a code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    totp_enrolled_at: Mapped[dt.datetime | None]

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

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_secret is not None

    @property
    def two_factor_required(self) -> bool:
        """Admins and committee members who enrolled may not switch two-step sign-in off."""
        return self.two_factor_enabled and self.role in (Role.admin, Role.committee)

    def set_password(self, password: str) -> None:
        """Hash and keep ``password``; a password the rules refuse raises WeakPassword."""
        from learnhub.auth.passwords import WeakPassword, password_problem

        problem = password_problem(password, self.username or "")
        if problem:
            raise WeakPassword(problem)
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        return self.role == Role.admin or self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class RecoveryCode(Model):
    """A single-use code for signing in without the authenticator app.

    The first characters (the selector) find the row; the rest is kept only as a salted password
    hash, as for passwords (ASVS 6.5.2: lookup secrets under 112 bits are hashed that way).
    """

    __tablename__ = "recovery_code"
    __table_args__ = (sa.UniqueConstraint("user_id", "selector"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    selector: Mapped[str] = mapped_column(sa.String(8))
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    used_at: Mapped[dt.datetime | None]


def _leaves_sign_in(user: User) -> bool:
    """True when the flush switches the account off or moves it out of the statuses that sign in."""
    state: sa.orm.InstanceState[User] = sa.inspect(user)
    active, status = state.attrs.active.history, state.attrs.status.history
    was_active = active.deleted[0] if active.deleted else user.active
    was_status = status.deleted[0] if status.deleted else user.status
    return bool(was_active and was_status in SIGN_IN_STATUSES) and not user.is_active


@sa.event.listens_for(Session, "before_flush")
def _end_sessions_on_account_changes(session: Session, _context: object, _instances: object) -> None:
    """A new password, role or two-step secret, or a deactivation, ends the account's sign-ins."""
    for obj in session.dirty:
        if not isinstance(obj, User):
            continue
        state: sa.orm.InstanceState[User] = sa.inspect(obj)
        attrs = state.attrs
        changed = any(
            attrs[name].history.has_changes() for name in ("password_hash", "role", "totp_secret")
        )
        if (changed or _leaves_sign_in(obj)) and not attrs.session_version.history.has_changes():
            obj.session_version = (obj.session_version or 0) + 1
