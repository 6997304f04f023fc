"""Contests: creating and publishing, rounds, entries drawn and graded on the server like quiz
attempts, one entry per phone (or member) per round, and who took part."""
from __future__ import annotations

import datetime as dt
import math
import random
import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from learnhub.auth.models import User
from learnhub.contests.models import Contest, ContestEntry, ContestRound, EntrantKind
from learnhub.db import rows_changed, utcnow
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.quizzes import attempts
from learnhub.quizzes.models import Quiz, QuizQuestion
from learnhub.quizzes.quiz_md import parse_quiz_md
from learnhub.quizzes.sync import render_question

# A phone on a slow network may send its answers a little after the deadline (as for quizzes).
SUBMIT_GRACE = attempts.SUBMIT_GRACE
MAX_PREDICTION = 10_000_000


class EntryRefused(Exception):
    """An entry cannot start or be submitted; ``reason`` names the rule (see routes' messages)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def mask_name(name: str) -> str:
    """A name as public pages print it: the family name whole, each other word's first letter
    ("Nguyễn Văn An" → "Nguyễn V** A**")."""
    words = name.split()
    if len(words) <= 1:
        return (words[0][0] + "**") if words else ""
    return " ".join([words[0], *(word[0] + "**" for word in words[1:])])


def round_status(contest_round: ContestRound, now: dt.datetime | None = None) -> str:
    """"upcoming", "open" or "closed" at ``now``."""
    now = now or utcnow()
    if now < contest_round.opens_at:
        return "upcoming"
    return "open" if now < contest_round.closes_at else "closed"


def open_round(contest: Contest, now: dt.datetime | None = None) -> ContestRound | None:
    """The round accepting entries now, if any."""
    return next((r for r in contest.rounds if round_status(r, now) == "open"), None)


def create_contest(*, unit: Unit, quiz: Quiz | None = None, bank: list[dict[str, Any]] | None = None, title: str, organiser: str, rules: str = "",
                   prizes: list[str] | None = None, questions_per_entry: int = 10, time_limit_minutes: int = 15,
                   members_may_enter: bool = True, public_may_enter: bool = True, entries_per_person: int = 1,
                   created_by: User | None = None) -> Contest:
    """A contest of ``unit`` (not yet published) on a module's ``quiz`` or its own ``bank``
    (questions as ``own_bank`` makes them)."""
    if (quiz is None) == (bank is None):
        raise ValueError("a contest draws from a module's quiz or from its own bank")
    contest = Contest(unit_id=unit.id, quiz_id=quiz.id if quiz else None, bank=bank, title=title, organiser=organiser, rules=rules,
                      prizes=list(prizes or []), questions_per_entry=questions_per_entry,
                      time_limit_minutes=time_limit_minutes, members_may_enter=members_may_enter,
                      public_may_enter=public_may_enter, entries_per_person=entries_per_person,
                      created_by_id=created_by.id if created_by else None)
    db.session.add(contest)
    db.session.flush()
    return contest


def own_bank(text: str) -> tuple[list[dict[str, Any]] | None, list[str]]:
    """A contest's own questions from quiz.md text (docs/course-format.md), rendered as a module's
    are; None and the problems ("line N: ...") when the text has errors."""
    # The contest's own settings apply (questions per entry, time limit): quiz.md's front matter,
    # a module's quiz settings, is optional here (one with only the required pass mark stands in).
    shift = 0 if text.lstrip("\ufeff").startswith("---") else 3
    bank, problems = parse_quiz_md("---\npass_score: 100\n---\n" + text if shift else text)
    messages = [f"line {max(1, p.line - shift)}: {p.message}" for p in problems if p.severity == "error"]
    if bank is None or messages:
        return None, messages or ["no questions"]
    return [render_question(question) for question in bank.questions], []


def add_round(contest: Contest, *, opens_at: dt.datetime, closes_at: dt.datetime) -> ContestRound:
    """The next round, numbered after the last one."""
    number = max((r.number for r in contest.rounds), default=0) + 1
    contest_round = ContestRound(contest_id=contest.id, number=number, opens_at=opens_at, closes_at=closes_at)
    contest.rounds.append(contest_round)
    db.session.flush()
    return contest_round


def publish(contest: Contest, *, now: dt.datetime | None = None) -> None:
    """Show the contest to entrants (its public page and the entry form)."""
    if contest.published_at is None:
        contest.published_at = now or utcnow()
    db.session.flush()


def _entries_so_far(contest_round: ContestRound, *, user_id: int | None, phone: str | None) -> list[ContestEntry]:
    who = ContestEntry.user_id == user_id if user_id is not None else ContestEntry.phone == phone
    return list(db.session.scalars(sa.select(ContestEntry).where(ContestEntry.round_id == contest_round.id, who)
                                   .order_by(ContestEntry.entry_no)))


def start_entry(contest: Contest, *, user: User | None = None, name: str = "", birth_year: int | None = None,
                phone: str | None = None, unit_id: int | None = None, organisation: str = "",
                now: dt.datetime | None = None, rng: random.Random | None = None) -> ContestEntry:
    """Draw a paper for a member (``user``) or a citizen (``phone`` normalised, name...) in the open
    round; a member's unfinished entry is resumed. EntryRefused: ``closed``, ``not_allowed``,
    ``used`` (the round's entries for this phone or member are used up), ``no_questions``."""
    now = now or utcnow()
    contest_round = open_round(contest, now)
    if contest.published_at is None or contest_round is None:
        raise EntryRefused("closed")
    if (user is not None and not contest.members_may_enter) or (user is None and not contest.public_may_enter):
        raise EntryRefused("not_allowed")
    if user is None and phone is None:
        raise EntryRefused("not_allowed")
    earlier = _entries_so_far(contest_round, user_id=user.id if user else None, phone=phone)
    unfinished = next((e for e in earlier if e.submitted_at is None and now <= e.deadline + SUBMIT_GRACE), None)
    if unfinished is not None and user is not None:
        return unfinished
    if len(earlier) >= contest.entries_per_person:
        raise EntryRefused("used")
    questions = contest.bank or list(db.session.scalars(
        sa.select(QuizQuestion.data).where(QuizQuestion.quiz_id == contest.quiz_id,
                                          QuizQuestion.archived_at.is_(None)).order_by(QuizQuestion.position)))
    if not questions:
        raise EntryRefused("no_questions")
    paper = attempts.draw_paper(questions, contest.questions_per_entry, True, rng or random.SystemRandom())
    limit = now + dt.timedelta(minutes=contest.time_limit_minutes)
    entry = ContestEntry(
        round_id=contest_round.id, token=secrets.token_urlsafe(24), entry_no=len(earlier) + 1,
        kind=EntrantKind.member if user else EntrantKind.citizen, user_id=user.id if user else None,
        name=user.full_name if user else name, birth_year=birth_year, phone=None if user else phone,
        unit_id=user.unit_id if user else unit_id, organisation=organisation,
        consented_at=None if user else now, paper=paper, started_at=now,
        deadline=min(limit, contest_round.closes_at), max_score=attempts.paper_points(paper),
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError:  # the same phone or member started at the same moment elsewhere
        raise EntryRefused("used") from None
    return entry


def submit_entry(entry: ContestEntry, answers: dict[str, Any], prediction: int | None, *,
                 now: dt.datetime | None = None) -> bool:
    """Grade the entry exactly once (a conditional UPDATE claims it first, as quiz attempts do).
    Answers sent after the deadline are not counted; the seconds come from the server's clock.
    InvalidResponse for answers naming anything but this entry's tokens. True for the call that graded."""
    now = now or utcnow()
    checked = {qid: attempts.check_paper_response(entry.paper, qid, raw)[1] for qid, raw in answers.items()}
    if entry.submitted_at is not None:
        return False
    late = now > entry.deadline + SUBMIT_GRACE
    responses = {} if late else checked
    points = attempts.grade_paper(entry.paper, responses)
    score = round(sum(points.values()), 4)
    started = entry.started_at
    seconds = max(0, math.ceil((min(now, entry.deadline) - started).total_seconds()))
    claimed = rows_changed(db.session, sa.update(ContestEntry).where(
        ContestEntry.id == entry.id, ContestEntry.submitted_at.is_(None)).values(
        submitted_at=now, late=late, answers=responses, score=score, seconds=seconds,
        all_correct=bool(entry.paper) and score >= entry.max_score,
        prediction=None if prediction is None else max(0, min(prediction, MAX_PREDICTION)),
    ).execution_options(synchronize_session=False))
    if claimed != 1:
        db.session.rollback()
        return False
    db.session.flush()
    db.session.refresh(entry)
    return True


def anonymise_entries(*, closed_before: dt.datetime) -> int:
    """Clear the personal data of citizens' entries in rounds closed before ``closed_before``: the
    name keeps only its masked form (the public results are unchanged), the phone and the year of
    birth go. Members' entries follow their account (members/privacy.py). The number cleared."""
    rounds = sa.select(ContestRound.id).where(ContestRound.closes_at < closed_before)
    entries = db.session.scalars(sa.select(ContestEntry).where(
        ContestEntry.round_id.in_(rounds), ContestEntry.kind == EntrantKind.citizen,
        sa.or_(ContestEntry.phone.is_not(None), ContestEntry.birth_year.is_not(None)))).all()
    for entry in entries:
        entry.name, entry.phone, entry.birth_year = mask_name(entry.name), None, None
    db.session.flush()
    return len(entries)
