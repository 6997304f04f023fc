"""Units of the organisation tree."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learnhub.db import TimestampMixin, enum_column, utcnow
from learnhub.extensions import Model

if TYPE_CHECKING:
    from learnhub.auth.models import User


class UnitKind(StrEnum):
    committee = "committee"  # đảng bộ
    cell = "cell"  # chi bộ
    agency = "agency"  # cơ quan, đơn vị
    mass_org = "mass_org"  # đoàn thể, MTTQ


class Unit(TimestampMixin, Model):
    """A node of the organisation tree; names are unique among siblings."""

    __tablename__ = "unit"
    __table_args__ = (sa.UniqueConstraint("parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    archived_at: Mapped[dt.datetime | None]

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")
    members: Mapped[list[User]] = relationship(back_populates="unit")

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.name!r}>"


class UnitAssignment(Model):
    """A committee member's responsibility for a unit ("phân công phụ trách"): their scope is the
    subtrees of the units assigned to them."""

    __tablename__ = "unit_assignment"
    __table_args__ = (sa.UniqueConstraint("user_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()
