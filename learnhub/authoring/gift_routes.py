"""Authoring page for importing a GIFT file (as Moodle writes it) into a module's quiz."""
from __future__ import annotations

from flask_login import current_user

from learnhub.authoring import bp, gift_import
from learnhub.authoring.access import AUTHORS, get_module_or_404
from learnhub.security import roles_required


@bp.post("/<slug>/quiz/import")
@roles_required(*AUTHORS)
def import_gift(slug: str):
    return gift_import.import_gift(get_module_or_404(slug, current_user))
