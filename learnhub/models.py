"""Imports every feature's models so metadata, migrations and relationships see all tables."""
from learnhub.api.models import ApiToken
from learnhub.audit import AuditEntry
from learnhub.auth.models import User
from learnhub.authoring.models import DraftFile, Revision
from learnhub.conferences.models import (
    Attendance,
    Conference,
    ConferenceGuest,
    ConferencePresenter,
    ConferenceUnit,
)
from learnhub.contests.models import Certificate, Contest, ContestEntry, ContestRound
from learnhub.courses.models import Course, CourseMedia, Lesson, LessonProgress
from learnhub.dialogue.models import Post
from learnhub.documents.models import DocumentSettings
from learnhub.inspections.models import Inspection
from learnhub.members.models import MembershipEvent
from learnhub.notifications import Notification
from learnhub.notify.models import CalendarFeed, ReminderDelivery, ReminderPreference
from learnhub.orgs.models import Unit, UnitAssignment
from learnhub.outreach.models import OutreachSession, PublicVisit
from learnhub.plans.kept import PlanProgress, PlanUnitSums
from learnhub.plans.models import (
    PlanCourse,
    PlanSnapshot,
    PlanTask,
    PlanUnit,
    Reflection,
    ReflectionBand,
    ReflectionSimilarity,
    StudyPlan,
)
from learnhub.quizzes.models import (
    AttemptAnswer,
    Quiz,
    QuizAttempt,
    QuizQuestion,
    QuizUnitAnswer,
    QuizUnitFigures,
    QuizUnitScore,
)
from learnhub.settings import Setting
from learnhub.study.models import OfflineReading

__all__ = [
    "AuditEntry", "Course", "CourseMedia", "Lesson", "LessonProgress", "MembershipEvent",
    "Setting", "Unit", "UnitAssignment", "User", "Quiz", "QuizQuestion", "QuizAttempt", "AttemptAnswer",
    "QuizUnitFigures", "QuizUnitScore", "QuizUnitAnswer",
    "StudyPlan", "PlanUnit", "PlanCourse", "PlanTask", "Reflection", "ReflectionBand", "ReflectionSimilarity", "PlanSnapshot", "PlanProgress", "PlanUnitSums", "Notification", "DraftFile", "Revision", "Conference", "ConferenceUnit",
    "ConferencePresenter", "Attendance", "ConferenceGuest", "PublicVisit", "OutreachSession", "Post", "Inspection",
    "DocumentSettings",
    "ReminderDelivery", "ReminderPreference", "CalendarFeed",
    "OfflineReading",
    "Contest", "ContestRound", "ContestEntry", "Certificate",
    "ApiToken",
]
