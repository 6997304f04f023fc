"""The propagandists' roster ("đội ngũ báo cáo viên, tuyên truyền viên"): who presents and propagates,
the training modules each completed, the conferences each presented and the questions each answered."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from learnhub.auth.models import MemberStatus, Role, User
from learnhub.conferences.models import Conference, ConferencePresenter
from learnhub.courses.models import Course, CourseKind, Lesson, LessonProgress
from learnhub.dialogue.models import Post
from learnhub.extensions import db
from learnhub.quizzes.models import AttemptStatus, Quiz, QuizAttempt
from learnhub.security import limit_to_scope


@dataclass(frozen=True)
class Presented:
    conference_id: int
    title: str
    starts_at: dt.datetime


@dataclass
class TeamMember:
    user_id: int
    full_name: str
    unit_id: int
    role: Role
    trainings: list[str] = field(default_factory=list)  # training modules completed, by title
    presented: list[Presented] = field(default_factory=list)
    answers: int = 0  # replies written under lessons, not hidden
    accepted: int = 0  # of which marked as the answer


def team_members(viewer: User) -> sa.Select[tuple[int]]:
    """Ids of the active propagandists in the viewer's scope, and of anyone there who presented."""
    presented = sa.exists(
        sa.select(ConferencePresenter.id).join(Conference, Conference.id == ConferencePresenter.conference_id)
        .where(ConferencePresenter.user_id == User.id, Conference.cancelled_at.is_(None)))
    return limit_to_scope(
        sa.select(User.id).where(User.active.is_(True), User.status == MemberStatus.active,
                                 sa.or_(User.role == Role.propagandist, presented)),
        User.unit_id, viewer,
    )


def completed_trainings(user_ids: sa.Select) -> sa.Select:
    """(user id, course title) for each training module completed: every current lesson studied,
    or its quiz passed."""
    lessons = (sa.select(Lesson.course_id, sa.func.count(Lesson.id).label("total"))
               .where(Lesson.archived_at.is_(None)).group_by(Lesson.course_id).subquery("lessons"))
    studied = (
        sa.select(LessonProgress.user_id, Lesson.course_id, sa.func.count(LessonProgress.id).label("done"))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(Lesson.archived_at.is_(None), LessonProgress.studied_at.is_not(None), LessonProgress.user_id.in_(user_ids))
        .group_by(LessonProgress.user_id, Lesson.course_id).subquery("studied")
    )
    done = sa.union(
        sa.select(studied.c.user_id, studied.c.course_id)
        .join(lessons, lessons.c.course_id == studied.c.course_id).where(studied.c.done >= lessons.c.total),
        sa.select(QuizAttempt.user_id, Quiz.course_id).join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .where(QuizAttempt.status == AttemptStatus.submitted, QuizAttempt.passed.is_(True),
               QuizAttempt.user_id.in_(user_ids)),
    ).subquery("done")
    return (sa.select(done.c.user_id, Course.title).join(Course, Course.id == done.c.course_id)
            .where(Course.kind == CourseKind.training).order_by(done.c.user_id, Course.title))


def propagandist_roster(viewer: User) -> list[TeamMember]:
    """The team in the viewer's scope, in Vietnamese name order: four queries, whatever its size."""
    ids = team_members(viewer)
    people = {
        row.id: TeamMember(row.id, row.full_name, row.unit_id, Role(row.role))
        for row in db.session.execute(
            sa.select(User.id, User.full_name, User.unit_id, User.role).where(User.id.in_(ids)).order_by(User.sort_key, User.id))
    }
    if not people:
        return []
    for user_id, title in db.session.execute(completed_trainings(ids)):
        people[user_id].trainings.append(title)
    for user_id, conference_id, title, starts_at in db.session.execute(
        sa.select(ConferencePresenter.user_id, Conference.id, Conference.title, Conference.starts_at)
        .join(Conference, Conference.id == ConferencePresenter.conference_id)
        .where(ConferencePresenter.user_id.in_(ids), Conference.cancelled_at.is_(None))
        .order_by(Conference.starts_at, Conference.id)
    ):
        people[user_id].presented.append(Presented(conference_id, title, starts_at))
    for user_id, answers, accepted in db.session.execute(
        sa.select(Post.author_id, sa.func.count(Post.id),
                  sa.func.sum(sa.case((Post.accepted_at.is_not(None), 1), else_=0)))
        .where(Post.author_id.in_(ids), Post.parent_id.is_not(None), Post.hidden_at.is_(None))
        .group_by(Post.author_id)
    ):
        people[user_id].answers, people[user_id].accepted = int(answers), int(accepted or 0)
    return list(people.values())
