"""Which modules a plan covers: the readers of ``StudyPlan.modules`` go through these helpers."""
from __future__ import annotations

import sqlalchemy as sa

from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.plans.models import PlanCourse, StudyPlan
from learnhub.quizzes.models import Quiz


def plan_course_ids(plan: StudyPlan) -> list[int]:
    """The ids of the plan's modules, in the plan's order (loaded once per plan object)."""
    return [module.course_id for module in plan.modules]


def plan_courses(plan: StudyPlan) -> list[Course]:
    """The plan's modules as courses, in the plan's order (one query)."""
    return list(db.session.scalars(
        sa.select(Course).join(PlanCourse, PlanCourse.course_id == Course.id)
        .where(PlanCourse.plan_id == plan.id).order_by(PlanCourse.position, PlanCourse.id)
    ))


def plans_covering(course_id: int) -> sa.ColumnElement[bool]:
    """SQL: the plan covers the module ``course_id``."""
    return sa.exists(sa.select(PlanCourse.id).where(PlanCourse.plan_id == StudyPlan.id,
                                                    PlanCourse.course_id == course_id))


def first_quiz(plan: StudyPlan) -> Quiz | None:
    """The quiz of the plan's first module that has one (the dashboard's comprehension figures)."""
    return db.session.scalar(
        sa.select(Quiz).join(PlanCourse, PlanCourse.course_id == Quiz.course_id)
        .where(PlanCourse.plan_id == plan.id).order_by(PlanCourse.position, PlanCourse.id).limit(1)
    )


def unpublished(courses: list[Course]) -> list[Course]:
    """The modules members cannot see yet (not published, or archived): a plan opens only without them."""
    return [course for course in courses if course.published_at is None or course.archived_at is not None]
