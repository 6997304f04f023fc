"""Authoring page for importing a GIFT file (as Moodle writes it) into a module's quiz."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.authoring import bp, drafts
from learnhub.authoring.access import AUTHORS, get_module_or_404
from learnhub.authoring.forms import GiftImportForm
from learnhub.extensions import db
from learnhub.quizzes.gift import parse_gift
from learnhub.security import roles_required


@bp.post("/<slug>/quiz/import")
@roles_required(*AUTHORS)
def import_gift(slug: str):
    course = get_module_or_404(slug, current_user)
    form = GiftImportForm()
    if not form.validate_on_submit():
        flash(_("Choose a .gift file."), "error")
        return redirect(url_for("authoring.module", slug=slug))
    try:
        text = drafts.normalise(form.file.data.read().decode("utf-8-sig"))
    except UnicodeDecodeError:
        flash(_("The file is not UTF-8 text: save it as UTF-8 and try again."), "error")
        return redirect(url_for("authoring.module", slug=slug))
    bank, problems = parse_gift(text)
    errors = [p for p in problems if p.severity == "error"]
    if bank is None or errors:
        return render_template("authoring/gift_problems.html", course=course, problems=errors), 400
    drafts.switch_quiz_file(course, "quiz.gift", text, author=current_user)
    db.session.commit()
    flash(_("%(n)d questions were imported into the draft.", n=len(bank.questions)), "success")
    return redirect(url_for("authoring.quiz", slug=slug))
