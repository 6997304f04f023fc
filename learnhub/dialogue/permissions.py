"""Who may do what in a lesson's discussion, decided once per viewer from learnhub.security's scopes.

The scopes are loaded as sets in one or two queries, so a thread of any length is judged without a
query per post. The same rules, written as SQL, filter the unanswered-questions page (threads.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from learnhub.auth.models import Role, User
from learnhub.db import utcnow
from learnhub.dialogue.models import Post
from learnhub.extensions import db
from learnhub.security import authoring_unit_ids, scope_unit_ids

EDIT_WINDOW = dt.timedelta(minutes=15)
STAFF = (Role.propagandist, Role.committee, Role.admin)


@dataclass(frozen=True)
class Reach:
    """One viewer's reach: ``scope`` are the units whose members a committee member oversees,
    ``authoring`` the units whose modules the viewer may write; None means every unit (admins)."""

    user_id: int
    role: Role
    scope: frozenset[int] | None
    authoring: frozenset[int] | None

    @property
    def is_staff(self) -> bool:
        """Propagandists, committee members and admins answer and look after discussions."""
        return self.role in STAFF

    def writes(self, course_owner_id: int | None) -> bool:
        """Whether the viewer may write the module (a module with no owner unit: admins only)."""
        if self.authoring is None:
            return True
        return course_owner_id is not None and course_owner_id in self.authoring

    def oversees(self, unit_id: int) -> bool:
        return self.scope is None or unit_id in self.scope

    def may_moderate(self, author_unit_id: int, course_owner_id: int | None) -> bool:
        """Hide or unhide a post: committee members for authors in their scope, propagandists in
        the modules they may write, admins everywhere."""
        if self.role == Role.admin:
            return True
        if self.role == Role.committee:
            return self.oversees(author_unit_id)
        if self.role == Role.propagandist:
            return self.writes(course_owner_id)
        return False

    def answers_for(self, author_unit_id: int, course_owner_id: int | None) -> bool:
        """Act as an answerer for a question: choose its answer, pin it to the FAQ. Committee members
        for askers in their scope; propagandists for askers in their units or in modules they write."""
        if self.role == Role.admin:
            return True
        if self.role == Role.committee:
            return self.oversees(author_unit_id)
        if self.role == Role.propagandist:
            return author_unit_id in (self.authoring or ()) or self.writes(course_owner_id)
        return False

    def may_accept(self, question_author_id: int, author_unit_id: int, course_owner_id: int | None) -> bool:
        """Mark a reply as the answer: the question's author, or an answerer for the question."""
        return question_author_id == self.user_id or self.answers_for(author_unit_id, course_owner_id)

    def may_edit(self, post: Post, now: dt.datetime | None = None) -> bool:
        """Authors edit their own visible posts for EDIT_WINDOW after posting."""
        now = now or utcnow()
        return (post.author_id == self.user_id and post.hidden_at is None
                and post.created_at is not None and now - post.created_at <= EDIT_WINDOW)


def reach_of(user: User) -> Reach:
    """The viewer's reach, with their scopes read once from the unit tree."""
    if user.role == Role.admin:
        return Reach(user.id, user.role, None, None)
    scope: frozenset[int] = frozenset()
    authoring: frozenset[int] = frozenset()
    if user.role == Role.committee:
        scope = authoring = frozenset(db.session.scalars(scope_unit_ids(user)))
    elif user.role == Role.propagandist:
        written = authoring_unit_ids(user)
        authoring = frozenset(db.session.scalars(written)) if written is not None else frozenset()
    return Reach(user.id, user.role, scope, authoring)
