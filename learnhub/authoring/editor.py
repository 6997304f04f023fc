"""What the three editors (module settings, lesson, quiz) share: saving with conflicts kept,
autosave, and the editor page itself."""
from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user

from learnhub.authoring import drafts, editing, media
from learnhub.authoring.access import owner_unit_choices
from learnhub.authoring.diff import diff_rows
from learnhub.authoring.models import DraftFile, RevisionKind
from learnhub.courses.models import Course
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.forms import options
from learnhub.markdown import MAX_MARKDOWN
from learnhub.numbers import whole_number
from learnhub.settings import get_setting


def review_required() -> bool:
    """Whether the organisation asks a second person to publish."""
    return bool(get_setting("authoring_review_required"))


def _base(value: str | None) -> int | None:
    return whole_number(value)


def save(course: Course, key: str, text: str, form: Any, template: str, next_url: str) -> Any:
    """Save a file from its editor; a conflicting save keeps the author's text and shows both."""
    try:
        revision = drafts.save_file(course, key, text, author=current_user, base_revision=_base(form.base_revision.data))
    except drafts.EditConflict as conflict:
        db.session.commit()  # the refused text is kept as a revision
        return conflict_page(template, course, conflict, form)
    db.session.commit()
    if revision is None:
        flash(_("Nothing had changed."), "info")
    else:
        flash(_("Saved as revision %(n)d. Members see it once the module is published.", n=revision.number), "success")
    return redirect(next_url)


def autosave(course: Course, key: str, text: str) -> Any:
    """The editor's periodic save, answered in JSON (409 when someone else saved meanwhile; 413 for a
    text longer than any editor takes, which the form's own save then explains)."""
    if len(text) > MAX_MARKDOWN:
        return jsonify(saved=False, message=_("The text is too long to save: shorten it.")), 413
    try:
        revision = drafts.save_file(course, key, text, author=current_user,
                                    base_revision=_base(request.form.get("base_revision")), kind=RevisionKind.autosave)
    except drafts.EditConflict as conflict:
        db.session.commit()
        return jsonify(conflict=True, message=conflict_message(conflict)), 409
    db.session.commit()
    file = drafts.get_file(course, key)
    assert file is not None
    return jsonify(revision=file.revision, saved_at=format_time(utcnow(), "short"), changed=revision is not None)


def conflict_message(conflict: drafts.EditConflict) -> str:
    """Who saved meanwhile, and where the author's own text was kept."""
    who = conflict.current.updated_by.full_name if conflict.current.updated_by else _("someone")
    return _("%(who)s saved this text while you were editing. Your text was kept as revision %(mine)d; "
             "the text now in the editor is theirs (revision %(theirs)d). Compare them and merge what you need.",
             who=who, mine=conflict.kept.number, theirs=conflict.current.revision)


def conflict_page(template: str, course: Course, conflict: drafts.EditConflict, form: Any) -> Any:
    """The editor again with the other person's text, the author's kept text and their diff (409)."""
    file = conflict.current
    fresh = type(form)(formdata=None)
    if file.key == drafts.COURSE_FILE:
        fresh.owner_unit.choices = options(owner_unit_choices(current_user))
        editing.fill_settings_form(fresh, file, course)
    elif file.key.startswith(drafts.LESSON_PREFIX):
        editing.fill_lesson_form(fresh, file)
    else:
        fresh.body.data, fresh.base_revision.data = file.text, str(file.revision)
    page = editor_page(template, course, file, fresh, key=file.key, conflict=conflict,
                       conflict_message=conflict_message(conflict),
                       conflict_diff=diff_rows(file.text, conflict.kept.text))
    return page, 409


def editor_page(template: str, course: Course, file: DraftFile | None, form: Any, key: str | None = None,
                **extra: Any) -> str:
    """An editor page for one draft file."""
    assert key is not None or file is not None
    return render_template(template, course=course, file=file, form=form, key=key or file.key,  # type: ignore[union-attr]
                           media_items=media.media_list(course), **extra)
