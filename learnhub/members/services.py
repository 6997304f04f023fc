"""Member services: listing in scope, accounts and passwords, transfers and status changes."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from learnhub import audit
from learnhub.auth.models import Category, MemberStatus, Role, User
from learnhub.extensions import db
from learnhub.members.models import MembershipEvent, MembershipEventKind
from learnhub.orgs.assignments import assign
from learnhub.orgs.models import Unit
from learnhub.quizzes.kept import refresh_quiz_units
from learnhub.security import limit_to_scope, subtree_ids
from learnhub.text import fold, username_base

# No 0/O, 1/l/I: slips are read off paper and typed on phones.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def generate_temporary_password(length: int = 10) -> str:
    """A first password that is easy to type from a printed slip (about 50 bits)."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


@dataclass(frozen=True)
class MemberFilter:
    unit_id: int | None = None
    query: str = ""
    category: Category | None = None
    status: MemberStatus | None = None


def members_query(viewer: User, filters: MemberFilter) -> sa.Select[tuple[User]]:
    """Members the viewer may see, filtered, in Vietnamese name order (given name first)."""
    statement = sa.select(User)
    statement = limit_to_scope(statement, User.unit_id, viewer)
    if filters.unit_id is not None:
        statement = statement.where(User.unit_id.in_(subtree_ids(sa.select(sa.literal(filters.unit_id)))))
    if filters.query.strip():
        words = fold(filters.query).split()
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            statement = statement.where(
                sa.or_(
                    User.search_name.like(f"%{escaped}%", escape="\\"),
                    User.username.like(f"%{escaped}%", escape="\\"),
                )
            )
    if filters.category is not None:
        statement = statement.where(User.category == filters.category)
    if filters.status is not None:
        statement = statement.where(User.status == filters.status)
    return statement.order_by(User.sort_key, User.id)


def unique_username(full_name: str, taken: set[str] | None = None) -> str:
    """A readable username from the name, without diacritics, numbered when taken."""
    base = username_base(full_name)
    existing = taken if taken is not None else set(
        db.session.scalars(sa.select(User.username).where(User.username.like(f"{base}%")))
    )
    candidate, number = base, 1
    while candidate in existing:
        number += 1
        candidate = f"{base}{number}"
    existing.add(candidate)
    return candidate


def reset_password(member: User) -> str:
    """Give the member a new temporary password to be changed at next sign-in; returns it once."""
    password = generate_temporary_password()
    member.set_password(password)
    member.must_change_password = True
    audit.record("password.reset", object_type="user", object_id=member.id,
                 summary=audit.N_("reset the password of %(username)s"), params={"username": member.username})
    return password


def change_account(member: User, *, role: Role, active: bool) -> None:
    """Change a person's role and whether their account is switched on (audited)."""
    before = {"role": member.role.value, "active": member.active}
    member.role = role
    member.active = active
    after = {"role": role.value, "active": active}
    if before != after:
        audit.record("account.change", object_type="user", object_id=member.id,
                     summary=audit.N_("%(username)s: role %(value)s, active %(active)s"), params={"username": member.username, "value": role.value, "active": active}, before=before, after=after)


def appoint(person: User, unit: Unit) -> None:
    """Make ``person`` a committee member responsible for ``unit`` (both steps audited); the caller
    checks orgs.access.may_appoint."""
    if person.role != Role.committee:
        change_account(person, role=Role.committee, active=person.active)
    assign(person, unit)


def change_own_password(user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.must_change_password = False


def transfer_member(member: User, to_unit: Unit, *, effective_on: dt.date, reason: str, actor: User | None) -> None:
    """Move a member to another unit; the move is kept as a membership event and audited."""
    from_unit_id = member.unit_id
    member.unit_id = to_unit.id
    db.session.add(MembershipEvent(
        user_id=member.id, kind=MembershipEventKind.transfer, effective_on=effective_on,
        from_unit_id=from_unit_id, to_unit_id=to_unit.id, reason=reason,
        recorded_by_id=actor.id if actor else None,
    ))
    audit.record("member.transfer", object_type="user", object_id=member.id,
                 summary=audit.N_("transferred %(username)s to %(name)s"), params={"username": member.username, "name": to_unit.name},
                 before={"unit_id": from_unit_id}, after={"unit_id": to_unit.id})
    refresh_quiz_units([from_unit_id, to_unit.id])  # the member's attempts now count for to_unit


def set_member_status(
    member: User, status: MemberStatus, *, effective_on: dt.date, reason: str, actor: User | None
) -> None:
    """Record a status change with its date and reason; the history is never deleted."""
    before = member.status
    member.status = status
    db.session.add(MembershipEvent(
        user_id=member.id, kind=MembershipEventKind.status, effective_on=effective_on,
        status=status, reason=reason, recorded_by_id=actor.id if actor else None,
    ))
    audit.record("member.status", object_type="user", object_id=member.id,
                 summary=audit.N_("%(username)s: %(value)s -> %(value2)s"), params={"username": member.username, "value": before.value, "value2": status.value},
                 before={"status": before.value}, after={"status": status.value})


def membership_history(member: User) -> list[MembershipEvent]:
    return list(db.session.scalars(
        sa.select(MembershipEvent).where(MembershipEvent.user_id == member.id)
        .order_by(MembershipEvent.effective_on.desc(), MembershipEvent.id.desc())
    ))


def issue_first_passwords(
    viewer: User, unit: Unit, *, only_new: bool
) -> list[tuple[str, list[tuple[User, str]]]]:
    """New temporary passwords for the members of ``unit`` and below, grouped by their unit's path.

    With ``only_new``, only members who never chose their own password (or were reset) get one.
    The person printing is left out: their own password never changes behind their back.
    The passwords exist only in the return value; the database keeps their hashes.
    """
    from learnhub.auth.models import SIGN_IN_STATUSES
    from learnhub.orgs.services import unit_paths

    statement = members_query(viewer, MemberFilter(unit_id=unit.id)).where(
        User.active.is_(True), User.status.in_(SIGN_IN_STATUSES), User.id != viewer.id
    )
    if only_new:
        statement = statement.where(User.must_change_password.is_(True))
    members = db.session.scalars(statement).all()
    paths = unit_paths()
    groups: dict[str, list[tuple[User, str]]] = {}
    for member in members:
        password = generate_temporary_password()
        member.set_password(password)
        member.must_change_password = True
        groups.setdefault(paths[member.unit_id], []).append((member, password))
    if members:
        audit.record("password.slips", object_type="unit", object_id=unit.id,
                     summary=audit.N_("issued %(count)s temporary passwords in %(name)s"), params={"count": len(members), "name": unit.name})
    return sorted(groups.items())
