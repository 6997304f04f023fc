"""Certificates: issued to a round's prize winners and to members who completed a study plan, drawn
as an A4 landscape PDF (fpdf2, the vendored Be Vietnam Pro TTF) with a QR code of the public
verification page, and revocable by the committee (audited)."""
from __future__ import annotations

import datetime as dt
import io
import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from fpdf import FPDF

from learnhub import audit, qr
from learnhub.contests.models import (
    Certificate,
    CertificateKind,
    Contest,
    ContestEntry,
    ContestRound,
)
from learnhub.contests.results import ranking
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.plans.kept import kept_progress
from learnhub.plans.models import StudyPlan
from learnhub.settings import get_setting, local_today

FONTS = Path(__file__).parent / "fonts"


def new_code() -> str:
    """A random, unguessable verification code."""
    return secrets.token_urlsafe(15)


def verification_url(certificate: Certificate) -> str:
    """The absolute address in the QR code, on the public address phones reach."""
    return str(get_setting("public_url")).rstrip("/") + url_for("contests.verify", code=certificate.code)


def issue_prize_certificates(contest: Contest, contest_round: ContestRound, *, today: dt.date | None = None) -> int:
    """A certificate for each prize winner of the round who has none yet; the number issued."""
    winners = [line for line in ranking(contest, contest_round, limit=len(contest.prizes or [])) if line.prize]
    have = set(db.session.scalars(sa.select(Certificate.entry_id).where(
        Certificate.entry_id.in_([w.entry_id for w in winners]))))
    issued = 0
    for line in winners:
        if line.entry_id in have:
            continue
        reason = _("%(prize)s, round %(number)d of the contest “%(title)s”", prize=line.prize,
                   number=contest_round.number, title=contest.title)
        entry = db.session.get_one(ContestEntry, line.entry_id)
        db.session.add(Certificate(code=new_code(), kind=CertificateKind.prize, unit_id=contest.unit_id,
                                   name=line.name, reason=reason[:500], issued_by=contest.organiser,
                                   issued_on=today or local_today(), entry_id=line.entry_id, user_id=entry.user_id))
        issued += 1
    db.session.flush()
    return issued


def issue_plan_certificates(plan: StudyPlan, *, today: dt.date | None = None) -> int:
    """A certificate for each member who completed the plan (as plans/completion.py counts them)
    and has none yet; the number issued."""
    kept = kept_progress(plan)
    completed = db.session.execute(sa.select(kept.c.user_id, kept.c.full_name)
                                   .where(kept.c.completed_at.is_not(None)).order_by(kept.c.user_id)).all()
    have = set(db.session.scalars(sa.select(Certificate.user_id).where(Certificate.plan_id == plan.id)))
    unit = db.session.get_one(Unit, plan.unit_id)
    issued = 0
    for user_id, full_name in completed:
        if user_id in have:
            continue
        db.session.add(Certificate(code=new_code(), kind=CertificateKind.plan, unit_id=plan.unit_id, name=full_name,
                                   reason=_("Completed the study plan “%(title)s”", title=plan.title)[:500],
                                   issued_by=unit.name, issued_on=today or local_today(), plan_id=plan.id,
                                   user_id=user_id))
        issued += 1
    db.session.flush()
    return issued


def of_contest(contest: Contest) -> list[Certificate]:
    """The certificates issued to the contest's prize winners, in the order they were issued."""
    return list(db.session.scalars(
        sa.select(Certificate).join(ContestEntry, ContestEntry.id == Certificate.entry_id)
        .join(ContestRound, ContestRound.id == ContestEntry.round_id)
        .where(ContestRound.contest_id == contest.id).order_by(Certificate.id)))


def contest_id_of(certificate: Certificate) -> int | None:
    """The contest a prize certificate was won in (None for a plan's certificate)."""
    if certificate.entry_id is None:
        return None
    return db.session.scalar(sa.select(ContestRound.contest_id).join(
        ContestEntry, ContestEntry.round_id == ContestRound.id).where(ContestEntry.id == certificate.entry_id))


def revoke(certificate: Certificate, *, now: dt.datetime | None = None) -> None:
    """Revoke the certificate: its verification page says so from now on (audited)."""
    if certificate.revoked_at is not None:
        return
    certificate.revoked_at = now or utcnow()
    audit.record("certificate.revoke", object_type="certificate", object_id=certificate.id,
                 summary=audit.N_("revoked the certificate of %(name)s"), params={"name": certificate.name})
    db.session.flush()


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as an A4 landscape PDF with its verification QR code."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("BeVietnamPro", "", str(FONTS / "BeVietnamPro-Regular.ttf"))
    pdf.add_font("BeVietnamPro", "B", str(FONTS / "BeVietnamPro-Bold.ttf"))
    pdf.set_title(certificate.reason)
    pdf.add_page()
    red = (176, 28, 36)
    pdf.set_draw_color(*red)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, 269, 182)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("BeVietnamPro", "B", 12)
    pdf.set_xy(20, 22)
    pdf.multi_cell(257, 6, certificate.issued_by.upper(), align="C")
    pdf.set_font("BeVietnamPro", "", 11)
    pdf.set_x(20)
    # Issued by a Party organ: the Party's own heading (HD 36), not the State's motto.
    pdf.cell(257, 6, "ĐẢNG CỘNG SẢN VIỆT NAM", align="C")
    pdf.set_text_color(*red)
    pdf.set_font("BeVietnamPro", "B", 34)
    pdf.set_xy(20, 52)
    pdf.cell(257, 16, _("CERTIFICATE"), align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("BeVietnamPro", "", 14)
    pdf.set_xy(20, 76)
    pdf.cell(257, 8, _("awarded to"), align="C")
    pdf.set_font("BeVietnamPro", "B", 26)
    pdf.set_xy(20, 88)
    pdf.cell(257, 14, certificate.name, align="C")
    pdf.set_font("BeVietnamPro", "", 15)
    pdf.set_xy(40, 110)
    pdf.multi_cell(217, 8, certificate.reason, align="C")
    pdf.set_font("BeVietnamPro", "", 12)
    pdf.set_xy(150, 150)
    pdf.cell(120, 7, _("Issued on %(date)s", date=certificate.issued_on.strftime("%d/%m/%Y")), align="C")
    pdf.set_xy(150, 158)
    pdf.set_font("BeVietnamPro", "B", 12)
    pdf.multi_cell(120, 6, certificate.issued_by, align="C")
    pdf.image(io.BytesIO(qr.qr_png(verification_url(certificate), scale=8)), x=26, y=140, w=40, h=40)
    pdf.set_font("BeVietnamPro", "", 8)
    pdf.set_xy(20, 182)
    pdf.cell(120, 5, _("Check it: scan the code, or open %(url)s", url=verification_url(certificate)))
    return bytes(pdf.output())
