"""Interface names of the conference enums (the glossary's Vietnamese terms go in the catalogue)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from learnhub.conferences.models import AttendanceStatus, CheckInMethod, GuestKind

ATTENDANCE_STATUSES = {
    AttendanceStatus.present: _l("Present"),
    AttendanceStatus.excused: _l("Excused"),
    AttendanceStatus.absent: _l("Absent"),
}
CHECK_IN_METHODS = {
    CheckInMethod.roster: _l("marked by the organiser"),
    CheckInMethod.self_check_in: _l("checked in by QR code"),
}
GUEST_KINDS = {
    GuestKind.civil_servant: _l("Civil servant from another body"),
    GuestKind.citizen: _l("Citizen"),
}
# the tag colour of each mark on the roster
STATUS_TAGS = {
    AttendanceStatus.present: "lh-tag--done",
    AttendanceStatus.excused: "lh-tag--yellow",
    AttendanceStatus.absent: "lh-tag--red",
}
ALL = {
    "ATTENDANCE_STATUSES": ATTENDANCE_STATUSES, "CHECK_IN_METHODS": CHECK_IN_METHODS,
    "GUEST_KINDS": GUEST_KINDS, "STATUS_TAGS": STATUS_TAGS,
}
