"""Imports every feature's models so metadata, migrations and relationships see all tables."""
from learnhub.auth.models import User
from learnhub.courses.models import Course, CourseMedia, Lesson, LessonProgress
from learnhub.orgs.models import Unit

__all__ = ["Course", "CourseMedia", "Lesson", "LessonProgress", "Unit", "User"]
