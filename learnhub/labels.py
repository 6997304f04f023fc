"""Interface names of the enums, with the glossary's Vietnamese terms in the catalogue."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from learnhub.auth.models import Category, Gender, MemberStatus, Role
from learnhub.authoring.models import RevisionKind
from learnhub.courses.models import CourseKind
from learnhub.orgs.models import UnitKind
from learnhub.plans.models import Audience, Criterion, PlanStatus, StudyForm

COURSE_KINDS = {
    CourseKind.resolution: _l("Resolution"),
    CourseKind.directive: _l("Directive"),
    CourseKind.conclusion: _l("Conclusion"),
    CourseKind.regulation: _l("Regulation"),
    CourseKind.training: _l("Training module"),
}
CATEGORIES = {
    Category.party_member: _l("Party member"),
    Category.civil_servant: _l("Civil servant or public employee"),
    Category.citizen: _l("Citizen"),
}
STATUSES = {
    MemberStatus.active: _l("Active"),
    MemberStatus.exempted: _l("Exempted from cell activities"),
    MemberStatus.suspended: _l("Suspended"),
    MemberStatus.moved: _l("Moved away"),
    MemberStatus.left: _l("Left the Party"),
    MemberStatus.deceased: _l("Deceased"),
}
GENDERS = {Gender.male: _l("Male"), Gender.female: _l("Female")}
ROLES = {
    Role.member: _l("Member"),
    Role.propagandist: _l("Propagandist"),
    Role.committee: _l("Committee member"),
    Role.admin: _l("Administrator"),
}
UNIT_KINDS = {
    UnitKind.committee: _l("Party committee"),
    UnitKind.cell: _l("Party cell"),
    UnitKind.agency: _l("Agency or unit"),
    UnitKind.mass_org: _l("Mass organisation"),
}
PLAN_STATUSES = {PlanStatus.draft: _l("Draft"), PlanStatus.open: _l("Open"), PlanStatus.closed: _l("Closed")}
# "Propagandists" alone is the inspection page's wider "báo cáo viên, tuyên truyền viên".
AUDIENCES = {Audience.propagandists: _lp("audience", "Propagandists"), Audience.presenters: _l("Report speakers")}
PLAN_FORMS = {StudyForm.online: _l("Online"), StudyForm.in_person: _l("In person"), StudyForm.hybrid: _l("Hybrid")}
CRITERIA = {
    Criterion.lessons: _l("Every lesson studied"),
    Criterion.quiz: _l("The quiz passed"),
    Criterion.conference: _l("A conference attended"),
    Criterion.reflection: _l("The reflection accepted"),
}
SIGNAL_LABELS = {
    "rushed": _l("rushed reading"),
    "guessing": _l("guessing"),
    "shallow": _l("shallow grasp"),
    "copied": _l("copied reflections"),
    "returned": _l("returned reflections"),
}
REVISION_KINDS = {
    RevisionKind.save: _l("Saved"), RevisionKind.autosave: _l("Saved automatically while typing"),
    RevisionKind.restore: _l("Restored"), RevisionKind.imported: _l("Imported from a course folder"),
    RevisionKind.conflict: _l("Kept aside: someone else had saved first"),
}
ALL = {
    "COURSE_KINDS": COURSE_KINDS, "CATEGORIES": CATEGORIES, "STATUSES": STATUSES,
    "GENDERS": GENDERS, "ROLES": ROLES, "UNIT_KINDS": UNIT_KINDS, "ROLE": Role,
    "PLAN_STATUSES": PLAN_STATUSES, "PLAN_FORMS": PLAN_FORMS, "AUDIENCES": AUDIENCES, "SIGNAL_LABELS": SIGNAL_LABELS,
    "REVISION_KINDS": REVISION_KINDS,
}
FILTERS = {
    "category_label": lambda value: CATEGORIES[Category(value)],
    "criterion_label": lambda value: CRITERIA[Criterion(value)],
    "audience_label": lambda value: AUDIENCES[Audience(value)],
}
