"""Drafts as a user notices them: hidden until published, every save kept, conflicts set aside,
lessons added, moved and archived, publishing refused with file:line problems, review by a second
person, and the draft and the course folder as two views of the same files."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from learnhub.auth.models import User
from learnhub.authoring import drafts, publishing
from learnhub.authoring.models import DraftFile, Revision, RevisionKind
from learnhub.courses.format import read_course
from learnhub.courses.models import Course, CourseKind, Lesson, LessonProgress
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.quizzes import attempts
from learnhub.quizzes.models import Quiz
from learnhub.study.services import get_course_or_404, mark_lesson_studied, open_courses_for
from tests.courses.conftest import write_course

PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)

QUIZ_MD = """---
pass_score: 80
shuffle: false
---

## Chỉ thị được ban hành vào năm nào? {#nam}

- [ ] 2014
- [x] 2016
- [ ] 2018

## Ai là người nêu gương trước? {#neu-guong}

- [x] Người đứng đầu
- [ ] Đảng viên mới

## Nội dung cũ sẽ bị bỏ? {#bo-di}

- [x] Đúng
- [ ] Sai
"""

# The same ids, the first question reworded with another right answer, one removed, one added.
QUIZ_MD_V2 = """---
pass_score: 80
shuffle: false
---

## Năm nào Chỉ thị được ban hành (sửa lại)? {#nam}

- [x] 2014
- [ ] 2016
- [ ] 2018

## Ai là người nêu gương trước? {#neu-guong}

- [x] Người đứng đầu
- [ ] Đảng viên mới

## Câu hỏi mới? {#moi}

