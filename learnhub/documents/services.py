"""Changing a unit's document settings (audited)."""
from __future__ import annotations

from learnhub import audit
from learnhub.db import add_once
from learnhub.documents.form import FIELDS, settings_of
from learnhub.documents.models import DocumentSettings
from learnhub.extensions import db
from learnhub.orgs.models import Unit


def save_settings(*, unit: Unit, values: dict[str, str]) -> DocumentSettings:
    """Store ``unit``'s settings (an empty value means "the default") and audit the change; flushes."""
    settings = settings_of(unit.id)
    if settings is None:  # the first save; a second click a moment ago may have made it meanwhile
        settings = add_once(db.session, DocumentSettings(unit_id=unit.id, **{name: "" for name in FIELDS}),
                            lambda: settings_of(unit.id))
    before = {name: getattr(settings, name) for name in FIELDS}
    after = {name: (values.get(name) or "").strip() for name in FIELDS}
    after["recipients"] = "\n".join(line.strip() for line in after["recipients"].splitlines() if line.strip())
    for name, value in after.items():
        setattr(settings, name, value)
    db.session.flush()
    audit.record("documents.settings", object_type="unit", object_id=unit.id,
                 summary=audit.N_("changed the document heading and signature of %(name)s"),
                 params={"name": unit.name}, before=before, after=after)
    return settings
