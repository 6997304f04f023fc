"""Importing a Moodle GIFT file into a module's draft: the browser side of `courses import --skip-unsupported`."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.authoring import drafts
from learnhub.authoring.forms import GiftImportForm
from learnhub.courses.models import Course
from learnhub.extensions import db
from learnhub.quizzes import gift_messages
from learnhub.quizzes.bank import QuizProblem
from learnhub.quizzes.gift import parse_gift, without_unsupported
from learnhub.quizzes.gift_messages import localise, where


def shown(problems: list[QuizProblem]) -> list[dict[str, str]]:
    """Problems as a page shows them: which question (not a file line) and the message in the user's language."""
    return [{"where": where(p), "message": localise(p.message)} for p in problems]


def skipped_item(problem: QuizProblem) -> str:
    """'Question 3 (“Title”): essay' in the user's language."""
    essay = getattr(problem.message, "template", "") == gift_messages.ESSAY_SKIPPED
    kind = _("essay") if essay else _("description")  # outside the f-string, so extraction finds them
    return f"{where(problem)}: {kind}"


def import_gift(course: Course):
    """Check an uploaded .gift file and make it the draft's bank; what was skipped stays as comments."""
    form = GiftImportForm()
    if not form.validate_on_submit():
        flash(_("Choose a .gift file."), "error")
        return redirect(url_for("authoring.module", slug=course.slug))
    try:
        text = drafts.normalise(form.file.data.read().decode("utf-8-sig"))
    except UnicodeDecodeError:
        flash(_("The file is not UTF-8 text: save it as UTF-8 and try again."), "error")
        return redirect(url_for("authoring.module", slug=course.slug))
    skip = bool(form.skip_unsupported.data)
    bank, problems = parse_gift(text, skip_unsupported=skip)
    errors = [p for p in problems if p.severity == "error"]
    if bank is None or errors:
        offer_skip = not skip and any(getattr(p, "unsupported", False) for p in errors)
        return render_template("authoring/gift_problems.html", course=course, problems=shown(errors),
                               offer_skip=offer_skip), 400
    skipped = [p for p in problems if getattr(p, "unsupported", False)]
    notes = [p for p in problems if p.severity == "warning" and p not in skipped]
    drafts.switch_quiz_file(course, "quiz.gift", without_unsupported(text) if skipped else text, author=current_user)
    db.session.commit()
    flash(_("%(n)d questions were imported into the draft.", n=len(bank.questions)), "success")
    if skipped:
        flash(_("Skipped, since LearnHub cannot grade them (they stay in the file as comments): %(items)s.",
                items="; ".join(skipped_item(p) for p in skipped)), "info")
    if notes:
        flash(_("Please note: %(notes)s", notes="; ".join(
            f"{row['where']}: {row['message']}" if row["where"] else row["message"] for row in shown(notes))), "info")
    return redirect(url_for("authoring.quiz", slug=course.slug))