- [x] Có
- [ ] Không
"""

GIFT = "::thu-do:: Thủ đô của Việt Nam? {=Hà Nội ~Huế ~Đà Nẵng}\n"


@pytest.fixture
def people(town, ctx) -> dict[str, User]:
    """The town's people loaded in the test's session (authors: tuyentruyen, capuy, bithu1)."""
    return {name: db.session.get(User, value.id) for name, value in town.items() if isinstance(value, User)}


def new_module(author: User, owner_unit_id: int, *lessons: str, slug: str = "hoc-phan-moi") -> Course:
    """A module written in the browser: course.md and one lesson per title, committed."""
    course = drafts.create_module(
        slug=slug, title="Học phần viết trên trình duyệt", kind=CourseKind.training, summary="Tóm tắt học phần.",
        owner_unit_id=owner_unit_id, shared_down=True, author=author,
    )
    for title in lessons:
        drafts.add_lesson(course, title, author=author, body=f"Nội dung **{title}**.")
    db.session.commit()
    return course


def edit(course: Course, key: str, text: str, author: User, **kwargs) -> Revision | None:
    """Save as the editor does: from the revision the author has open."""
    file = drafts.get_file(course, key)
    base = kwargs.pop("base_revision", file.revision if file else None)
    return drafts.save_file(course, key, text, author=author, base_revision=base, **kwargs)


def lesson(course: Course, slug: str) -> Lesson:
    return db.session.scalars(sa.select(Lesson).where(Lesson.course_id == course.id, Lesson.slug == slug)).one()


def revision_texts(course: Course, key: str) -> list[str]:
    return [r.text for r in drafts.revisions(course, key)]


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- Hidden until published ---------------------------------------------------------------------


def test_a_browser_module_is_hidden_until_published_and_later_edits_wait_for_the_next_publish(people, town):
    author, member = people["propagandist"], people["member_a"]
    course = new_module(author, town["root"].id, "Bài một")

    assert course.slug not in [p.course.slug for p in open_courses_for(member)]
    with pytest.raises(NotFound):
        get_course_or_404(course.slug, member)

    publishing.publish(course, publisher=author)
    db.session.commit()
    assert [p.course.slug for p in open_courses_for(member)] == [course.slug]
    assert get_course_or_404(course.slug, member).id == course.id
    assert "<strong>Bài một</strong>" in lesson(course, "bai-mot").body_html
    assert not publishing.has_unpublished_changes(course)

    edit(course, "lesson:bai-mot", drafts.compose_lesson("Bài một", 10, [], "Đoạn **đã sửa**."), author)
    db.session.commit()
    db.session.expire_all()
    assert "<strong>Bài một</strong>" in lesson(course, "bai-mot").body_html  # members still see the old text
    assert publishing.has_unpublished_changes(course)

    publishing.publish(course, publisher=author)
    db.session.commit()
    db.session.expire_all()
    assert "<strong>đã sửa</strong>" in lesson(course, "bai-mot").body_html
    assert not publishing.has_unpublished_changes(course)


# --- Revisions ----------------------------------------------------------------------------------


def test_every_save_is_a_revision_with_author_and_time_unchanged_text_adds_none_and_text_is_nfc(people, town):
    author = people["propagandist"]
    course = new_module(author, town["root"].id, "Bài một")
    key = "lesson:bai-mot"
    before = len(drafts.revisions(course, key))

    started = utcnow()
    decomposed = drafts.compose_lesson("Nghi\u0323 quyê\u0301t", 10, [], "Quán triê\u0323t\r\nnghị quyết.")
    revision = edit(course, key, decomposed, author)
    db.session.commit()
    assert revision is not None and revision.kind == RevisionKind.save
    assert revision.author_id == author.id and started <= revision.created_at <= utcnow()
    file = drafts.get_file(course, key)
    assert "title: Nghị quyết\n" in file.text and "Quán triệt\nnghị quyết." in file.text  # NFC, LF lines
    assert file.text == drafts.normalise(decomposed) and file.revision == revision.number
    assert len(drafts.revisions(course, key)) == before + 1

    # the same words again (even typed with decomposed marks) are no new revision
    assert edit(course, key, decomposed, author) is None
    assert edit(course, key, file.text, author) is None
    assert len(drafts.revisions(course, key)) == before + 1


def test_a_second_editor_gets_a_conflict_and_their_text_is_kept_aside(people, town):
    first, second = people["propagandist"], people["capuy"]
    course = new_module(first, town["root"].id, "Bài một")
    key = "lesson:bai-mot"
    opened = drafts.get_file(course, key).revision  # both open revision N
    text_first = drafts.compose_lesson("Bài một", 10, [], "Bản của người thứ nhất.")
    text_second = drafts.compose_lesson("Bài một", 15, [], "Bản của người thứ hai.")

    drafts.save_file(course, key, text_first, author=first, base_revision=opened)
    db.session.commit()
    with pytest.raises(drafts.EditConflict) as conflict:
        drafts.save_file(course, key, text_second, author=second, base_revision=opened)
    db.session.commit()  # as the editor's view does: the refused text is kept

    db.session.expire_all()
    file = drafts.get_file(course, key)
    assert file.text == text_first and conflict.value.current.text == text_first
    kept = conflict.value.kept
    assert (kept.kind, kept.text, kept.author_id, kept.based_on) == (
        RevisionKind.conflict, text_second, second.id, opened)
    assert file.revision != kept.number  # kept aside, never current
    assert {text_first, text_second} <= set(revision_texts(course, key))  # nothing lost

    # the second author can make their text current from the history
    drafts.restore_revision(course, key, kept.number, author=second)
    assert drafts.get_file(course, key).text == text_second


def test_autosaves_coalesce_but_a_concurrent_editor_still_gets_a_conflict(people, town):
    author, other = people["propagandist"], people["capuy"]
    course = new_module(author, town["root"].id, "Bài một")
    key = "lesson:bai-mot"
    opened = drafts.get_file(course, key).revision
    count = len(drafts.revisions(course, key))

    for n in range(1, 4):
        edit(course, key, drafts.compose_lesson("Bài một", 10, [], f"Đang gõ {n}"), author, kind=RevisionKind.autosave)
    db.session.commit()
    history = drafts.revisions(course, key)
    assert len(history) == count + 1  # one revision for the whole typing
    assert history[0].kind == RevisionKind.autosave and "Đang gõ 3" in history[0].text
    assert history[0].based_on == opened

    with pytest.raises(drafts.EditConflict):  # opened before the autosaves
        drafts.save_file(course, key, drafts.compose_lesson("Bài một", 10, [], "Khác"), author=other,
                         base_revision=opened)
    db.session.commit()
    assert "Đang gõ 3" in drafts.get_file(course, key).text

    # an autosave after the window, or after an explicit save, starts a new revision
    history[0].created_at -= drafts.AUTOSAVE_WINDOW + dt.timedelta(seconds=1)
    edit(course, key, drafts.compose_lesson("Bài một", 10, [], "Sau giờ nghỉ"), author, kind=RevisionKind.autosave)
    edit(course, key, drafts.compose_lesson("Bài một", 10, [], "Lưu hẳn"), author)
    edit(course, key, drafts.compose_lesson("Bài một", 10, [], "Gõ tiếp"), author, kind=RevisionKind.autosave)
    kinds = [r.kind for r in drafts.revisions(course, key)][:4]
    assert kinds == [RevisionKind.autosave, RevisionKind.save, RevisionKind.autosave, RevisionKind.conflict]


def test_an_editor_who_opened_between_two_autosaves_gets_a_conflict(people, town):
    """A coalesced autosave takes a new number, so the base check still sees it (numbers are never reused)."""
    author, other = people["propagandist"], people["capuy"]
    course = new_module(author, town["root"].id, "Bài một")
    key = "lesson:bai-mot"
    edit(course, key, drafts.compose_lesson("Bài một", 10, [], "Gõ lần một"), author, kind=RevisionKind.autosave)
    db.session.commit()
    opened_by_other = drafts.get_file(course, key).revision  # sees "Gõ lần một"
    edit(course, key, drafts.compose_lesson("Bài một", 10, [], "Gõ lần hai"), author, kind=RevisionKind.autosave)
    db.session.commit()
    with pytest.raises(drafts.EditConflict):
        drafts.save_file(course, key, drafts.compose_lesson("Bài một", 10, [], "Của người khác"), author=other,
                         base_revision=opened_by_other)


def test_restoring_an_old_revision_adds_a_new_one_and_keeps_every_text(people, town):
    author = people["propagandist"]
    course = new_module(author, town["root"].id, "Bài một")
    key = "lesson:bai-mot"
    texts = [drafts.compose_lesson("Bài một", 10, [], f"Phiên bản {n}") for n in (1, 2, 3)]
    numbers = [edit(course, key, text, author).number for text in texts]
    db.session.commit()

    restored = drafts.restore_revision(course, key, numbers[0], author=author)
    db.session.commit()
    assert restored.number == numbers[-1] + 1
    assert (restored.kind, restored.restored_from, restored.author_id) == (RevisionKind.restore, numbers[0], author.id)
    assert drafts.get_file(course, key).text == texts[0]
    assert revision_texts(course, key)[:4] == [texts[0], texts[2], texts[1], texts[0]]
    with pytest.raises(LookupError):
        drafts.restore_revision(course, key, 999, author=author)


# --- Lessons ------------------------------------------------------------------------------------


def test_lessons_get_unique_slugs_from_vietnamese_titles_and_can_be_reordered(people, town):
    author = people["propagandist"]
    course = new_module(author, town["root"].id, "Bối cảnh ban hành Nghị quyết", "Đường lối đổi mới")
    again = drafts.add_lesson(course, "Bối cảnh ban hành Nghị quyết", author=author)
    quiz = drafts.add_lesson(course, "Quiz", author=author)
    db.session.commit()
    assert [f.key for f in drafts.lesson_files(course)] == [
        "lesson:boi-canh-ban-hanh-nghi-quyet", "lesson:duong-loi-doi-moi",
        "lesson:boi-canh-ban-hanh-nghi-quyet-2", "lesson:bai-quiz",
    ]
    assert again.revision == 1 and quiz.lesson_slug == "bai-quiz"  # "quiz" is reserved in a folder

    drafts.move_lesson(course, "lesson:duong-loi-doi-moi", -1)
    drafts.move_lesson(course, "lesson:bai-quiz", +1)  # already last: stays
    db.session.commit()
    assert [f.lesson_slug for f in drafts.lesson_files(course)] == [
        "duong-loi-doi-moi", "boi-canh-ban-hanh-nghi-quyet", "boi-canh-ban-hanh-nghi-quyet-2", "bai-quiz"]
    report, problems = publishing.check_draft(course)
    assert report.source is not None, problems
    assert [(x.position, x.slug) for x in report.source.lessons] == [
        (1, "duong-loi-doi-moi"), (2, "boi-canh-ban-hanh-nghi-quyet"),
        (3, "boi-canh-ban-hanh-nghi-quyet-2"), (4, "bai-quiz")]


def test_an_archived_lesson_leaves_after_publish_keeping_progress_and_can_come_back(people, town):
    author, member = people["propagandist"], people["member_a"]
    course = new_module(author, town["root"].id, "Bài một", "Bài hai")
    publishing.publish(course, publisher=author)
    db.session.commit()
    first = lesson(course, "bai-mot")
    mark_lesson_studied(member, first)
    db.session.commit()

    drafts.set_lesson_archived(course, "lesson:bai-mot", True)
    db.session.commit()
    assert [f.lesson_slug for f in drafts.lesson_files(course)] == ["bai-hai"]
    assert lesson(course, "bai-mot").archived_at is None  # members see it until the next publish

    publishing.publish(course, publisher=author)
    db.session.commit()
    db.session.expire_all()
    assert lesson(course, "bai-mot").archived_at is not None
    assert db.session.scalars(sa.select(LessonProgress)).one().lesson_id == first.id
    assert [(p.total, p.studied) for p in open_courses_for(member)] == [(1, 0)]

    drafts.set_lesson_archived(course, "lesson:bai-mot", False)
    assert [f.lesson_slug for f in drafts.lesson_files(course)] == ["bai-hai", "bai-mot"]
    publishing.publish(course, publisher=author)
    db.session.commit()
    db.session.expire_all()
    back = lesson(course, "bai-mot")
    # back with the next free number, after bai-hai (2): its old number may have gone to another lesson
    assert back.id == first.id and back.archived_at is None and back.position == 3
    assert [(p.total, p.studied) for p in open_courses_for(member)] == [(2, 1)]
    with pytest.raises(LookupError):
        drafts.set_lesson_archived(course, "course.md", True)


def test_a_lesson_archived_while_open_elsewhere_stays_archived(people, town):
    author, other = people["propagandist"], people["capuy"]
    course = new_module(author, town["root"].id, "Bài một", "Bài hai")
    opened = drafts.get_file(course, "lesson:bai-hai").revision  # the other author has it open
    drafts.set_lesson_archived(course, "lesson:bai-hai", True)
    db.session.commit()
    try:
        drafts.save_file(course, "lesson:bai-hai", drafts.compose_lesson("Bài hai", 10, [], "Gõ tiếp"),
                         author=other, base_revision=opened, kind=RevisionKind.autosave)
    except drafts.EditConflict:
        pass
    assert [f.lesson_slug for f in drafts.lesson_files(course)] == ["bai-mot"]


def test_moving_an_archived_lesson_is_refused_cleanly(people, town):
    author = people["propagandist"]
    course = new_module(author, town["root"].id, "Bài một", "Bài hai")
    drafts.set_lesson_archived(course, "lesson:bai-hai", True)
    try:
        drafts.move_lesson(course, "lesson:bai-hai", -1)
    except LookupError:
        pass
    assert [f.lesson_slug for f in drafts.lesson_files(course)] == ["bai-mot"]


# --- Publishing ---------------------------------------------------------------------------------


def test_publish_refuses_a_draft_with_errors_naming_file_and_line_and_changes_nothing_live(people, town):
    author = people["propagandist"]
    course = new_module(author, town["root"].id, "Bài một")
    drafts.save_file(course, "quiz.md", QUIZ_MD, author=author, base_revision=None)
    publishing.publish(course, publisher=author)
    db.session.commit()
    published_at = course.published_at
    quiz_version = db.session.scalars(sa.select(Quiz)).one().version

    edit(course, "lesson:bai-mot", drafts.compose_lesson("Bài một đã sửa", 0, [], "Mới."), author)
    edit(course, "quiz.md", QUIZ_MD.replace("- [x] Người đứng đầu", "- [ ] Người đứng đầu"), author)
    db.session.commit()
    with pytest.raises(publishing.DraftRefused) as refused:
        publishing.publish(course, publisher=author)
    db.session.commit()  # whatever publish did before refusing would be kept now

    found = {(p.path, p.line, p.message) for p in refused.value.problems}
    assert {
        ("01-bai-mot.md", 3, "'minutes' must be a whole number from 1 to 240"),
        ("quiz.md", 12, "a choice list needs at least one [x]"),  # the question's heading
    } <= found
    assert all(p.severity == "error" for p in refused.value.problems)
    db.session.expire_all()
    live = lesson(course, "bai-mot")
    assert (live.title, live.minutes) == ("Bài một", 10)
    assert course.published_at == published_at
    assert db.session.scalars(sa.select(Quiz)).one().version == quiz_version
    assert publishing.has_unpublished_changes(course)


def test_a_broken_only_lesson_is_reported_once(people, town):
    """A lesson file with an error still counts as a lesson: no extra "needs at least one lesson"."""
    author = people["propagandist"]
    course = new_module(author, town["root"].id, "Bài một")
    edit(course, "lesson:bai-mot", drafts.compose_lesson("Bài một", 0, [], "Mới."), author)
    with pytest.raises(publishing.DraftRefused) as refused:
        publishing.publish(course, publisher=author)
    assert [str(p) for p in refused.value.problems] == [
        "01-bai-mot.md:3: 'minutes' must be a whole number from 1 to 240"]


def test_with_review_another_author_publishes_what_the_requester_asked_for(people, town):
    author, reviewer = people["propagandist"], people["capuy"]
    course = new_module(author, town["root"].id, "Bài một")

    for who in (author, reviewer):  # nobody publishes without a request
        with pytest.raises(publishing.ReviewRequired):
            publishing.publish(course, publisher=who, review_required=True)

    publishing.request_review(course, author)
    db.session.commit()
    with pytest.raises(publishing.ReviewRequired):
        publishing.publish(course, publisher=author, review_required=True)

    edit(course, "lesson:bai-mot", drafts.compose_lesson("Bài một", 12, [], "Sửa sau khi xin duyệt."), author)
    with pytest.raises(publishing.ReviewRequired):  # a later save withdraws the request
        publishing.publish(course, publisher=reviewer, review_required=True)

    publishing.request_review(course, author)
    publishing.publish(course, publisher=reviewer, review_required=True)
    db.session.commit()
    assert course.published_at is not None and course.review_requested_by_id is None
    assert lesson(course, "bai-mot").minutes == 12


def test_members_in_the_middle_of_the_quiz_keep_their_paper_after_a_publish(people, town):
    author, member, latecomer = people["propagandist"], people["member_a"], people["member_b"]
    course = new_module(author, town["root"].id, "Bài một")
    drafts.save_file(course, "quiz.md", QUIZ_MD, author=author, base_revision=None)
    publishing.publish(course, publisher=author)
    db.session.commit()
    quiz = db.session.scalars(sa.select(Quiz)).one()
    attempt = attempts.start_attempt(member, quiz, rng=random.Random(1))
    db.session.commit()
    paper = attempt.paper
    assert {e["qid"] for e in paper} == {"nam", "neu-guong", "bo-di"}

    edit(course, "quiz.md", QUIZ_MD_V2, author)
    publishing.publish(course, publisher=author)
    db.session.commit()
    db.session.expire_all()
    assert {q.qid for q in quiz.active_questions} == {"nam", "neu-guong", "moi"}

    resumed = attempts.start_attempt(member, quiz, rng=random.Random(2))
    assert resumed.id == attempt.id and resumed.paper == paper and resumed.bank_version < quiz.version
    # right by the paper the member drew (2016), though the bank now says otherwise
    answers = {e["qid"]: attempts.to_tokens(e, next(c["id"] for c in e["question"]["choices"] if c["weight"] > 0))
               for e in resumed.paper}
    assert attempts.submit_attempt(resumed, answers)
    db.session.commit()
    assert resumed.percent == 100.0

    fresh = attempts.start_attempt(latecomer, quiz, rng=random.Random(3))
    assert {e["qid"] for e in fresh.paper} == {"nam", "neu-guong", "moi"}
    assert "sửa lại" in next(e for e in fresh.paper if e["qid"] == "nam")["question"]["stem"]


# --- The draft and the course folder --------------------------------------------------------------


def test_write_folder_of_an_imported_module_reproduces_the_folder_byte_for_byte(people, town, tmp_path):
    folder = write_course(
        tmp_path / "src", "vong-tron", lessons=3, **{
            "02-bai-2.md": "---\ntitle: \"Bài 2\"\nminutes: 5\n---\n![Sơ đồ](media/so-do.png)\n",
            "quiz.md": QUIZ_MD, "media__so-do.png": "x",
        })
    (folder / "media" / "so-do.png").write_bytes(PNG)
    result = publishing.import_folder(read_course(folder), owner_unit_id=town["root"].id)
    db.session.commit()

    written = drafts.write_folder(result.course, tmp_path / "out")
    assert written.name == "vong-tron"
    assert folder_bytes(written) == folder_bytes(folder)
    assert not publishing.is_diverged(result.course) and not publishing.has_unpublished_changes(result.course)


def test_a_browser_edit_diverges_from_the_folder_and_only_force_replaces_it(people, town, tmp_path):
    author = people["propagandist"]
    folder = write_course(tmp_path, "tu-thu-muc")
    result = publishing.import_folder(read_course(folder), owner_unit_id=town["root"].id)
    db.session.commit()
    course = result.course
    assert not publishing.is_diverged(course)

    browser_text = drafts.compose_lesson("Bài 1 sửa trên web", 10, [], "Viết trên trình duyệt.")
    edit(course, "lesson:bai-1", browser_text, author)
    db.session.commit()
    assert publishing.is_diverged(course)

    with pytest.raises(publishing.Diverged) as diverged:
        publishing.import_folder(read_course(folder), owner_unit_id=None)
    assert diverged.value.slug == "tu-thu-muc" and "--force" in str(diverged.value)
    db.session.rollback()
    assert drafts.get_file(course, "lesson:bai-1").text == browser_text

    publishing.import_folder(read_course(folder), owner_unit_id=None, force=True)
    db.session.commit()
    assert drafts.get_file(course, "lesson:bai-1").text == (folder / "01-bai-1.md").read_text(encoding="utf-8")
    assert browser_text in revision_texts(course, "lesson:bai-1")  # the browser's words stay in history
    assert lesson(course, "bai-1").title == "Bài 1"
    assert not publishing.is_diverged(course)


def test_switching_the_quiz_file_archives_the_other_one(people, town, tmp_path):
    author = people["propagandist"]
    course = new_module(author, town["root"].id, "Bài một")
    drafts.save_file(course, "quiz.md", QUIZ_MD, author=author, base_revision=None)
    drafts.switch_quiz_file(course, "quiz.gift", GIFT, author=author)
    db.session.commit()

    assert drafts.quiz_file(course).key == "quiz.gift"
    assert drafts.get_file(course, "quiz.md").archived_at is not None
    assert "quiz.md" not in folder_bytes(drafts.write_folder(course, tmp_path / "gift"))
    publishing.publish(course, publisher=author)  # not refused for holding both files
    db.session.commit()
    assert course.quiz_format == "gift"
    assert [q.qid for q in db.session.scalars(sa.select(Quiz)).one().active_questions] == ["thu-do"]

    drafts.switch_quiz_file(course, "quiz.md", QUIZ_MD, author=author)  # back, with its old text
    db.session.commit()
    assert drafts.quiz_file(course).key == "quiz.md"
    assert drafts.get_file(course, "quiz.gift").archived_at is not None
    assert revision_texts(course, "quiz.md").count(QUIZ_MD) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DraftFile).where(
        DraftFile.course_id == course.id, DraftFile.archived_at.is_(None))) == 3  # course.md, lesson, quiz.md


def test_two_saves_from_the_same_revision_at_the_same_moment_make_one_conflict_never_a_500(app, module) -> None:
    """Two authors press save on the same quiz.md revision at once: the second waits for the first
    and is told of the conflict (its text kept), instead of failing on the revision number."""
    import threading
    import time

    draft_service = drafts
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite runs one writer at a time")
        course_id = db.session.scalars(sa.select(Course.id)).first()
        base = draft_service.get_file(db.session.get(Course, course_id), "course.md").revision
    first_flushed, outcome = threading.Event(), {}

    def save(name: str, text: str, hold: float) -> None:
        with app.app_context():
            try:
                draft_service.save_file(db.session.get(Course, course_id), "course.md", text, author=None,
                                        base_revision=base)
                if hold:
                    first_flushed.set()
                    time.sleep(hold)
                db.session.commit()
                outcome[name] = "saved"
            except draft_service.EditConflict:
                db.session.commit()
                outcome[name] = "conflict"
            except Exception as error:  # noqa: BLE001 -- what the page would turn into a 500
                db.session.rollback()
                outcome[name] = type(error).__name__
            finally:
                db.session.remove()

    one = threading.Thread(target=save, args=("one", "---\ntitle: Một\n---\n", 1.0))
    one.start()
    assert first_flushed.wait(10)
    two = threading.Thread(target=save, args=("two", "---\ntitle: Hai\n---\n", 0))
    two.start()
    one.join(20)
    two.join(20)
    assert outcome == {"one": "saved", "two": "conflict"}
