"""Authoring pages for lessons: add, edit, move, archive; and every editor's live preview."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.authoring import bp, drafts, editing, editor
from learnhub.authoring.access import AUTHORS, get_lesson_file_or_404, get_module_or_404
from learnhub.authoring.forms import (
    ActionForm,
    LessonForm,
    ModuleSettingsForm,
    NewLessonForm,
    QuizForm,
)
from learnhub.authoring.preview import preview as make_preview
from learnhub.authoring.problems import FIXES
from learnhub.authoring.reviews import comments_for
from learnhub.extensions import db
from learnhub.security import roles_required


@bp.post("/<slug>/lessons")
@roles_required(*AUTHORS)
def add_lesson(slug: str):
    course = get_module_or_404(slug, current_user)
    form = NewLessonForm()
    if not form.validate_on_submit():
        flash(_("Enter the lesson's title"), "error")
        return redirect(url_for("authoring.module", slug=slug))
    file = drafts.add_lesson(course, form.title.data, author=current_user)
    db.session.commit()
    return redirect(url_for("authoring.lesson", slug=slug, lesson_slug=file.lesson_slug))


@bp.route("/<slug>/lessons/<lesson_slug>", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def lesson(slug: str, lesson_slug: str):
    course = get_module_or_404(slug, current_user)
    file = get_lesson_file_or_404(course, lesson_slug)
    form = LessonForm()
    if request.method == "GET":
        editing.fill_lesson_form(form, file)
    else:
        text = editing.lesson_text(form)
        if request.form.get("autosave"):
            return editor.autosave(course, file.key, text)
        if form.validate():
            return editor.save(course, file.key, text, form, "authoring/lesson.html",
                               url_for("authoring.lesson", slug=slug, lesson_slug=lesson_slug))
    return editor.editor_page("authoring/lesson.html", course, file, form,
                              comments=comments_for(course, "lesson", file.lesson_slug))


@bp.post("/<slug>/lessons/<lesson_slug>/move")
@roles_required(*AUTHORS)
def move_lesson(slug: str, lesson_slug: str):
    course = get_module_or_404(slug, current_user)
    file = get_lesson_file_or_404(course, lesson_slug)
    if ActionForm().validate_on_submit():
        try:
            drafts.move_lesson(course, file.key, -1 if request.form.get("direction") == "up" else 1)
        except LookupError:
            flash(_("This lesson is archived: bring it back before moving it."), "error")
        else:
            db.session.commit()
    return redirect(url_for("authoring.module", slug=slug) + "#lessons")


@bp.post("/<slug>/lessons/<lesson_slug>/archive")
@roles_required(*AUTHORS)
def archive_lesson(slug: str, lesson_slug: str):
    course = get_module_or_404(slug, current_user)
    file = get_lesson_file_or_404(course, lesson_slug)
    if ActionForm().validate_on_submit():
        archive = request.form.get("archive") == "1"
        drafts.set_lesson_archived(course, file.key, archive)
        db.session.commit()
        flash(_("The lesson was archived: members keep their progress; it leaves the module when you publish.")
              if archive else _("The lesson is back in the module."), "success")
    return redirect(url_for("authoring.module", slug=slug) + "#lessons")


@bp.post("/<slug>/preview/<path:key>")
@roles_required(*AUTHORS)
def preview(slug: str, key: str):
    course = get_module_or_404(slug, current_user)
    if key == drafts.COURSE_FILE:
        text = editing.settings_text(ModuleSettingsForm())
    elif key.startswith(drafts.LESSON_PREFIX):
        text = editing.lesson_text(LessonForm())
    elif key in drafts.QUIZ_FILES:
        text = QuizForm().body.data or ""
    else:
        abort(404)
    result = make_preview(course, key, drafts.normalise(text), url_for("authoring.draft_media", slug=slug, name=""))
    return jsonify(html=result.html, problems=[
        {"line": p.line, "message": p.localized(), "severity": p.severity, "fix": _(FIXES[p.code])}
        for p in result.problems])
