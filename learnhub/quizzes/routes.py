"""The member's quiz: start or resume, answer (saved as they go), submit once, review;
and the item analysis for propagandists and committees."""
from __future__ import annotations

from typing import Any

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
from sqlalchemy.exc import IntegrityError, OperationalError

from learnhub.auth.models import Role
from learnhub.courses.models import Course
from learnhub.db import utcnow
from learnhub.exports import FORMATS, table_response
from learnhub.extensions import db
from learnhub.quizzes import access, attempts
from learnhub.quizzes import analysis as quiz_analysis
from learnhub.quizzes import review as quiz_review
from learnhub.quizzes.access import get_own_attempt_or_404, get_quiz_or_404
from learnhub.quizzes.analysis_export import analysis_sheet
from learnhub.quizzes.bank import InvalidResponse
from learnhub.quizzes.models import AttemptAnswer, AttemptStatus, Quiz
from learnhub.quizzes.responses import describe, describe_correct, form_answers
from learnhub.quizzes.review import Shown
from learnhub.security import roles_required
from learnhub.settings import local_today
from learnhub.study.services import get_course_or_404

MAX_AUTOSAVE = 64 * 1024  # one answer's JSON: far more than any honest page sends

bp = Blueprint("quizzes", __name__)


@bp.get("/courses/<slug>/quiz")
@login_required
def quiz(slug: str):
    quiz, course, questions = access.get_quiz_page_or_404(slug, current_user)
    record = attempts.standing(current_user, quiz)
    if record.in_progress is not None and attempts.finish_if_expired(record.in_progress):
        db.session.commit()
        record = attempts.standing(current_user, quiz)
    return render_template("quizzes/quiz.html", course=course, quiz=quiz, record=record, questions=questions,
                           show=shown_to(current_user, quiz, record), SHOWN=Shown)


@bp.post("/courses/<slug>/quiz/start")
@login_required
def start(slug: str):
    quiz = get_quiz_or_404(slug, current_user)
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
    attempt = get_own_attempt_or_404(attempt_id, current_user)
    if attempts.finish_if_expired(attempt):
        db.session.commit()
        flash(_("The time was up: your answers saved before the deadline were graded."), "info")
    if attempt.status == AttemptStatus.submitted:
        return redirect(url_for("quizzes.review", attempt_id=attempt.id))
    saved_ids = {a.qid: a.response for a in attempt.answers}
    saved = {e["qid"]: attempts.to_tokens(e, saved_ids[e["qid"]]) for e in attempt.paper if e["qid"] in saved_ids}
    quiz = db.session.get_one(Quiz, attempt.quiz_id)
    course_slug = get_course_slug(quiz)
    questions = [(entry, attempts.kind_of_entry(entry)) for entry in attempt.paper]
    # The countdown as app.js writes it, so the bar keeps its size when the script takes over.
    seconds_left = max(0, int((attempt.deadline - utcnow()).total_seconds())) if attempt.deadline else None
    response = Response(render_template("quizzes/attempt.html", attempt=attempt, saved=saved, slug=course_slug,
                                        questions=questions, seconds_left=seconds_left))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/attempts/<int:attempt_id>/answer")
@login_required
def save_answer(attempt_id: int):
    """Autosave of one answer (JSON), so a dropped connection loses nothing."""
    attempt = get_own_attempt_or_404(attempt_id, current_user)
    if (request.content_length or 0) > MAX_AUTOSAVE:
        abort(400)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or set(payload) - {"qid", "response"} or not isinstance(payload.get("qid"), str):
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
    attempt = get_own_attempt_or_404(attempt_id, current_user)
    try:
        for qid, response in form_answers(attempt.paper, request.form).items():
            attempts.save_answer(attempt, qid, response)
    except InvalidResponse:
        db.session.rollback()  # nothing of a tampered page is kept, not even its honest answers
        abort(400)
    db.session.commit()
    flash(_("Your answers are saved."), "success")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int):
    attempt = get_own_attempt_or_404(attempt_id, current_user)
    review_url = url_for("quizzes.review", attempt_id=attempt.id)  # before the commit expires the attempt
    try:
        attempts.submit_attempt(attempt, form_answers(attempt.paper, request.form))
        db.session.commit()
    except InvalidResponse:
        db.session.rollback()
        abort(400)
    except OperationalError:  # SQLite: the write lock did not come within the busy timeout
        db.session.rollback()
    return redirect(review_url)


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    attempt = get_own_attempt_or_404(attempt_id, current_user)
    if attempt.status != AttemptStatus.submitted:
        return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
    quiz = db.session.get_one(Quiz, attempt.quiz_id)
    record = attempts.standing(current_user, quiz)
    show = shown_to(current_user, quiz, record)
    answers = {a.qid: a for a in db.session.scalars(db.select(AttemptAnswer).where(*attempts.answers_of(attempt)))}
    items = []
    for entry in attempt.paper:
        answer = answers.get(entry["qid"])
        items.append({
            "entry": entry,
            "answer": describe(entry, answer.response if answer else None),
            "fraction": (answer.fraction or 0.0) if answer and Shown.correctness in show else None,
            "correct": describe_correct(entry) if Shown.answers in show else None,
            "explanation": entry["question"]["html"]["explanation"] if Shown.feedback in show else "",
        })
    return render_template("quizzes/review.html", attempt=attempt, items=items, show=show, record=record,
                           slug=get_course_slug(quiz), quiz=quiz, SHOWN=Shown)


def shown_to(user, quiz: Quiz, record: attempts.QuizStanding) -> frozenset[Shown]:
    """What the quiz's review options show this member now (see quizzes/review.py)."""
    closed = quiz_review.plans_closed(user, quiz.course_id, local_today())
    moment = quiz_review.phase(record.attempts_left, record.in_progress is not None, closed)
    return quiz_review.shown(quiz.settings, moment)


def get_course_slug(quiz: Quiz) -> str:
    return db.session.get_one(Course, quiz.course_id).slug


def analysis_scope_or_403(slug: str) -> tuple[Course, Quiz, Any]:
    """The module, its quiz and the units whose members the viewer's item analysis counts."""
    course, quiz = get_course_or_404(slug), get_quiz_or_404(slug, current_user)
    if not access.may_see_item_analysis(current_user, course):
        abort(403)
    return course, quiz, access.item_analysis_units(current_user)


@bp.get("/courses/<slug>/quiz/analysis")
@roles_required(Role.propagandist, Role.committee)
def analysis(slug: str):
    course, quiz, scope = analysis_scope_or_403(slug)
    return render_template(
        "quizzes/analysis.html", course=course, quiz=quiz,
        summary=quiz_analysis.summary(quiz, scope), rows=quiz_analysis.items(quiz, scope),
    )


@bp.get("/courses/<slug>/quiz/analysis.<fmt>")
@roles_required(Role.propagandist, Role.committee)
def analysis_export(slug: str, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    course, quiz, scope = analysis_scope_or_403(slug)
    sheet = analysis_sheet(course.title, slug, quiz_analysis.items(quiz, scope), utcnow())
    return table_response(fmt, sheet.filename, sheet.headers, sheet.rows, title=sheet.title)
