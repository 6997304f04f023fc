"""Writing a parsed bank to the database: questions matched by id, changes versioned, removals archived."""
from __future__ import annotations

import html
from typing import Any

import sqlalchemy as sa

from learnhub.courses.models import Course
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.markdown import render_markdown, sanitize_html
from learnhub.quizzes.bank import Bank, Question
from learnhub.quizzes.models import Quiz, QuizQuestion


def render_text(text: str, text_format: str = "markdown") -> str:
    """Question text as sanitised HTML, from Markdown (default), HTML or plain text (GIFT formats)."""
    if text_format == "html":
        return sanitize_html(text)
    if text_format in ("plain", "moodle"):
        return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"
    return render_markdown(text)


def render_question(question: Question) -> dict[str, Any]:
    """The question's data with its texts rendered once, at import time."""
    fmt = question.text_format
    data = question.to_dict()
    data["html"] = {
        "stem": render_text(question.stem, fmt),
        "choices": {c.id: render_text(c.text, fmt) for c in question.choices},
        "feedback": {c.id: render_text(c.feedback, fmt) for c in question.choices if c.feedback},
        "explanation": render_text(question.explanation, fmt) if question.explanation else "",
    }
    return data


def sync_quiz(course: Course, bank: Bank | None) -> Quiz | None:
    """Create or update the course's quiz in place; only flushes.

    A question keeps its row (and so its statistics) while its id stays the same; one gone from
    the file is archived. Attempts keep the paper they were drawn with, whatever changes later.
    """
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.course_id == course.id)) if course.id else None
    if bank is None:
        if quiz is not None:
            for stale in quiz.active_questions:
                stale.archived_at = utcnow()
        return quiz
    if quiz is None:
        quiz = Quiz(course_id=course.id, version=1, format=bank.format, settings=bank.settings.to_dict())
        db.session.add(quiz)
        db.session.flush()
        changed = True
    else:
        changed = quiz.settings != bank.settings.to_dict() or quiz.format != bank.format
        quiz.settings = bank.settings.to_dict()
        quiz.format = bank.format
    existing = {q.qid: q for q in quiz.questions}
    incoming = {q.id for q in bank.questions}
    for position, question in enumerate(bank.questions, start=1):
        data = render_question(question)
        row = existing.get(question.id)
        if row is None:
            row = QuizQuestion(qid=question.id)
            quiz.questions.append(row)
            changed = True
        elif row.data != data or row.archived_at is not None or row.points != question.points:
            changed = True
        row.position, row.kind, row.points, row.data, row.archived_at = (
            position, question.kind, question.points, data, None,
        )
    for qid, row in existing.items():
        if qid not in incoming and row.archived_at is None:
            row.archived_at = utcnow()
            changed = True
    if changed and quiz.id is not None and existing:
        quiz.version += 1
    db.session.flush()
    return quiz


def load_bank(quiz: Quiz) -> Bank:
    """The live bank of a quiz, as parsed data (for export)."""
    from learnhub.quizzes.bank import QuizSettings

    questions = [Question.from_dict({k: v for k, v in q.data.items() if k != "html"}) for q in quiz.active_questions]
    return Bank(QuizSettings(**quiz.settings), questions, quiz.format)
