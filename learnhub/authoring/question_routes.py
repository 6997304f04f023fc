"""Authoring pages for the quiz question by question: the list, a form per kind with a live preview,
move, duplicate and delete. Every change rewrites the draft's quiz.md (see authoring/questions.py)."""
from __future__ import annotations

import random
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.authoring import bp, drafts, editor, questions
from learnhub.authoring.access import AUTHORS, get_module_or_404
from learnhub.authoring.forms import ActionForm
from learnhub.authoring.question_forms import QuestionForm, QuizSettingsForm
from learnhub.authoring.reviews import comments_for
from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.forms import room_for
from learnhub.numbers import whole_number
from learnhub.quizzes.bank import Question
from learnhub.quizzes.kinds import REGISTRY, kind_named
from learnhub.quizzes.quiz_md_messages import localise_md
from learnhub.quizzes.quiz_md_writer import NotRepresentable
from learnhub.quizzes.sync import render_question
from learnhub.security import roles_required


def _bank_or_redirect(course: Course) -> questions.DraftBank | None:
    try:
        return questions.read_bank(course)
    except questions.BankUnreadable:
        flash(_("The questions cannot be edited by form until the problems in the quiz text are corrected "
                "(or a GIFT bank is converted): open “Edit as text”."), "error")
        return None


@bp.get("/<slug>/questions")
@roles_required(*AUTHORS)
def questions_list(slug: str):
    course = get_module_or_404(slug, current_user)
    draft = _bank_or_redirect(course)
    if draft is None:
        return redirect(url_for("authoring.quiz", slug=slug))
    return _list_page(course, draft, _settings_form(draft))


def _categories(draft: questions.DraftBank) -> list[tuple[str, int]]:
    """The bank's categories in the order they first appear, with their number of questions."""
    counts: dict[str, int] = {}
    for question in draft.bank.questions:
        if question.category:
            counts[question.category] = counts.get(question.category, 0) + 1
    return list(counts.items())


def _settings_form(draft: questions.DraftBank) -> QuizSettingsForm:
    settings, draw = draft.bank.settings, draft.bank.settings.draw
    form = QuizSettingsForm(formdata=None, base_revision=str(draft.revision), pass_score=settings.pass_score,
                            draw=draw if isinstance(draw, int) else None)
    for name, _count in _categories(draft):
        if not room_for(form.category_draw):  # the rest keep their draw (quiz_settings) and are set as text
            break
        form.category_draw.append_entry(draw.get(name) if isinstance(draw, dict) else None)
    return form


def _list_page(course: Course, draft: questions.DraftBank, settings_form: QuizSettingsForm) -> str:
    return render_template("authoring/questions.html", course=course, draft=draft, kinds=_kinds(),
                           kind_names=dict(_kinds()), action=ActionForm(), comments=comments_for(course, "question"),
                           settings_form=settings_form, categories=_categories(draft))


@bp.post("/<slug>/quiz-settings")
@roles_required(*AUTHORS)
def quiz_settings(slug: str):
    course = get_module_or_404(slug, current_user)
    draft = _bank_or_redirect(course)
    if draft is None:
        return redirect(url_for("authoring.quiz", slug=slug))
    form = QuizSettingsForm()
    if not form.validate():
        return _list_page(course, draft, form), 422
    categories = _categories(draft)
    shown, beyond = categories[:len(form.category_draw)], {name for name, _count in categories[len(form.category_draw):]}
    before = draft.bank.settings.draw if isinstance(draft.bank.settings.draw, dict) else {}
    per_category = {name: count for name, count in before.items() if name in beyond}  # no field: kept
    per_category |= {name: entry.data for (name, _count), entry in zip(shown, form.category_draw, strict=False)
                     if entry.data}
    settings = draft.bank.settings
    settings.pass_score = form.pass_score.data or settings.pass_score
    settings.draw = per_category or form.draw.data or None
    return _save(course, draft, form.base_revision.data, _("The quiz settings were saved."),
                 lambda: _list_page(course, draft, form))


@bp.route("/<slug>/new-question/<kind>", methods=["GET", "POST"])
@bp.route("/<slug>/questions/<qid>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def question_form(slug: str, kind: str | None = None, qid: str | None = None):
    course = get_module_or_404(slug, current_user)
    draft = _bank_or_redirect(course)
    if draft is None:
        return redirect(url_for("authoring.quiz", slug=slug))
    found = draft.find(qid) if qid is not None else None
    if (qid is not None and found is None) or (kind is not None and (kind not in REGISTRY or not kind_named(kind).form_parts)):
        abort(404)
    kind = found[1].kind if found is not None else kind
    assert kind is not None
    form = QuestionForm()
    if request.method == "GET":
        form.base_revision.data = str(draft.revision)
        if found is not None:
            form.fill(found[1])
            if not form.fits:
                flash(_("This question has more answers than the form holds: edit it in the quiz text."), "error")
                return redirect(url_for("authoring.quiz", slug=slug))
        return _form_page(course, form, kind, found)
    question, problems = _from_form(form, kind, draft, found)
    if "preview" in request.form or problems or question is None:
        return _form_page(course, form, kind, found, question=question, problems=problems), 200 if not problems else 422
    if found is not None:
        draft.bank.questions[found[0]] = question
    else:
        draft.bank.questions.append(question)
    return _save(course, draft, form.base_revision.data, _("The question was saved."),
                 lambda: _form_page(course, form, kind, found, question=question))


def _from_form(form: QuestionForm, kind: str, draft: questions.DraftBank,
               found: tuple[int, Question] | None) -> tuple[Question | None, list[str]]:
    """The question the form describes, and every problem in the author's language."""
    if not form.validate():
        return None, [str(message) for messages in form.errors.values() for message in _flat(messages)]
    qid = found[1].id if found is not None else questions.new_id(draft.bank, form.stem.data or "")
    question, problems = questions.build_question(
        kind, qid=qid, stem=form.stem.data or "", points=form.points.data or 1,
        explanation=form.explanation.data or "", category=form.category.data or "", rows=form.rows())
    return question, [_(message) for message in problems]


def _flat(messages: Any) -> list[str]:
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flat(value)]
    if isinstance(messages, list):
        return [m for value in messages for m in _flat(value)]
    return [messages]


