"""Reflection essays ("bài thu hoạch"): writing, submitting, reviewing, and near-duplicate pairs.

Writes only flush; the view (or a command) commits once. Near-duplicates are found across every unit
of the plan when a reflection is submitted (learnhub.plans.copies: its LSH band keys are stored as
ReflectionBand rows and only reflections sharing a key are compared) and stored as ReflectionSimilarity
rows, so dashboards only read them.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from learnhub import audit
from learnhub.auth.models import User
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.notifications import Notification
from learnhub.plans import copies
from learnhub.plans.access import may_review_reflection
from learnhub.plans.copies import words
from learnhub.plans.models import (
    PlanStatus,
    Reflection,
    ReflectionBand,
    ReflectionSimilarity,
    ReflectionStatus,
    StudyPlan,
)
from learnhub.security import subtree_ids

HEADINGS = ("learned", "application", "commitment")
MIN_WORDS = 30  # per heading, counted as \w+ runs (a Vietnamese syllable is one word)
COPY_THRESHOLD = copies.THRESHOLD  # docs/metrics.md, "copied reflections"
EDITABLE = (ReflectionStatus.draft, ReflectionStatus.returned)
COMPARED = (ReflectionStatus.submitted, ReflectionStatus.accepted, ReflectionStatus.returned)


class ReflectionRefused(ValueError):
    """A change the reflection's state or the rules do not allow; ``fields`` names short headings."""

    def __init__(self, message: str, fields: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.fields = fields


def short_headings(texts: dict[str, str], min_words: int = MIN_WORDS) -> tuple[str, ...]:
    """The headings with fewer than ``min_words`` words."""
    return tuple(name for name in HEADINGS if len(words(texts.get(name) or "")) < min_words)


def text_of(reflection: Reflection) -> str:
    """The reflection's headings read as one text, as copies are compared."""
    return "\n".join(getattr(reflection, name) or "" for name in HEADINGS)


def reflection_for(plan: StudyPlan, user: User) -> Reflection | None:
    """The member's reflection for the plan, if they started one."""
    return db.session.scalar(sa.select(Reflection).where(Reflection.plan_id == plan.id, Reflection.user_id == user.id))


def get_or_create_reflection(*, plan: StudyPlan, user: User) -> Reflection:
    """The member's reflection for the plan, adding an empty draft the first time; only flushes."""
    reflection = reflection_for(plan, user)
    if reflection is None:
        reflection = Reflection(plan_id=plan.id, user_id=user.id, status=ReflectionStatus.draft)
        db.session.add(reflection)
        db.session.flush()
    return reflection


def _write(reflection: Reflection, texts: dict[str, str]) -> None:
    if reflection.status not in EDITABLE:
        raise ReflectionRefused("only a draft or a returned reflection can be changed")
    plan = db.session.get(StudyPlan, reflection.plan_id)  # usually already in the session
    if plan is None or plan.status != PlanStatus.open:
        raise ReflectionRefused("reflections are written while their plan is open")
    for name in HEADINGS:
        setattr(reflection, name, (texts.get(name) or "").strip())


def save_draft(reflection: Reflection, *, learned: str, application: str, commitment: str) -> None:
    """Keep the texts without submitting (a returned reflection stays returned); only flushes."""
    _write(reflection, {"learned": learned, "application": application, "commitment": commitment})
    db.session.flush()


def submit(
    reflection: Reflection, *, learned: str, application: str, commitment: str, min_words: int = MIN_WORDS
) -> list[ReflectionSimilarity]:
    """Submit for review when every heading is long enough, and record near-duplicate pairs."""
    texts = {"learned": learned, "application": application, "commitment": commitment}
    short = short_headings(texts, min_words)
    if short:
        raise ReflectionRefused("a heading is too short", short)
    _write(reflection, texts)
    reflection.status = ReflectionStatus.submitted
    reflection.submitted_at = utcnow()
    db.session.flush()
    return record_similarities(reflection)


def record_similarities(reflection: Reflection) -> list[ReflectionSimilarity]:
    """Replace the reflection's band keys and pairs with those it now forms with the plan's other
    reflections in any unit; only reflections sharing a band key are read and compared."""
    db.session.execute(sa.delete(ReflectionSimilarity).where(sa.or_(
        ReflectionSimilarity.first_id == reflection.id, ReflectionSimilarity.second_id == reflection.id)))
    db.session.execute(sa.delete(ReflectionBand).where(ReflectionBand.reflection_id == reflection.id))
    mine, keys = copies.keys_of(text_of(reflection))
    if not keys:
        db.session.flush()
        return []
    shared = sa.or_(*(sa.and_(ReflectionBand.band == band, ReflectionBand.key == key) for band, key in keys))
    candidates = sa.select(ReflectionBand.reflection_id).where(ReflectionBand.plan_id == reflection.plan_id, shared)
    others = db.session.execute(
        sa.select(Reflection, User.unit_id).join(User, User.id == Reflection.user_id)
        .where(Reflection.id.in_(candidates), Reflection.id != reflection.id, Reflection.status.in_(COMPARED))
        .order_by(Reflection.submitted_at, Reflection.id)
    ).all()
    unit_id = db.session.scalar(sa.select(User.unit_id).where(User.id == reflection.user_id))
    pairs = []
    for other, other_unit_id in others:
        score = copies.jaccard(mine, copies.shingles(text_of(other)))
        if score >= COPY_THRESHOLD:
            pairs.append(ReflectionSimilarity(plan_id=reflection.plan_id, unit_id=unit_id, first_unit_id=other_unit_id,
                                              first_id=other.id, second_id=reflection.id, score=score))
    db.session.add_all(pairs)
    db.session.add_all(ReflectionBand(plan_id=reflection.plan_id, reflection_id=reflection.id, band=band, key=key)
                       for band, key in keys)
    db.session.flush()
    return pairs


def _review(reflection: Reflection, reviewer: User, status: ReflectionStatus, comment: str) -> User:
    author = db.session.get(User, reflection.user_id)
    if author is None or not may_review_reflection(reviewer, author):
        raise ReflectionRefused("the reviewer must oversee the member's unit and not be the author")
    if reflection.status != ReflectionStatus.submitted:
        raise ReflectionRefused("only a submitted reflection can be reviewed")
    reflection.status = status
    reflection.reviewed_at = utcnow()  # an accepted reflection completes the plan at this time
    reflection.reviewer_id = reviewer.id
    reflection.review_comment = comment
    action = "reflection.accept" if status == ReflectionStatus.accepted else "reflection.return"
    audit.record(action, object_type="reflection", object_id=reflection.id,
                 summary=audit.N_("%(value)s the reflection of %(username)s for plan %(plan_id)s"), params={"value": status.value, "username": author.username, "plan_id": reflection.plan_id},
                 before={"status": ReflectionStatus.submitted.value},
                 after={"status": status.value, "comment": comment}, actor=reviewer)
    return author


def _notify(reflection: Reflection, author: User, title: str, body: str) -> None:
    db.session.add(Notification(user_id=author.id, kind="reflection_reviewed", title=title, body=body,
                                link=url_for("reflections.mine", plan_id=reflection.plan_id)))


def accept(reflection: Reflection, *, reviewer: User, comment: str = "") -> None:
    """Accept a submitted reflection, record it and tell the member; only flushes."""
    author = _review(reflection, reviewer, ReflectionStatus.accepted, comment.strip())
    plan = db.session.get(StudyPlan, reflection.plan_id)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # stored text: the site's language
        _notify(reflection, author, _("Your reflection was accepted"), plan.title if plan else "")
    db.session.flush()


def send_back(reflection: Reflection, *, reviewer: User, comment: str) -> None:
    """Return a submitted reflection for revision with a comment (required); only flushes."""
    if not comment.strip():
        raise ReflectionRefused("a returned reflection needs a comment")
    author = _review(reflection, reviewer, ReflectionStatus.returned, comment.strip())
    plan = db.session.get(StudyPlan, reflection.plan_id)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        _notify(reflection, author, _("Your reflection was returned for revision"),
                f"{plan.title if plan else ''}\n{comment.strip()}")
    db.session.flush()


@dataclass(frozen=True)
class Pair:
    """Two near-identical reflections of the plan, the earlier first, with their authors' units."""

    unit_id: int  # the later author's
    first_unit_id: int
    first_id: int
    first_name: str
    second_id: int
    second_name: str
    score: float


def similar_pairs(plan: StudyPlan, unit_ids: sa.Select | None = None, reflection_id: int | None = None) -> list[Pair]:
    """The plan's stored pairs with an author in ``unit_ids`` and/or of one reflection, highest score first."""
    first, second = aliased(Reflection), aliased(Reflection)
    first_user, second_user = aliased(User), aliased(User)
    statement = (
        sa.select(ReflectionSimilarity.unit_id, ReflectionSimilarity.first_unit_id, first.id, first_user.full_name, second.id, second_user.full_name,
                  ReflectionSimilarity.score)
        .join(first, first.id == ReflectionSimilarity.first_id).join(first_user, first_user.id == first.user_id)
        .join(second, second.id == ReflectionSimilarity.second_id).join(second_user, second_user.id == second.user_id)
        .where(ReflectionSimilarity.plan_id == plan.id)
        .order_by(ReflectionSimilarity.score.desc(), ReflectionSimilarity.id)
    )
    if unit_ids is not None:
        statement = statement.where(sa.or_(ReflectionSimilarity.unit_id.in_(unit_ids),
                                           ReflectionSimilarity.first_unit_id.in_(unit_ids)))
    if reflection_id is not None:
        statement = statement.where(sa.or_(first.id == reflection_id, second.id == reflection_id))
    return [Pair(*row) for row in db.session.execute(statement)]


def awaiting_review(plan: StudyPlan, unit_id: int) -> list[tuple[Reflection, User]]:
    """Submitted reflections of members of the unit and the units below it, by unit then submission."""
    scope = subtree_ids(sa.select(sa.literal(unit_id)))
    return [tuple(row) for row in db.session.execute(
        sa.select(Reflection, User).join(User, User.id == Reflection.user_id)
        .where(Reflection.plan_id == plan.id, Reflection.status == ReflectionStatus.submitted, User.unit_id.in_(scope))
        .order_by(User.unit_id, Reflection.submitted_at, Reflection.id)
    )]

