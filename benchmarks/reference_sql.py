"""The hand-written SQL that computes what the committee pages show, to time the pages against.

Each function runs plain SQL text (no ORM, no templates) for one page's figures. The benchmark
plans are live plans whose rule is "all of: every lesson, the quiz passed" over party members and
civil servants (what `learnhub bench generate` builds); the statements implement that rule as
docs/metrics.md defines it, and the runner checks their totals equal the page's.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from learnhub.courses.models import LessonProgress

WHEN = LessonProgress.__table__.c.studied_at.type  # bind times as the app stores them

ROSTER = """
WITH RECURSIVE targets(id) AS (
    SELECT unit_id FROM plan_unit WHERE plan_id = :plan
    UNION SELECT u.id FROM unit u JOIN targets t ON u.parent_id = t.id),
inside(id) AS (
    SELECT CAST(:unit AS INTEGER) UNION SELECT u.id FROM unit u JOIN inside i ON u.parent_id = i.id),
studied AS (
    SELECT lp.user_id, COUNT(*) AS done, MAX(lp.studied_at) AS last_at
    FROM lesson_progress lp JOIN lesson l ON l.id = lp.lesson_id
    WHERE l.course_id = :course AND l.archived_at IS NULL AND lp.studied_at IS NOT NULL
    GROUP BY lp.user_id),
passed AS (
    SELECT a.user_id, MIN(a.submitted_at) AS passed_at
    FROM quiz_attempt a JOIN quiz q ON q.id = a.quiz_id
    WHERE q.course_id = :course AND a.status = 'submitted' AND a.passed
    GROUP BY a.user_id),
roster AS (
    SELECT m.id, m.unit_id, m.category, m.sort_key, m.full_name, m.status,
           COALESCE(s.done, 0) AS done,
           CASE WHEN s.done >= :lessons AND p.passed_at IS NOT NULL
                THEN CASE WHEN s.last_at >= p.passed_at THEN s.last_at ELSE p.passed_at END END AS completed_at
    FROM user_account m
    LEFT JOIN studied s ON s.user_id = m.id
    LEFT JOIN passed p ON p.user_id = m.id
    WHERE m.unit_id IN (SELECT id FROM targets) AND m.unit_id IN (SELECT id FROM inside)
      AND m.category IN ('party_member', 'civil_servant')),
members AS (
    SELECT * FROM roster WHERE status = 'active' OR completed_at >= :opened)
"""

BY_UNIT_AND_CATEGORY = ROSTER + """,
tops(unit_id, top) AS (
    SELECT CAST(:unit AS INTEGER), CAST(:unit AS INTEGER) UNION ALL SELECT id, id FROM unit WHERE parent_id = :unit
    UNION ALL SELECT u.id, t.top FROM unit u JOIN tops t ON u.parent_id = t.unit_id AND t.unit_id <> :unit)
SELECT t.top, m.category, COUNT(*) AS required,
       SUM(CASE WHEN m.completed_at IS NOT NULL THEN 1 ELSE 0 END) AS completed,
       SUM(CASE WHEN m.completed_at <= :due THEN 1 ELSE 0 END) AS on_time
FROM tops t JOIN members m ON m.unit_id = t.unit_id
GROUP BY t.top, m.category
"""

NOT_COMPLETED = ROSTER + """
SELECT id, full_name, unit_id, done FROM members WHERE completed_at IS NULL
ORDER BY unit_id, sort_key, id LIMIT 200
"""

TOTALS = ROSTER + """
SELECT COUNT(*), SUM(CASE WHEN completed_at IS NOT NULL THEN 1 ELSE 0 END) FROM members
"""

SCOPE = """
WITH RECURSIVE inside(id) AS (
    SELECT CAST(:unit AS INTEGER) UNION SELECT u.id FROM unit u JOIN inside i ON u.parent_id = i.id),
sat AS MATERIALIZED (
    SELECT a.id, a.user_id, a.percent, a.passed FROM quiz_attempt a
    WHERE a.quiz_id = :quiz AND a.status = 'submitted'
      AND a.user_id IN (SELECT m.id FROM user_account m WHERE m.unit_id IN (SELECT id FROM inside)))
"""

QUIZ_SUMMARY = SCOPE + """
SELECT COUNT(*), COUNT(DISTINCT user_id), AVG(percent),
       COUNT(DISTINCT CASE WHEN passed THEN user_id END) FROM sat
"""

QUESTION_FACILITY = SCOPE + """
SELECT aa.qid, COUNT(*), AVG(aa.fraction) FROM sat JOIN attempt_answer aa ON aa.attempt_id = sat.id
GROUP BY aa.qid ORDER BY AVG(aa.fraction), aa.qid
"""

RUSHED_READING = ROSTER + """,
tops(unit_id, top) AS (
    SELECT CAST(:unit AS INTEGER), CAST(:unit AS INTEGER) UNION ALL SELECT id, id FROM unit WHERE parent_id = :unit
    UNION ALL SELECT u.id, t.top FROM unit u JOIN tops t ON u.parent_id = t.unit_id AND t.unit_id <> :unit)
SELECT t.top, COUNT(*),
       SUM(CASE WHEN lp.seconds_spent < l.minutes * 60 * :fraction THEN 1 ELSE 0 END)