def _save(course: Course, draft: questions.DraftBank, base: str | None, done: str, again: Any) -> Any:
    """Write the bank back; a stale base revision is refused and the other person's text shown."""
    base_revision = whole_number(base)
    try:
        questions.save_bank(course, draft, author=current_user, base_revision=base_revision)
    except NotRepresentable as exc:
        db.session.rollback()
        reasons = "; ".join(localise_md(m.removeprefix("settings: ")) for _, m in exc.reasons)
        flash(_("The question could not be written: %(reasons)s", reasons=reasons), "error")
        return again(), 422
    except drafts.EditConflict as conflict:
        db.session.commit()  # the refused text is kept as a revision
        flash(editor.conflict_message(conflict), "error")
        return render_template("authoring/question_conflict.html", course=course, conflict=conflict,
                               theirs=_preview_questions(questions.read_bank(course).bank.questions)), 409
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("authoring.questions_list", slug=course.slug))


@bp.post("/<slug>/questions/<qid>/<any(up, down, duplicate, delete):action>")
@roles_required(*AUTHORS)
def question_action(slug: str, qid: str, action: str):
    course = get_module_or_404(slug, current_user)
    draft = _bank_or_redirect(course)
    if draft is None:
        return redirect(url_for("authoring.quiz", slug=slug))
    if draft.find(qid) is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if action in ("up", "down"):
        questions.move(draft, qid, -1 if action == "up" else 1)
        done = _("The question was moved.")
    elif action == "duplicate":
        questions.duplicate(draft, qid)
        done = _("The question was copied: the copy is right after it.")
    else:
        questions.delete(draft, qid)
        done = _("The question was deleted. It stays in the history of the quiz text.")
    return _save(course, draft, request.form.get("base_revision"), done,
                 lambda: redirect(url_for("authoring.questions_list", slug=slug)))


@bp.post("/<slug>/question-preview/<kind>")
@roles_required(*AUTHORS)
def question_preview(slug: str, kind: str):
    """The question as members will see it, for the form's live preview (HTML)."""
    course = get_module_or_404(slug, current_user)
    if kind not in REGISTRY:
        abort(404)
    form = QuestionForm()
    if not form.validate():
        return render_template("authoring/_question_preview.html", question=None, problems=[
            str(m) for messages in form.errors.values() for m in _flat(messages)])
    question, problems = questions.build_question(
        kind, qid="preview", stem=form.stem.data or "", points=form.points.data or 1,
        explanation=form.explanation.data or "", category=form.category.data or "", rows=form.rows())
    return render_template("authoring/_question_preview.html", course=course,
                           question=_preview_questions([question])[0], problems=[_(m) for m in problems])


def _kinds() -> list[tuple[str, str]]:
    """The kinds a form can write, with their names in the author's language."""
    return [(name, _(kind.label)) for name, kind in REGISTRY.items() if kind.form_parts]


def _preview_questions(items: list[Question]) -> list[dict[str, Any]]:
    """Each question with what the member's partial needs: its data, tokens (not shuffled) and kind."""
    shown = []
    for question in items:
        data = render_question(question)
        kind = kind_named(question.kind)
        entry = {"qid": f"preview-{question.id}", "question": data, "choices": {}, "rights": {}}
        try:
            entry.update(kind.tokens(data, False, random.Random(0)))
            correct = kind.describe_correct(entry, question)
        except (ValueError, KeyError, IndexError):
            correct = []
        shown.append({"entry": entry, "kind": kind, "q": data, "correct": correct, "question": question})
    return shown


def _form_page(course: Course, form: QuestionForm, kind: str, found: tuple[int, Question] | None,
               question: Question | None = None, problems: list[str] | None = None) -> str:
    shown = question if question is not None else (found[1] if found is not None else None)
    comments = comments_for(course, "question", found[1].id) if found is not None else []
    return render_template("authoring/question_form.html", course=course, form=form, kind=kind,
                           kind_label=_(kind_named(kind).label), parts=kind_named(kind).form_parts,
                           number=found[0] + 1 if found is not None else None, qid=found[1].id if found else None,
                           preview=_preview_questions([shown])[0] if shown is not None and shown.stem else None,
                           problems=problems or [], comments=comments)
