"""Authoring pages for the quiz: its editor, and turning a GIFT bank into the Markdown syntax."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.authoring import bp, drafts, editing, editor
from learnhub.authoring.access import AUTHORS, get_module_or_404
from learnhub.authoring.forms import ActionForm, QuizForm
from learnhub.extensions import db
from learnhub.quizzes.gift import parse_gift
from learnhub.quizzes.quiz_md_writer import NotRepresentable, export_quiz_md
from learnhub.security import roles_required


@bp.route("/<slug>/quiz", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def quiz(slug: str):
    course = get_module_or_404(slug, current_user)
    file = drafts.quiz_file(course)
    key = file.key if file is not None else "quiz.md"
    form = QuizForm()
    if request.method == "GET":
        form.body.data = file.text if file is not None else editing.QUIZ_TEMPLATE
        form.base_revision.data = str(file.revision) if file is not None else "0"
    else:
        text = form.body.data or ""
        if request.form.get("autosave"):
            return editor.autosave(course, key, text)
        if form.validate():
            return editor.save(course, key, text, form, "authoring/quiz.html", url_for("authoring.quiz", slug=slug))
    return editor.editor_page("authoring/quiz.html", course, file, form, key=key)


@bp.post("/<slug>/quiz/convert")
@roles_required(*AUTHORS)
def convert_quiz(slug: str):
    course = get_module_or_404(slug, current_user)
    file = drafts.quiz_file(course)
    if file is None or file.key != "quiz.gift" or not ActionForm().validate_on_submit():
        abort(404)
    bank, problems = parse_gift(file.text)
    if bank is None or any(p.severity == "error" for p in problems):
        flash(_("Correct the errors in the GIFT text first."), "error")
        return redirect(url_for("authoring.quiz", slug=slug))
    try:
        text = export_quiz_md(bank)
    except NotRepresentable as exc:
        flash(_("This bank cannot be written in the Markdown syntax without losing something: %(reasons)s",
                reasons="; ".join(message for _, message in exc.reasons)), "error")
        return redirect(url_for("authoring.quiz", slug=slug))
    drafts.switch_quiz_file(course, "quiz.md", text, author=current_user)
    db.session.commit()
    flash(_("The questions are now written in the Markdown syntax. The GIFT text stays in the history."), "success")
    return redirect(url_for("authoring.quiz", slug=slug))
