"""Matching a member list's rows to units (by name or path) and to existing members."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.members.importfile import MemberRow
from learnhub.orgs.models import Unit
from learnhub.orgs.services import unit_paths
from learnhub.security import subtree_ids
from learnhub.text import fold

UPDATABLE = ("full_name", "category", "birth_date", "gender", "phone", "email", "party_card")
RESOLVED_UNITS = 5000  # unit names remembered once matched (a file of made-up names stays bounded)


class UnitMatcher:
    """Unit names or "Parent/Child" paths, matched among the live units under the base unit."""

    def __init__(self, base_unit: Unit, scope: set[int] | None) -> None:
        self.base_unit = base_unit
        ids = set(db.session.scalars(subtree_ids(sa.select(sa.literal(base_unit.id)))))
        if scope is not None:
            ids &= scope
        live = set(db.session.scalars(sa.select(Unit.id).where(Unit.id.in_(ids), Unit.archived_at.is_(None))))
        self.paths = {unit_id: path for unit_id, path in unit_paths().items() if unit_id in live}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for unit_id, path in self.paths.items():
            self.by_name[fold(path.rsplit("/", 1)[-1])].append(unit_id)
        self.resolved: dict[str, tuple[int, str | None]] = {}  # a file names few units, many times

    def resolve(self, text: str | None) -> tuple[int, str | None]:
        if text is None:
            return self.base_unit.id, None
        if text in self.resolved:
            return self.resolved[text]
        found = self._resolve(text)
        if len(self.resolved) < RESOLVED_UNITS:
            self.resolved[text] = found
        return found

    def _resolve(self, text: str) -> tuple[int, str | None]:
        parts = [fold(p) for p in text.split("/") if p.strip()]
        candidates = [
            unit_id for unit_id in self.by_name.get(parts[-1], [])
            if [fold(p) for p in self.paths[unit_id].split("/")][-len(parts):] == parts
        ]
        if not candidates:
            return 0, str(_l("no unit “%(unit)s” under %(base)s", unit=text, base=self.base_unit.name))
        if len(candidates) > 1:
            names = "; ".join(sorted(self.paths[c] for c in candidates))
            return 0, str(_l("“%(unit)s” names several units (%(names)s): write the path Parent/Child",
                             unit=text, names=names))
        return candidates[0], None


class MemberMatcher:
    """Existing members of one chunk's rows by username, else party card number, else full name
    with date of birth; read as plain rows, so that the session holds none of them."""

    COLUMNS = (User.id, User.username, User.unit_id, *(getattr(User, name) for name in UPDATABLE))

    def __init__(self, rows: list[MemberRow], scope: set[int] | None) -> None:
        usernames = {r.username for r in rows if r.username}
        cards = {r.party_card for r in rows if r.party_card}
        names = {r.full_name for r in rows if r.birth_date}
        found: list[Any] = []
        for column, values in ((User.username, usernames), (User.party_card, cards), (User.full_name, names)):
            if values:
                found += db.session.execute(sa.select(*self.COLUMNS).where(column.in_(values))).all()
        self.by_username = {u.username: u for u in found}
        self.by_card = {u.party_card: u for u in found if u.party_card}
        self.by_name_birth: dict[tuple[str, dt.date], list[Any]] = defaultdict(list)
        for user in {u.id: u for u in found}.values():
            if user.birth_date:
                self.by_name_birth[(user.full_name, user.birth_date)].append(user)
        self.scope = scope

    def match(self, row: MemberRow) -> tuple[Any | None, str | None]:
        member = None
        if row.username:
            member = self.by_username.get(row.username)
        if member is None and row.party_card:
            member = self.by_card.get(row.party_card)
        if member is None and row.birth_date:
            same = self.by_name_birth.get((row.full_name, row.birth_date), [])
            if len(same) > 1:
                return None, str(_l(
                    "several members are called %(name)s and born on that day: give the username",
                    name=row.full_name))
            member = same[0] if same else None
        if member is not None and self.scope is not None and member.unit_id not in self.scope:
            value = row.username or row.party_card or row.full_name
            return None, str(_l("%(value)s belongs to a member outside your units", value=value))
        if member is not None and row.party_card and member.party_card not in (None, row.party_card):
            other = self.by_card.get(row.party_card)
            if other is not None and other.id != member.id:
                return None, str(_l("party card %(card)s belongs to another member", card=row.party_card))
        return member, None


class SamePersonRows:
    """The rows of one file that the matching key above says are one person: the same full name and
    date of birth, unless the two rows give different usernames or different party card numbers.
    Kept across the chunks of a streamed import; a row costs an 8-byte digest of its key and its number
    (with its username and card only when it gives them), so a big file stays small in memory."""

    def __init__(self) -> None:
        self.seen: dict[int, int | list[tuple[int, str | None, str | None]]] = {}

    def earlier(self, row: MemberRow) -> int | None:
        """The first earlier row that is the same person as ``row`` (remembering ``row``), or None."""
        if row.birth_date is None:
            return None  # without a date of birth a name matches no one
        key = int.from_bytes(hashlib.blake2b(f"{row.full_name}\x00{row.birth_date.isoformat()}".encode(),
                                             digest_size=8).digest())
        found = self.seen.get(key)
        rows = [(found, None, None)] if isinstance(found, int) else found or []
        for number, username, card in rows:
            if _agree(username, row.username) and _agree(card, row.party_card):
                return number
        if found is None and row.username is None and row.party_card is None:
            self.seen[key] = row.row
        else:
            self.seen[key] = [*rows, (row.row, row.username, row.party_card)]
        return None


def _agree(first: str | None, second: str | None) -> bool:
    return first is None or second is None or first == second