FROM tops t JOIN members m ON m.unit_id = t.unit_id
JOIN lesson_progress lp ON lp.user_id = m.id JOIN lesson l ON l.id = lp.lesson_id
WHERE l.course_id = :course AND lp.studied_at IS NOT NULL
GROUP BY t.top
"""


def _run(session: Session, sql: str, **params: Any) -> list[tuple]:
    statement = sa.text(sql).bindparams(*(sa.bindparam(name, type_=WHEN) for name in ("due", "opened")
                                          if f":{name}" in sql))
    return [tuple(row) for row in session.execute(statement, params)]


def plan_parameters(session: Session, plan_id: int, unit_id: int) -> dict[str, Any]:
    """The values the statements need: the plan's course, lessons, quiz, opening and due time (UTC)."""
    from learnhub.settings import local_midnight

    course, opens_on, due_on = session.execute(sa.text(  # the bench's plans cover one module each
        "SELECT m.course_id, p.opens_on, p.due_on FROM study_plan p"
        " JOIN study_plan_course m ON m.plan_id = p.id WHERE p.id = :plan ORDER BY m.position LIMIT 1"),
        {"plan": plan_id}).one()
    opens_on, due_on = (dt.date.fromisoformat(d) if isinstance(d, str) else d for d in (opens_on, due_on))
    lessons = session.scalar(sa.text("SELECT COUNT(*) FROM lesson WHERE course_id = :c AND archived_at IS NULL"),
                             {"c": course})
    quiz = session.scalar(sa.text("SELECT id FROM quiz WHERE course_id = :c"), {"c": course})
    return {
        "plan": plan_id, "unit": unit_id, "course": course, "lessons": lessons, "quiz": quiz,
        "opened": local_midnight(opens_on),
        "due": local_midnight(due_on + dt.timedelta(days=1)),
    }


def dashboard(session: Session, params: dict[str, Any], rushed_fraction: float = 0.25) -> dict[str, Any]:
    """Every figure of the plan dashboard: completion by sub-unit and category, the first names
    not yet completed, the quiz summary, each question's facility and rushed reading by sub-unit."""
    p = {k: params[k] for k in ("plan", "unit", "course", "lessons", "opened", "due")}
    by_unit = _run(session, BY_UNIT_AND_CATEGORY, **p)
    missing = _run(session, NOT_COMPLETED, **{k: p[k] for k in ("plan", "unit", "course", "lessons", "opened")})
    scope = {"unit": params["unit"], "quiz": params["quiz"]}
    summary = _run(session, QUIZ_SUMMARY, **scope)
    facility = _run(session, QUESTION_FACILITY, **scope)
    rushed = _run(session, RUSHED_READING, fraction=rushed_fraction,
                  **{k: p[k] for k in ("plan", "unit", "course", "lessons", "opened")})
    return {
        "required": sum(r[2] for r in by_unit), "completed": sum(r[3] or 0 for r in by_unit),
        "on_time": sum(r[4] or 0 for r in by_unit), "units": len({r[0] for r in by_unit}),
        "missing_shown": len(missing), "attempts": summary[0][0], "questions": len(facility), "rushed_rows": len(rushed),
    }


def plan_totals(session: Session, params: dict[str, Any]) -> tuple[int, int]:
    """A live plan's roster and completed count for a unit (the yearly report's line for it)."""
    row = _run(session, TOTALS, **{k: params[k] for k in ("plan", "unit", "course", "lessons", "opened")})[0]
    return int(row[0]), int(row[1] or 0)


def snapshot_totals(session: Session, plan_id: int, unit_id: int) -> tuple[int, int]:
    """A closed plan's frozen roster and completed count for a unit."""
    row = session.execute(sa.text("""
        WITH RECURSIVE inside(id) AS (
            SELECT CAST(:unit AS INTEGER) UNION SELECT u.id FROM unit u JOIN inside i ON u.parent_id = i.id)
        SELECT COUNT(*), SUM(CASE WHEN completed_at IS NOT NULL THEN 1 ELSE 0 END) FROM plan_snapshot
        WHERE plan_id = :plan AND unit_id IN (SELECT id FROM inside)"""), {"plan": plan_id, "unit": unit_id}).one()
    return int(row[0]), int(row[1] or 0)


def conference_totals(session: Session, unit_id: int, year: int) -> tuple[int, int]:
    """Conferences held in the unit's subtree in the year, and members present at them."""
    row = session.execute(sa.text("""
        WITH RECURSIVE inside(id) AS (
            SELECT CAST(:unit AS INTEGER) UNION SELECT u.id FROM unit u JOIN inside i ON u.parent_id = i.id)
        SELECT COUNT(DISTINCT c.id), COUNT(a.id) FROM conference c
        LEFT JOIN attendance a ON a.conference_id = c.id AND a.status = 'present'
        WHERE c.unit_id IN (SELECT id FROM inside) AND c.cancelled_at IS NULL
          AND c.starts_at >= :start AND c.starts_at < :end"""
    ).bindparams(sa.bindparam("start", type_=WHEN), sa.bindparam("end", type_=WHEN)),
        {"unit": unit_id, "start": dt.datetime(year, 1, 1, tzinfo=dt.UTC),
         "end": dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)}).one()
    return int(row[0]), int(row[1])
