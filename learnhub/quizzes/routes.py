"""The member's quiz: start or resume, answer (saved as they go), submit once, review;
and the item analysis for propagandists and committees."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError, OperationalError

from learnhub.auth.models import Role
from learnhub.db import utcnow
from learnhub.exports import FORMATS, table_response
from learnhub.extensions import db
from learnhub.quizzes import analysis as quiz_analysis
from learnhub.quizzes import attempts, kinds
from learnhub.quizzes.analysis_export import analysis_sheet
from learnhub.quizzes.bank import InvalidResponse
from learnhub.quizzes.models import AttemptAnswer, AttemptStatus, Quiz, QuizAttempt
from learnhub.quizzes.responses import describe, form_answers
from learnhub.security import roles_required, scope_unit_ids
from learnhub.study.services import get_course_or_404

bp = Blueprint("quizzes", __name__)


def get_quiz_or_404(slug: str) -> Quiz:
    course = get_course_or_404(slug)
    quiz = db.session.scalar(db.select(Quiz).where(Quiz.course_id == course.id))
    if quiz is None or not quiz.active_questions:
        abort(404)
    return quiz


def get_own_attempt_or_404(attempt_id: int) -> QuizAttempt:
    """Only the member who sat an attempt ever sees it (anyone else: 404)."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


@bp.get("/courses/<slug>/quiz")
@login_required
def quiz(slug: str):
    quiz = get_quiz_or_404(slug)
    record = attempts.standing(current_user, quiz)
    if record.in_progress is not None and attempts.finish_if_expired(record.in_progress):
        db.session.commit()
        record = attempts.standing(current_user, quiz)
    return render_template("quizzes/quiz.html", course=get_course_or_404(slug), quiz=quiz, record=record)


@bp.post("/courses/<slug>/quiz/start")
@login_required
def start(slug: str):
    quiz = get_quiz_or_404(slug)
    try:
        attempt = attempts.start_attempt(current_user, quiz)
    except attempts.AttemptRefused:
        flash(_("You have no attempts left for this quiz."), "error")
        return redirect(url_for("quizzes.quiz", slug=slug))
    db.session.commit()
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int):
    attempt = get_own_attempt_or_404(attempt_id)
    if attempts.finish_if_expired(attempt):
        db.session.commit()
        flash(_("The time was up: your answers saved before the deadline were graded."), "info")
    if attempt.status == AttemptStatus.submitted:
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    saved_ids = {a.qid: a.response for a in attempt.answers}
    saved = {e["qid"]: attempts.to_tokens(e, saved_ids[e["qid"]]) for e in attempt.paper if e["qid"] in saved_ids}
    quiz = db.session.get(Quiz, attempt.quiz_id)
    course_slug = get_course_slug(quiz)
    response = Response(render_template("quizzes/attempt.html", attempt=attempt, saved=saved, slug=course_slug))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/attempts/<int:attempt_id>/answer")
@login_required
def save_answer(attempt_id: int):
    """Autosave of one answer (JSON), so a dropped connection loses nothing."""
    attempt = get_own_attempt_or_404(attempt_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("qid"), str):
        abort(400)
    try:
        saved = attempts.save_answer(attempt, payload["qid"], payload.get("response"))
        db.session.commit()
    except InvalidResponse:
        abort(400)
    except (IntegrityError, OperationalError):
        db.session.rollback()
        return jsonify(saved=False), 409
    return jsonify(saved=saved), 200 if saved else 409


@bp.post("/attempts/<int:attempt_id>/save")
@login_required
def save_all(attempt_id: int):
    """Without JavaScript: save every answer on the page and come back to it."""
    attempt = get_own_attempt_or_404(attempt_id)
    try:
        for qid, response in form_answers(attempt.paper, request.form).items():
            attempts.save_answer(attempt, qid, response)
    except InvalidResponse:
        abort(400)
    db.session.commit()
    flash(_("Your answers are saved."), "success")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int):
    attempt = get_own_attempt_or_404(attempt_id)
    try:
        attempts.submit_attempt(attempt, form_answers(attempt.paper, request.form))
        db.session.commit()
    except InvalidResponse:
        db.session.rollback()
        abort(400)
    except OperationalError:  # SQLite: the write lock did not come within the busy timeout
        db.session.rollback()
    return redirect(url_for("quizzes.review", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    attempt = get_own_attempt_or_404(attempt_id)
    if attempt.status != AttemptStatus.submitted:
        return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
    quiz = db.session.get(Quiz, attempt.quiz_id)
    record = attempts.standing(current_user, quiz)
    show = attempts.may_review_answers(attempt, record.passed)
    answers = {a.qid: a for a in db.session.scalars(db.select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id))}
    items = []
    for entry in attempt.paper:
        answer = answers.get(entry["qid"])
        question = attempts.paper_question(entry)
        items.append({
            "entry": entry,
            "answer": describe(entry, answer.response if answer else None),
            "fraction": answer.fraction if answer else 0.0,
            "correct": _correct_html(entry, question) if show else None,
        })
    return render_template("quizzes/review.html", attempt=attempt, items=items, show=show, record=record,
                           slug=get_course_slug(quiz), quiz=quiz)


def _correct_html(entry, question) -> list[str]:
    right = kinds.kind_of(question).correct_answer(question)
    if question.kind in ("single", "truefalse", "multiple"):
        return [Markup(entry["question"]["html"]["choices"][cid]) for cid in right]  # sanitised at import
    if question.kind == "matching":
        return [f"{left} → {right_text}" for left, right_text in right]
    return [str(text) for text in right]


def get_course_slug(quiz: Quiz) -> str:
    from learnhub.courses.models import Course

    return db.session.get(Course, quiz.course_id).slug


@bp.get("/courses/<slug>/quiz/analysis")
@roles_required(Role.propagandist, Role.committee)
def analysis(slug: str):
    quiz = get_quiz_or_404(slug)
    scope = scope_unit_ids(current_user) if current_user.role == Role.committee else None
    return render_template(
        "quizzes/analysis.html", course=get_course_or_404(slug), quiz=quiz,
        summary=quiz_analysis.summary(quiz, scope), rows=quiz_analysis.items(quiz, scope),
    )


@bp.get("/courses/<slug>/quiz/analysis.<fmt>")
@roles_required(Role.propagandist, Role.committee)
def analysis_export(slug: str, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    quiz = get_quiz_or_404(slug)
    course = get_course_or_404(slug)
    scope = scope_unit_ids(current_user) if current_user.role == Role.committee else None
    sheet = analysis_sheet(course.title, slug, quiz_analysis.items(quiz, scope), utcnow())
    return table_response(fmt, sheet.filename, sheet.headers, sheet.rows, title=sheet.title)
