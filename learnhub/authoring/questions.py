"""The quiz bank edited question by question: the draft's quiz.md read as a Bank, changed, and
written back through the one quiz.md writer, so the raw editor and the forms edit the same text."""
from __future__ import annotations

from dataclasses import dataclass

from learnhub.auth.models import User
from learnhub.authoring import drafts
from learnhub.authoring.models import Revision
from learnhub.courses.models import Course
from learnhub.quizzes.bank import Bank, Question, QuizSettings, derive_question_id
from learnhub.quizzes.kinds import kind_named
from learnhub.quizzes.quiz_md import parse_quiz_md
from learnhub.quizzes.quiz_md_writer import export_quiz_md, settings_only

QUIZ_KEY = "quiz.md"


class BankUnreadable(ValueError):
    """The draft's quiz is GIFT, or quiz.md with errors: only the raw editor can mend it."""


@dataclass
class DraftBank:
    """The draft's bank and the revision it was read at (0: no quiz yet)."""

    bank: Bank
    revision: int

    def find(self, qid: str) -> tuple[int, Question] | None:
        """The position and question with id ``qid``."""
        return next(((i, q) for i, q in enumerate(self.bank.questions) if q.id == qid), None)


def read_bank(course: Course) -> DraftBank:
    """The bank of the module's draft; BankUnreadable when the forms cannot edit it."""
    file = drafts.quiz_file(course)
    if file is None or (file.archived_at is not None):
        return DraftBank(Bank(QuizSettings(), []), 0 if file is None else file.revision)
    if file.key != QUIZ_KEY:
        raise BankUnreadable("gift")
    bank, problems = parse_quiz_md(file.text)
    if bank is None:
        only_empty = all(p.message.startswith("the file has no questions") for p in problems if p.severity == "error")
        if not only_empty:
            raise BankUnreadable("errors")
        bank = _settings_of(file.text)
    return DraftBank(bank, file.revision)


def _settings_of(text: str) -> Bank:
    """A bank with no questions yet: its settings read by adding one question for the parser."""
    bank, _ = parse_quiz_md(text.rstrip("\n") + "\n\n## ?\n\n= x\n")
    return Bank(bank.settings if bank is not None else QuizSettings(), [])


def bank_text(bank: Bank) -> str:
    """The bank as quiz.md (NotRepresentable when a question cannot be written)."""
    return export_quiz_md(bank) if bank.questions else settings_only(bank.settings)


def new_id(bank: Bank, stem: str, wanted: str | None = None) -> str:
    """An id no other question of the bank uses: ``wanted`` or one derived from the stem."""
    base = wanted or derive_question_id(stem)
    used = {q.id for q in bank.questions}
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def build_question(kind: str, *, qid: str, stem: str, points: int, explanation: str, category: str,
                   rows: dict[str, object]) -> tuple[Question, list[str]]:
    """A question from the editor's fields, and the problems its kind finds in the answer rows."""
    question = Question(id=qid, kind=kind, stem=stem.strip(), points=points,
                        explanation=explanation.strip(), category=category.strip())
    return question, kind_named(kind).from_rows(question, dict(rows))


def save_bank(course: Course, draft: DraftBank, *, author: User, base_revision: int | None) -> Revision | None:
    """Write the bank back as the draft's quiz.md; EditConflict when someone saved since
    ``base_revision`` (as for lessons). Only flushes."""
    return drafts.save_file(course, QUIZ_KEY, bank_text(draft.bank), author=author, base_revision=base_revision)


def move(draft: DraftBank, qid: str, offset: int) -> None:
    """Move a question up (-1) or down (+1)."""
    found = draft.find(qid)
    if found is None:
        raise LookupError(qid)
    index, question = found
    target = index + offset
    if 0 <= target < len(draft.bank.questions):
        questions = draft.bank.questions
        questions[index], questions[target] = questions[target], question


def duplicate(draft: DraftBank, qid: str) -> Question:
    """A copy of a question, with a new id, right after it."""
    found = draft.find(qid)
    if found is None:
        raise LookupError(qid)
    index, question = found
    copy = Question.from_dict(question.to_dict())
    copy.id = new_id(draft.bank, question.stem, f"{question.id}-copy")
    draft.bank.questions.insert(index + 1, copy)
    return copy


def delete(draft: DraftBank, qid: str) -> None:
    """Take a question out of the bank (the text stays in the file's history)."""
    found = draft.find(qid)
    if found is None:
        raise LookupError(qid)
    del draft.bank.questions[found[0]]
