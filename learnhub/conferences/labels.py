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
# why a change to a conference or its roster was refused (services raise ValueError(key))
REFUSALS = {
    "title": _l("Enter the conference's title."),
    "ends_before_start": _l("The end must be after the start."),
    "too_long": _l("A conference lasts at most 7 days: check the dates."),
    "no_units": _l("Choose at least one unit"),
    "cancelled": _l("This conference was cancelled: it can no longer be changed."),
    "not_invited": _l("This person is not on the conference's roster."),
    "head_count": _l("Enter a number (0 if none)"),
}
ALL = {
    "ATTENDANCE_STATUSES": ATTENDANCE_STATUSES, "CHECK_IN_METHODS": CHECK_IN_METHODS,
    "GUEST_KINDS": GUEST_KINDS, "STATUS_TAGS": STATUS_TAGS,
}
