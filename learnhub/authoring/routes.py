"""Authoring pages: propagandists (and committees, admins) write, check, review and publish modules."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
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
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user

from learnhub import audit
from learnhub.auth.models import Role
from learnhub.authoring import drafts, editing, media
from learnhub.authoring.diff import diff_rows
from learnhub.authoring.forms import (
    ActionForm,
    GiftImportForm,
    ImportZipForm,
    LessonForm,
    MediaForm,
    ModuleSettingsForm,
    NewLessonForm,
    NewModuleForm,
    QuizForm,
)
from learnhub.authoring.models import RevisionKind
from learnhub.authoring.preview import preview as make_preview
from learnhub.authoring.uploads import UploadRefused, course_zip_bytes, safe_extract_course_zip
from learnhub.courses.format import read_course
from learnhub.courses.models import Course, CourseKind
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.forms import options
from learnhub.orgs.models import Unit
from learnhub.quizzes.gift import parse_gift
from learnhub.quizzes.quiz_md_writer import NotRepresentable, export_quiz_md
from learnhub.security import authoring_unit_ids, roles_required
from learnhub.settings import get_setting
from learnhub.study.routes import media_response

bp = Blueprint("authoring", __name__, url_prefix="/authoring")
AUTHORS = (Role.propagandist, Role.committee)


# --- Access ---------------------------------------------------------------------------------------


def _authorable() -> sa.Select[Any]:
    statement = sa.select(Course)
    scope = authoring_unit_ids(current_user)
    return statement if scope is None else statement.where(Course.owner_unit_id.in_(scope))


def get_module_or_404(slug: str) -> Course:
    """A module the signed-in author may edit; any other answers 404, so its existence is not revealed."""
    course = db.session.scalar(_authorable().where(Course.slug == slug))
    if course is None:
        abort(404)
    drafts.ensure_draft(course)
    return course


def _owner_choices() -> list[tuple[int, str]]:
    from learnhub.orgs.services import unit_paths

    statement = sa.select(Unit.id).where(Unit.archived_at.is_(None))
    scope = authoring_unit_ids(current_user)
    if scope is not None:
        statement = statement.where(Unit.id.in_(scope))
    ids = list(db.session.scalars(statement))
    paths = unit_paths()
    return sorted(((i, paths[i]) for i in ids), key=lambda item: item[1])


def _review_required() -> bool:
    return bool(get_setting("authoring_review_required"))


# --- Module list, new module, import ---------------------------------------------------------------


@bp.get("/")
@roles_required(*AUTHORS)
def index():
    modules = db.session.scalars(_authorable().where(Course.archived_at.is_(None)).order_by(Course.title)).all()
    return render_template("authoring/index.html", modules=modules, diverged={
        c.id for c in modules if c.published_at is not None and drafts.has_unpublished_changes(c)})


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def new():
    form = NewModuleForm()
    form.owner_unit.choices = options(_owner_choices())
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
    form.owner_unit.choices = options(_owner_choices())
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
                problems = drafts.relative_problems(report)
                existing = db.session.scalar(sa.select(Course).where(Course.slug == folder.name))
                if existing is not None and db.session.scalar(_authorable().where(Course.id == existing.id)) is None:
                    form.file.errors = [_("Another organisation's module already uses the name %(slug)s.", slug=folder.name)]
                elif report.source is not None:
                    result = drafts.import_folder(
                        report, owner_unit_id=form.owner_unit.data if existing is None else None, force=True,
                        author=current_user, publish_now=False)
                    audit.record("module.import", object_type="course", object_id=result.course.id,
                                 summary=audit.N_("imported %(slug)s from a zip as a draft"), params={"slug": result.course.slug})
                    db.session.commit()
                    flash(_("The module was imported as a draft. Check it, then publish it."), "success")
                    return redirect(url_for("authoring.module", slug=result.course.slug))
    return render_template("authoring/import.html", form=form, problems=problems), (400 if problems else 200)


# --- One module -----------------------------------------------------------------------------------


@bp.get("/<slug>/")
@roles_required(*AUTHORS)
def module(slug: str):
    course = get_module_or_404(slug)
    db.session.commit()  # a draft made for an older module is kept
    report, problems = drafts.check_draft(course)
    return render_template(
        "authoring/module.html", course=course, lessons=drafts.lesson_files(course),
        lesson_titles={f.key: editing.file_title(f) for f in drafts.lesson_files(course, include_archived=True)},
        archived=[f for f in drafts.lesson_files(course, include_archived=True) if f.archived_at is not None],
        quiz=drafts.quiz_file(course), problems=problems, publishable=report.source is not None,
        unpublished=drafts.has_unpublished_changes(course), review_required=_review_required(),
        lesson_form=NewLessonForm(), action=ActionForm(), gift_form=GiftImportForm(),
    )


@bp.route("/<slug>/settings", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def settings(slug: str):
    course = get_module_or_404(slug)
    file = drafts.get_file(course, drafts.COURSE_FILE)
    assert file is not None
    form = ModuleSettingsForm()
    form.owner_unit.choices = options(_owner_choices())
    if request.method == "GET":
        editing.fill_settings_form(form, file, course)
    if request.method == "POST":
        if request.form.get("autosave"):
            return _autosave(course, drafts.COURSE_FILE, editing.settings_text(form))
        if form.validate():
            if form.owner_unit.data != course.owner_unit_id or form.shared_down.data != course.shared_down:
                audit.record("module.owner", object_type="course", object_id=course.id,
                             summary=audit.N_("%(slug)s: owner %(owner_unit_id)s -> %(data)s"), params={"slug": slug, "owner_unit_id": course.owner_unit_id, "data": form.owner_unit.data})
                course.owner_unit_id, course.shared_down = form.owner_unit.data, form.shared_down.data
            return _save(course, drafts.COURSE_FILE, editing.settings_text(form), form,
                         "authoring/settings.html", url_for("authoring.module", slug=slug))
    return _editor_page("authoring/settings.html", course, file, form)


@bp.post("/<slug>/lessons")
@roles_required(*AUTHORS)
def add_lesson(slug: str):
    course = get_module_or_404(slug)
    form = NewLessonForm()
    if not form.validate_on_submit():
        flash(_("Enter the lesson's title"), "error")
        return redirect(url_for("authoring.module", slug=slug))
    file = drafts.add_lesson(course, form.title.data, author=current_user)
    db.session.commit()
    return redirect(url_for("authoring.lesson", slug=slug, lesson_slug=file.lesson_slug))


def _lesson_file(course: Course, lesson_slug: str):
    file = drafts.get_file(course, drafts.lesson_key(lesson_slug))
    if file is None:
        abort(404)
    return file


@bp.route("/<slug>/lessons/<lesson_slug>", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def lesson(slug: str, lesson_slug: str):
    course = get_module_or_404(slug)
    file = _lesson_file(course, lesson_slug)
    form = LessonForm()
    if request.method == "GET":
        editing.fill_lesson_form(form, file)
    else:
        text = editing.lesson_text(form)
        if request.form.get("autosave"):
            return _autosave(course, file.key, text)
        if form.validate():
            return _save(course, file.key, text, form, "authoring/lesson.html",
                         url_for("authoring.lesson", slug=slug, lesson_slug=lesson_slug))
    return _editor_page("authoring/lesson.html", course, file, form)


@bp.post("/<slug>/lessons/<lesson_slug>/move")
@roles_required(*AUTHORS)
def move_lesson(slug: str, lesson_slug: str):
    course = get_module_or_404(slug)
    file = _lesson_file(course, lesson_slug)
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
    course = get_module_or_404(slug)
    file = _lesson_file(course, lesson_slug)
    if ActionForm().validate_on_submit():
        archive = request.form.get("archive") == "1"
        drafts.set_lesson_archived(course, file.key, archive)
        db.session.commit()
        flash(_("The lesson was archived: members keep their progress; it leaves the module when you publish.")
              if archive else _("The lesson is back in the module."), "success")
    return redirect(url_for("authoring.module", slug=slug) + "#lessons")


@bp.route("/<slug>/quiz", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def quiz(slug: str):
    course = get_module_or_404(slug)
    file = drafts.quiz_file(course)
    key = file.key if file is not None else "quiz.md"
    form = QuizForm()
    if request.method == "GET":
        form.body.data = file.text if file is not None else editing.QUIZ_TEMPLATE
        form.base_revision.data = str(file.revision) if file is not None else "0"
    else:
        text = form.body.data or ""
        if request.form.get("autosave"):
            return _autosave(course, key, text)
        if form.validate():
            return _save(course, key, text, form, "authoring/quiz.html", url_for("authoring.quiz", slug=slug))
    return _editor_page("authoring/quiz.html", course, file, form, key=key)


@bp.post("/<slug>/quiz/convert")
@roles_required(*AUTHORS)
def convert_quiz(slug: str):
    course = get_module_or_404(slug)
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


@bp.post("/<slug>/quiz/import")
@roles_required(*AUTHORS)
def import_gift(slug: str):
    course = get_module_or_404(slug)
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


# --- Saving, autosave, preview ----------------------------------------------------------------------


def _base(form) -> int | None:
    value = (form.base_revision.data or "").strip()
    return int(value) if value.isdigit() else None


def _save(course: Course, key: str, text: str, form, template: str, next_url: str):
    try:
        revision = drafts.save_file(course, key, text, author=current_user, base_revision=_base(form))
    except drafts.EditConflict as conflict:
        db.session.commit()  # the refused text is kept as a revision
        return _conflict_page(template, course, conflict, form)
    db.session.commit()
    if revision is None:
        flash(_("Nothing had changed."), "info")
    else:
        flash(_("Saved as revision %(n)d. Members see it once the module is published.", n=revision.number), "success")
    return redirect(next_url)


def _autosave(course: Course, key: str, text: str):
    form_base = request.form.get("base_revision", "")
    base = int(form_base) if form_base.isdigit() else None
    try:
        revision = drafts.save_file(course, key, text, author=current_user, base_revision=base,
                                    kind=RevisionKind.autosave)
    except drafts.EditConflict as conflict:
        db.session.commit()
        return jsonify(conflict=True, message=_conflict_message(conflict)), 409
    db.session.commit()
    file = drafts.get_file(course, key)
    assert file is not None
    return jsonify(revision=file.revision, saved_at=format_time(utcnow(), "short"), changed=revision is not None)


def _conflict_message(conflict: drafts.EditConflict) -> str:
    who = conflict.current.updated_by.full_name if conflict.current.updated_by else _("someone")
    return _("%(who)s saved this text while you were editing. Your text was kept as revision %(mine)d; "
             "the text now in the editor is theirs (revision %(theirs)d). Compare them and merge what you need.",
             who=who, mine=conflict.kept.number, theirs=conflict.current.revision)


def _conflict_page(template: str, course: Course, conflict: drafts.EditConflict, form):
    file = conflict.current
    fresh = type(form)(formdata=None)
    if file.key == drafts.COURSE_FILE:
        fresh.owner_unit.choices = options(_owner_choices())
        editing.fill_settings_form(fresh, file, course)
    elif file.key.startswith(drafts.LESSON_PREFIX):
        editing.fill_lesson_form(fresh, file)
    else:
        fresh.body.data, fresh.base_revision.data = file.text, str(file.revision)
    page = _editor_page(template, course, file, fresh, key=file.key, conflict=conflict,
                        conflict_message=_conflict_message(conflict),
                        conflict_diff=diff_rows(file.text, conflict.kept.text))
    return page, 409


def _editor_page(template: str, course: Course, file, form, key: str | None = None, **extra):
    key = key or file.key
    return render_template(
        template, course=course, file=file, form=form, key=key,
        media_items=media.media_list(course), **extra,
    )


@bp.post("/<slug>/preview/<path:key>")
@roles_required(*AUTHORS)
def preview(slug: str, key: str):
    course = get_module_or_404(slug)
    if key == drafts.COURSE_FILE:
        form = ModuleSettingsForm()
        text = editing.settings_text(form)
    elif key.startswith(drafts.LESSON_PREFIX):
        text = editing.lesson_text(LessonForm())
    elif key in drafts.QUIZ_FILES:
        text = QuizForm().body.data or ""
    else:
        abort(404)
    result = make_preview(course, key, drafts.normalise(text), url_for("authoring.draft_media", slug=slug, name=""))
    return jsonify(html=result.html, problems=[
        {"line": p.line, "message": p.message, "severity": p.severity} for p in result.problems])


# --- History -------------------------------------------------------------------------------------


def _file_or_404(course: Course, key: str):
    file = drafts.get_file(course, key)
    if file is None:
        abort(404)
    return file


@bp.get("/<slug>/history/<path:key>")
@roles_required(*AUTHORS)
def history(slug: str, key: str):
    course = get_module_or_404(slug)
    file = _file_or_404(course, key)
    return render_template("authoring/history.html", course=course, file=file,
                           revisions=drafts.revisions(course, key), title=editing.file_title(file))


@bp.get("/<slug>/history/<path:key>/<int:number>")
@roles_required(*AUTHORS)
def revision(slug: str, key: str, number: int):
    course = get_module_or_404(slug)
    file = _file_or_404(course, key)
    shown = drafts.get_revision(course, key, number) or abort(404)
    return render_template("authoring/revision.html", course=course, file=file, revision=shown,
                           title=editing.file_title(file), rows=diff_rows(file.text, shown.text), action=ActionForm())


@bp.post("/<slug>/history/<path:key>/<int:number>/restore")
@roles_required(*AUTHORS)
def restore(slug: str, key: str, number: int):
    course = get_module_or_404(slug)
    _file_or_404(course, key)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        restored = drafts.restore_revision(course, key, number, author=current_user)
    except LookupError:
        abort(404)
    audit.record("module.restore", object_type="course", object_id=course.id,
                 summary=audit.N_("%(slug)s: %(key)s restored from revision %(number)s"), params={"slug": slug, "key": key, "number": number})
    db.session.commit()
    flash(_("Revision %(old)d is current again, as revision %(new)d. Nothing was removed from the history.",
            old=number, new=restored.number if restored else number), "success")
    return redirect(url_for("authoring.history", slug=slug, key=key))


# --- Media -----------------------------------------------------------------------------------------


@bp.route("/<slug>/media", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def media_page(slug: str):
    course = get_module_or_404(slug)
    form = MediaForm()
    status = 200
    if form.validate_on_submit():
        try:
            item = media.add_media(course, form.file.data.filename or "", form.file.data.read())
        except UploadRefused as exc:
            form.file.errors = [media.refusal_message(exc)]
            status = 400
        else:
            audit.record("module.media", object_type="course", object_id=course.id, summary=audit.N_("%(slug)s: uploaded %(path)s"), params={"slug": slug, "path": item.path})
            db.session.commit()
            flash(_("%(name)s was uploaded. Insert it in a lesson with the toolbar's image list.", name=item.path), "success")
            return redirect(url_for("authoring.media_page", slug=slug))
    elif request.method == "POST":
        status = 400
    return render_template("authoring/media.html", course=course, form=form, items=media.media_list(course),
                           action=ActionForm()), status


@bp.get("/<slug>/media/<path:name>")
@roles_required(*AUTHORS)
def draft_media(slug: str, name: str):
    course = get_module_or_404(slug)
    item = media.get_media(course, name) or abort(404)
    return media_response(item)


@bp.post("/<slug>/media/<path:name>/delete")
@roles_required(*AUTHORS)
def delete_media(slug: str, name: str):
    course = get_module_or_404(slug)
    item = media.get_media(course, name) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not media.delete_if_unused(course, item):
        flash(_("%(name)s is still used by a lesson (in the draft or in what members see), so it was kept.",
                name=name), "error")
    else:
        audit.record("module.media_delete", object_type="course", object_id=course.id, summary=audit.N_("%(slug)s: deleted %(name)s"), params={"slug": slug, "name": name})
        db.session.commit()
        flash(_("%(name)s was deleted.", name=name), "success")
    return redirect(url_for("authoring.media_page", slug=slug))


# --- Publishing, review, export, member-eye preview -------------------------------------------------------


@bp.post("/<slug>/publish")
@roles_required(*AUTHORS)
def publish(slug: str):
    course = get_module_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        summary = drafts.publish(course, publisher=current_user, review_required=_review_required())
    except drafts.ReviewRequired:
        flash(_("Your organisation asks for a second person to publish: ask for review, then another author publishes."), "error")
        return redirect(url_for("authoring.module", slug=slug))
    except drafts.DraftRefused as refused:
        db.session.rollback()
        flash(_("The module was not published: correct the %(n)d problem(s) listed below.", n=len(refused.problems)), "error")
        return redirect(url_for("authoring.module", slug=slug))
    audit.record("module.publish", object_type="course", object_id=course.id, summary=summary.describe())
    db.session.commit()
    flash(_("Published: members now see this version. Members in the middle of the quiz keep the questions they started with."), "success")
    return redirect(url_for("authoring.module", slug=slug))


@bp.post("/<slug>/review")
@roles_required(*AUTHORS)
def request_review(slug: str):
    course = get_module_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        drafts.request_review(course, current_user)
    except drafts.DraftRefused:
        flash(_("Correct the problems listed below before asking for review."), "error")
        return redirect(url_for("authoring.module", slug=slug))
    audit.record("module.review_request", object_type="course", object_id=course.id, summary=audit.N_("%(slug)s: review asked"), params={"slug": slug})
    db.session.commit()
    flash(_("Review was asked for. Another propagandist or committee member can now publish."), "success")
    return redirect(url_for("authoring.module", slug=slug))


@bp.get("/<slug>/export.zip")
@roles_required(*AUTHORS)
def export(slug: str):
    course = get_module_or_404(slug)
    with drafts.draft_folder(course) as folder:
        data = course_zip_bytes(folder)
    response = Response(data, mimetype="application/zip")
    response.headers.set("Content-Disposition", "attachment", filename=f"{slug}.zip")
    return response


@bp.get("/<slug>/view/")
@bp.get("/<slug>/view/<lesson_slug>")
@roles_required(*AUTHORS)
def view(slug: str, lesson_slug: str | None = None):
    """The draft as members will see it once published."""
    course = get_module_or_404(slug)
    report, problems = drafts.check_draft(course)
    media_base = url_for("authoring.draft_media", slug=slug, name="")
    page = editing.draft_page(course, lesson_slug, media_base) or abort(404)
    return render_template("authoring/view.html", course=course, page=page, problems=problems)
