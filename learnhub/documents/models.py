"""The per-unit settings of the Party document form: organ lines, number abbreviation, place, signer, recipients."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from learnhub.db import TimestampMixin
from learnhub.extensions import Model


class DocumentSettings(TimestampMixin, Model):
    """How one issuing unit's documents are headed and signed; an empty field takes the default
    derived from the unit and its parent (learnhub/documents/form.py)."""

    __tablename__ = "document_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), unique=True)
    superior_organ: Mapped[str] = mapped_column(sa.String(200), default="")  # "ĐẢNG BỘ HUYỆN ..."
    issuing_organ: Mapped[str] = mapped_column(sa.String(200), default="")  # "ĐẢNG ỦY THỊ TRẤN"
    abbreviation: Mapped[str] = mapped_column(sa.String(20), default="")  # "ĐU" in "Số 05-KH/ĐU"
    place: Mapped[str] = mapped_column(sa.String(100), default="")  # "Thị trấn" in the date line
    on_behalf: Mapped[str] = mapped_column(sa.String(100), default="")  # "T/M ĐẢNG ỦY"
    signer_title: Mapped[str] = mapped_column(sa.String(100), default="")  # "BÍ THƯ"
    signer_name: Mapped[str] = mapped_column(sa.String(200), default="")
    recipients: Mapped[str] = mapped_column(sa.Text, default="")  # "Nơi nhận", one line each

    def __repr__(self) -> str:
        return f"<DocumentSettings unit={self.unit_id}>"
