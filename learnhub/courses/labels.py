"""Interface names of course kinds (glossary terms)."""
from flask_babel import lazy_gettext as _l

from learnhub.courses.models import CourseKind

COURSE_KINDS = {
    CourseKind.resolution: _l("Resolution"),
    CourseKind.directive: _l("Directive"),
    CourseKind.conclusion: _l("Conclusion"),
    CourseKind.regulation: _l("Regulation"),
    CourseKind.training: _l("Training module"),
}
