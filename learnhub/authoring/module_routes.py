"""Authoring pages for whole modules: the list, a new module, a zip import, a module's page and settings."""
from __future__ import annotations

import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learnhub import audit
from learnhub.authoring import bp, drafts, editing, editor, media, publishing
from learnhub.authoring.access import AUTHORS, get_module_or_404, owner_unit_choices
from learnhub.authoring.forms import (
    ActionForm,
    GiftImportForm,
    ImportZipForm,
    ModuleSettingsForm,
    NewLessonForm,
    NewModuleForm,
)
from learnhub.authoring.problems import shown_problems
from learnhub.authoring.uploads import UploadRefused, safe_extract_course_zip
from learnhub.courses.access import editable_courses, may_take_slug
from learnhub.courses.format import read_course
from learnhub.courses.models import Course, CourseKind
from learnhub.extensions import db
from learnhub.forms import options
from learnhub.security import roles_required


@bp.get("/")
@roles_required(*AUTHORS)
def index():
    statement = editable_courses(current_user).where(Course.archived_at.is_(None)).order_by(Course.title)
    modules = db.session.scalars(statement).all()
    return render_template("authoring/index.html", modules=modules, diverged={
        c.id for c in modules if c.published_at is not None and publishing.has_unpublished_changes(c)})


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def new():
    form = NewModuleForm()
    form.owner_unit.choices = options(owner_unit_choices(current_user))
    if form.validate_on_submit():
        slug = form.slug.data or drafts.new_module_slug(form.title.data)
        if db.session.scalar(sa.select(Course.id).where(Course.slug == slug)) is not None:
            form.slug.errors = [_("Another module already uses this short name: choose another.")]
        else:
            course = drafts.create_module(
                slug=slug, title=form.title.data, kind=CourseKind(form.kind.data), summary=form.summary.data,
                owner_unit_id=form.owner_unit.data, shared_down=form.shared_down.data, author=current_user,
            )
            audit.record("module.create", object_type="course", object_id=course.id, summary=audit.N_("created %(slug)s"), params={"slug": slug})
            db.session.commit()
            flash(_("The module was created as a draft. Add its lessons, then publish it."), "success")
            return redirect(url_for("authoring.module", slug=slug))
    return render_template("authoring/new.html", form=form)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def import_zip():
    form = ImportZipForm()
    form.owner_unit.choices = options(owner_unit_choices(current_user))
    problems = []
    if form.validate_on_submit():
        data = form.file.data.read()
        with tempfile.TemporaryDirectory(prefix="learnhub-upload-") as parent:
            try:
                folder = safe_extract_course_zip(data, Path(parent))
            except UploadRefused as exc:
                form.file.errors = [media.refusal_message(exc)]
            else:
                report = read_course(folder)
                problems = shown_problems(publishing.relative_problems(report), folder=folder)
                existing = db.session.scalar(sa.select(Course).where(Course.slug == folder.name))
                if not may_take_slug(current_user, folder.name):
                    form.file.errors = [_("Another organisation's module already uses the name %(slug)s.", slug=folder.name)]
                elif report.source is not None:
                    result = publishing.import_folder(
                        report, owner_unit_id=form.owner_unit.data if existing is None else None, force=True,
                        author=current_user, publish_now=False)
                    audit.record("module.import", object_type="course", object_id=result.course.id,
                                 summary=audit.N_("imported %(slug)s from a zip as a draft"), params={"slug": result.course.slug})
                    db.session.commit()
                    flash(_("The module was imported as a draft. Check it, then publish it."), "success")
                    return redirect(url_for("authoring.module", slug=result.course.slug))
    return render_template("authoring/import.html", form=form, problems=problems), (400 if problems else 200)


@bp.get("/<slug>/")
@roles_required(*AUTHORS)
def module(slug: str):
    course = get_module_or_404(slug, current_user)
    report, problems = publishing.check_draft(course)
    lessons = drafts.lesson_files(course, include_archived=True)
    return render_template(
        "authoring/module.html", course=course, lessons=[f for f in lessons if f.archived_at is None],
        lesson_titles={f.key: editing.file_title(f) for f in lessons},
        archived=[f for f in lessons if f.archived_at is not None],
        quiz=drafts.quiz_file(course), problems=shown_problems(problems, course=course),
        publishable=report.source is not None, unpublished=publishing.has_unpublished_changes(course),
        review_required=editor.review_required(), lesson_form=NewLessonForm(), action=ActionForm(),
        gift_form=GiftImportForm(),
    )


@bp.route("/<slug>/settings", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def settings(slug: str):
    course = get_module_or_404(slug, current_user)
    file = drafts.get_file(course, drafts.COURSE_FILE)
    form = ModuleSettingsForm()
    form.owner_unit.choices = options(owner_unit_choices(current_user))
    if request.method == "GET" and file is not None:
        editing.fill_settings_form(form, file, course)
    if request.method == "POST":
        if request.form.get("autosave"):
            return editor.autosave(course, drafts.COURSE_FILE, editing.settings_text(form))
        if form.validate():
            if form.owner_unit.data != course.owner_unit_id or form.shared_down.data != course.shared_down:
                audit.record("module.owner", object_type="course", object_id=course.id,
                             summary=audit.N_("%(slug)s: owner %(owner_unit_id)s -> %(data)s"), params={"slug": slug, "owner_unit_id": course.owner_unit_id, "data": form.owner_unit.data})
                course.owner_unit_id, course.shared_down = form.owner_unit.data, form.shared_down.data
            return editor.save(course, drafts.COURSE_FILE, editing.settings_text(form), form,
                               "authoring/settings.html", url_for("authoring.module", slug=slug))
    return editor.editor_page("authoring/settings.html", course, file, form, key=drafts.COURSE_FILE)
