"""Plans a committee can write: several modules, drafts edited and deleted, modules not yet published,
numbers unique per unit and year, the seed's parts as fields, and a copy for next year."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask

from learnhub.audit import AuditEntry
from learnhub.auth.models import Category, Role
from learnhub.courses.models import Course, Lesson, LessonProgress
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.plans.completion import completion_report
from learnhub.plans.missing import missing_members
from learnhub.plans.models import PlanCourse, PlanStatus, PlanTask, StudyPlan
from learnhub.plans.modules import plan_course_ids
from learnhub.plans.services import NumberTaken, create_plan, next_year
from learnhub.plans.steps import StepKind
from tests.conftest import post
from tests.plans.test_completion import BEFORE_DUE, pass_quiz, study_all
from tests.plans.test_reflections import signed_in

SECOND = "hoc-phan-hai"


@pytest.fixture
def modules(app: Flask, make_quiz, make_course) -> dict[str, int]:
    """The test module with its quiz, and a second module of two lessons without one."""
    make_quiz(count=6)
    make_course(slug=SECOND, lessons=2, title="Học phần thứ hai")
    with app.app_context():
        ids = dict(db.session.execute(sa.select(Course.slug, Course.id)).tuples().all())
    return {"first": ids["nghi-quyet-thu"], "second": ids[SECOND]}


def form(town: dict, modules: dict, **changes) -> dict:
    """The plan form as a committee member fills it in, every part of the seed's plan given."""
    return {
        "title": "Học tập Chỉ thị 05 năm 2026", "number": "15-KH/ĐU", "issued_on": "2026-05-20",
        "unit": town["root"].id, "courses": [modules["first"], modules["second"]],
        "target_units": [town["root"].id], "categories": ["party_member", "civil_servant"],
        "audiences": ["propagandists", "presenters"],
        "purpose": "Nắm vững nội dung Chỉ thị.", "requirements": "Học nghiêm túc, không hình thức.",
        "content": "Những điểm mới của Chỉ thị 05.", "form": "in_person",
        "presenters": "Đồng chí Bí thư Đảng ủy", "time_of_day": "7 giờ 30", "place": "Hội trường Ủy ban",
        "decoration": "Treo cờ Đảng, cờ Tổ quốc, băng rôn.",
        "tasks-0-unit": town["a"].id, "tasks-0-task": "Chi bộ Khu phố 1 báo cáo kết quả trước ngày 30/6.",
        "tasks-1-unit": town["root"].id, "tasks-1-task": "Văn phòng chuẩn bị hội trường.",
        "opens_on": "2026-06-01", "due_on": "2026-06-30", "criteria": ["lessons", "quiz"], "rule": "all",
        "target_percent": "98", "responsible": town["capuy"].id, **changes,
    }


def new_plan(client, town: dict, modules: dict, **changes) -> int:
    response = post(client, "/plans/new", form(town, modules, **changes))
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_every_part_of_the_plan_is_saved_shown_and_printed(app: Flask, town, modules) -> None:
    client = signed_in(app, "capuy")
    plan_id = new_plan(client, town, modules)
    with app.app_context():
        plan = db.session.get(StudyPlan, plan_id)
        assert plan_course_ids(plan) == [modules["first"], modules["second"]]
        assert (plan.issued_on, plan.issued_year, plan.time_of_day) == (dt.date(2026, 5, 20), 2026, "7 giờ 30")
        assert plan.audiences == ["propagandists", "presenters"]
        assert [(t.unit_id, t.task) for t in plan.tasks] == [
            (town["a"].id, "Chi bộ Khu phố 1 báo cáo kết quả trước ngày 30/6."),
            (town["root"].id, "Văn phòng chuẩn bị hội trường.")]
    printed = client.get(f"/plans/{plan_id}/print").get_data(as_text=True)
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    for text in ("Học tập Nghị quyết thử nghiệm", "Học phần thứ hai", "Học nghiêm túc, không hình thức.",
                 "Những điểm mới của Chỉ thị 05.", "Đồng chí Bí thư Đảng ủy", "7 giờ 30", "Hội trường Ủy ban",
                 "Treo cờ Đảng, cờ Tổ quốc, băng rôn.", "Chi bộ Khu phố 1 báo cáo kết quả trước ngày 30/6.",
                 "Propagandists", "Report speakers"):
        assert text in printed, text
        assert text in page, text


def test_a_draft_s_modules_and_tasks_can_be_changed(app: Flask, town, modules) -> None:
    client = signed_in(app, "capuy")
    plan_id = new_plan(client, town, modules)
    assert "Học phần thứ hai" in client.get(f"/plans/{plan_id}/edit").get_data(as_text=True)
    changed = form(town, modules, courses=[modules["second"]], title="Chỉ học phần hai",
                   **{"tasks-0-remove": "y", "tasks-2-unit": town["b"].id, "tasks-2-task": "Chi bộ 2 học bù."})
    assert post(client, f"/plans/{plan_id}/edit", changed).status_code == 302
    with app.app_context():
        plan = db.session.get(StudyPlan, plan_id)
        assert (plan.title, plan_course_ids(plan)) == ("Chỉ học phần hai", [modules["second"]])
        assert [t.task for t in plan.tasks] == ["Văn phòng chuẩn bị hội trường.", "Chi bộ 2 học bù."]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanCourse)) == 1


def test_the_add_row_button_shows_one_more_task_row_and_saves_nothing(app: Flask, town, modules) -> None:
    client = signed_in(app, "capuy")
    response = post(client, "/plans/new", form(town, modules, add_task="1"))
    assert response.status_code == 200
    assert 'name="tasks-2-task"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StudyPlan)) == 0


def test_an_open_plan_keeps_its_modules(app: Flask, town, modules) -> None:
    client = signed_in(app, "capuy")
    plan_id = new_plan(client, town, modules)
    post(client, f"/plans/{plan_id}/status", {"status": "open"})
    response = post(client, f"/plans/{plan_id}/edit", form(town, modules, courses=[modules["first"]]))
    assert "Only a draft plan&#39;s modules can be changed." in response.get_data(as_text=True)
    with app.app_context():
        assert plan_course_ids(db.session.get(StudyPlan, plan_id)) == [modules["first"], modules["second"]]


def test_a_draft_is_deleted_after_confirmation_and_an_open_plan_never(app: Flask, town, modules) -> None:
    client = signed_in(app, "capuy")
    draft = new_plan(client, town, modules)
    opened = new_plan(client, town, modules, number="16-KH/ĐU")
    post(client, f"/plans/{opened}/status", {"status": "open"})
    page = client.get(f"/plans/{draft}/delete").get_data(as_text=True)
    assert "Delete the draft plan?" in page and "Học phần thứ hai" in page
    assert client.post(f"/plans/{draft}/delete").status_code == 400  # no CSRF token
    response = post(client, f"/plans/{draft}/delete", follow_redirects=True)
    assert "was deleted" in response.get_data(as_text=True)
    refused = post(client, f"/plans/{opened}/delete", follow_redirects=True).get_data(as_text=True)
    assert "Only a draft plan can be deleted; this one has been opened." in refused
    with app.app_context():
        assert db.session.get(StudyPlan, draft) is None and db.session.get(StudyPlan, opened) is not None
        assert db.session.scalars(sa.select(PlanTask.plan_id)).all() == [opened, opened]
        assert db.session.scalar(sa.select(AuditEntry.object_id).where(AuditEntry.action == "plan.delete")) == draft


def test_an_unpublished_module_may_be_planned_but_the_plan_opens_only_once_it_is_published(
        app: Flask, town, modules) -> None:
    with app.app_context():
        db.session.get(Course, modules["second"]).published_at = None
        db.session.commit()
    client = signed_in(app, "capuy")
    assert "Học phần thứ hai (not published yet)" in client.get("/plans/new").get_data(as_text=True)
    plan_id = new_plan(client, town, modules)
    refused = post(client, f"/plans/{plan_id}/status", {"status": "open"}, follow_redirects=True)
    assert "the module “Học phần thứ hai” is not published yet" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(StudyPlan, plan_id).status == PlanStatus.draft
        db.session.get(Course, modules["second"]).published_at = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
        db.session.commit()
    post(client, f"/plans/{plan_id}/status", {"status": "open"})
    with app.app_context():
        assert db.session.get(StudyPlan, plan_id).status == PlanStatus.open


def test_a_plan_of_two_modules_is_completed_only_with_both(app: Flask, town, modules) -> None:
    with app.app_context():
        root = db.session.get(Unit, town["root"].id)
        plan = create_plan(unit=root, courses=[db.session.get(Course, modules["first"]),
                                               db.session.get(Course, modules["second"])],
                           title="Hai học phần", opens_on=dt.date(2026, 6, 1), due_on=dt.date(2026, 6, 30),
                           target_units=[root])
        first_lessons = sa.select(Lesson.id).where(Lesson.course_id == modules["first"])
        study_all(town["member_a"].id, BEFORE_DUE)  # every lesson of both modules
        pass_quiz(town["member_a"].id, BEFORE_DUE)  # the only quiz: the first module's
        study_all(town["member_b"].id, BEFORE_DUE)
        db.session.flush()
        db.session.execute(sa.delete(LessonProgress).where(  # Bình has not studied the second module
            LessonProgress.user_id == town["member_b"].id, LessonProgress.lesson_id.not_in(first_lessons)))
        pass_quiz(town["member_b"].id, BEFORE_DUE)
        db.session.commit()
        report = completion_report(plan, root)
        assert (report.total.required, report.total.completed) == (7, 1)  # An only: Bình lacks the second module
        missing = {m.full_name: m.steps for m in missing_members(plan, root)}
        assert [(s.kind, s.count, s.module) for s in missing["Hoàng Thị Bình"]] == [
            (StepKind.lessons, 2, "Học phần thứ hai")]
        # the propagandist has done nothing: both modules' lessons, then the first module's quiz
        assert [(s.kind, s.count, s.module) for s in missing["Vũ Minh Tâm"]] == [
            (StepKind.lessons, 3, "Học tập Nghị quyết thử nghiệm"), (StepKind.lessons, 2, "Học phần thứ hai"),
            (StepKind.quiz, 0, "Học tập Nghị quyết thử nghiệm")]


def test_plan_numbers_are_unique_per_issuing_unit_and_year(app: Flask, town, modules) -> None:
    client = signed_in(app, "capuy")
    new_plan(client, town, modules)
    again = post(client, "/plans/new", form(town, modules))
    assert again.status_code == 200
    assert "The unit already issued a plan numbered 15-KH/ĐU in 2026." in again.get_data(as_text=True)
    new_plan(client, town, modules, issued_on="2027-01-05")  # another year: fine
    new_plan(client, town, modules, number="")  # no number yet: never clashes
    new_plan(client, town, modules, number="")
    secretary = signed_in(app, "bithu1")  # another unit may use the same number
    new_plan(secretary, town, modules, unit=town["a"].id, target_units=[town["a"].id],
             **{"tasks-0-unit": town["a"].id, "tasks-1-unit": town["a"].id, "responsible": "0"})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StudyPlan)) == 5
        root = db.session.get(Unit, town["root"].id)
        with pytest.raises(NumberTaken):
            create_plan(unit=root, course=db.session.get(Course, modules["first"]), title="x", number="15-KH/ĐU",
                        issued_on=dt.date(2026, 12, 31), opens_on=dt.date(2026, 6, 1),
                        due_on=dt.date(2026, 6, 30), target_units=[root])


def test_the_database_refuses_a_second_number_in_the_unit_s_year(app: Flask, town, modules) -> None:
    with app.app_context():
        root = db.session.get(Unit, town["root"].id)
        course = db.session.get(Course, modules["first"])
        create_plan(unit=root, course=course, title="x", number="7-KH", issued_on=dt.date(2026, 1, 2),
                    opens_on=dt.date(2026, 6, 1), due_on=dt.date(2026, 6, 30), target_units=[root])
        twin = create_plan(unit=root, course=course, title="y", number="8-KH", issued_on=dt.date(2026, 3, 2),
                           opens_on=dt.date(2026, 6, 1), due_on=dt.date(2026, 6, 30), target_units=[root])
        twin.number = "7-KH"  # past the service's check
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_a_plan_is_copied_for_next_year_as_a_draft(app: Flask, town, modules) -> None:
    client = signed_in(app, "capuy")
    plan_id = new_plan(client, town, modules, issued_on="2024-02-29", opens_on="2024-02-29", due_on="2024-12-31")
    post(client, f"/plans/{plan_id}/status", {"status": "open"})
    response = post(client, f"/plans/{plan_id}/copy")
    assert response.status_code == 302 and response.headers["Location"].endswith("/edit")
    copy_id = int(response.headers["Location"].split("/")[-2])
    assert "Học phần thứ hai" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        plan, copy = db.session.get(StudyPlan, plan_id), db.session.get(StudyPlan, copy_id)
        assert (copy.status, copy.number, copy.unit_id) == (PlanStatus.draft, None, plan.unit_id)
        assert (copy.issued_on, copy.opens_on, copy.due_on) == (
            dt.date(2025, 2, 28), dt.date(2025, 2, 28), dt.date(2025, 12, 31))
        assert plan_course_ids(copy) == plan_course_ids(plan)
        assert [t.unit_id for t in copy.target_units] == [t.unit_id for t in plan.target_units]
        assert [(t.unit_id, t.task) for t in copy.tasks] == [(t.unit_id, t.task) for t in plan.tasks]
        for name in ("title", "purpose", "requirements", "content", "presenters", "time_of_day", "place",
                     "decoration", "categories", "audiences", "criteria", "target_rate", "form"):
            assert getattr(copy, name) == getattr(plan, name), name
        assert db.session.scalar(sa.select(AuditEntry.object_id).where(AuditEntry.action == "plan.copy")) == copy_id
    assert next_year(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_another_unit_s_committee_can_neither_copy_nor_delete_nor_edit(app: Flask, town, modules) -> None:
    plan_id = new_plan(signed_in(app, "capuy"), town, modules)
    secretary = signed_in(app, "bithu1")  # sees the town's plan, but did not issue it
    assert secretary.get(f"/plans/{plan_id}/delete").status_code == 404
    assert post(secretary, f"/plans/{plan_id}/delete").status_code == 404
    assert post(secretary, f"/plans/{plan_id}/copy").status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StudyPlan)) == 1


def test_propagandists_chosen_as_the_audience_join_the_roster(app: Flask, town, modules, make_user) -> None:
    make_user(Role.propagandist, unit=town["b"], username="tt2", category=Category.citizen)
    client = signed_in(app, "capuy")
    with_them = new_plan(client, town, modules, categories=[], audiences=["propagandists"])
    without = post(client, "/plans/new", form(town, modules, number="2", categories=[], audiences=["presenters"]))
    assert "at least one category, or propagandists" in without.get_data(as_text=True)
    with app.app_context():
        plan = db.session.get(StudyPlan, with_them)
        assert completion_report(plan, db.session.get(Unit, town["root"].id)).total.required == 2


@pytest.mark.parametrize("field", ["issued_on", "opens_on", "due_on"])
def test_a_date_in_year_9999_or_year_1_is_refused_beside_its_field(app: Flask, town, modules, field) -> None:
    """A year no report, time zone or next year's copy can hold: refused, nothing saved."""
    client = signed_in(app, "capuy")
    for year in ("9999", "0001"):
        day = f"{year}-12-31"
        changes = {field: day} | ({"due_on": day} if field == "opens_on" and year == "9999" else {})
        response = post(client, "/plans/new", form(town, modules, **changes))
        assert response.status_code == 200
        assert "between 1945 and 2100" in response.get_data(as_text=True) or "1945" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StudyPlan)) == 0


def test_a_stored_plan_at_the_end_of_time_is_copied_without_a_crash(app: Flask, town, modules) -> None:
    client = signed_in(app, "capuy")
    plan_id = new_plan(client, town, modules)
    with app.app_context():
        db.session.get(StudyPlan, plan_id).due_on = dt.date(9999, 12, 31)  # stored before the bound
        db.session.commit()
    response = post(client, f"/plans/{plan_id}/copy", follow_redirects=True)
    assert response.status_code == 200  # the copy's form, where the date is refused until mended
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StudyPlan)) == 2


def test_the_add_row_button_at_the_most_rows_says_so_rather_than_crash(app: Flask, town, modules) -> None:
    client = signed_in(app, "capuy")
    rows = {f"tasks-{i}-{part}": value for i in range(100)
            for part, value in (("unit", str(town["a"].id)), ("task", f"Nhiệm vụ {i}"))}
    response = post(client, "/plans/new", form(town, modules, add_task="1", **rows))
    assert response.status_code == 200
    assert "Nhiệm vụ 99" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StudyPlan)) == 0
    many = {f"tasks-{i}-{part}": value for i in range(150)
            for part, value in (("unit", str(town["a"].id)), ("task", f"Nhiệm vụ {i}"))}
    assert post(client, "/plans/new", form(town, modules, **many)).status_code in (200, 302)


def test_a_module_whose_quiz_was_removed_asks_none_and_its_old_passes_count_for_nothing(app: Flask, town, modules) -> None:
    """The author removed the second module's quiz (its questions are archived, its row and attempts
    kept): completion, the remaining steps and the member's page agree that the module asks no quiz,
    and a pass of the removed quiz does not stand in for the first module's."""
    from learnhub.plans.member_plans import plans_for_member
    from learnhub.quizzes.models import Quiz, QuizQuestion

    with app.app_context():
        root = db.session.get(Unit, town["root"].id)
        removed = Quiz(course_id=modules["second"], version=1, format="md", settings={})
        db.session.add(removed)
        db.session.flush()
        db.session.add(QuizQuestion(quiz_id=removed.id, qid="q1", position=1, kind="single", points=1, data={},
                                    archived_at=BEFORE_DUE))  # what sync_quiz leaves when quiz.md goes
        plan = create_plan(unit=root, courses=[db.session.get(Course, modules["first"]),
                                               db.session.get(Course, modules["second"])],
                           title="Hai học phần", opens_on=dt.date(2026, 6, 1), due_on=dt.date(2026, 6, 30),
                           target_units=[root])
        plan.status = PlanStatus.open
        study_all(town["member_a"].id, BEFORE_DUE)
        pass_quiz_of(db.session.scalars(sa.select(Quiz).where(Quiz.course_id == modules["first"])).one().id,
                     town["member_a"].id)
        study_all(town["member_b"].id, BEFORE_DUE)
        pass_quiz_of(removed.id, town["member_b"].id)  # passed the removed quiz before it went
        db.session.commit()
        report = completion_report(plan, root)
        assert report.total.completed == 1  # An only
        missing = {m.full_name: m.steps for m in missing_members(plan, root)}
        assert [(s.kind, s.module) for s in missing["Hoàng Thị Bình"]] == [
            (StepKind.quiz, "Học tập Nghị quyết thử nghiệm")]
        an = db.session.get(type(town["member_a"]), town["member_a"].id)
        [mine] = [p for p in plans_for_member(an, dt.date(2026, 6, 10)) if p.plan.id == plan.id]
        assert mine.completed and mine.steps == ()


def pass_quiz_of(quiz_id: int, user_id: int) -> None:
    from learnhub.quizzes.models import AttemptStatus, QuizAttempt

    number = db.session.scalar(sa.select(sa.func.count()).where(QuizAttempt.user_id == user_id)) + 1
    db.session.add(QuizAttempt(quiz_id=quiz_id, user_id=user_id, number=number, bank_version=1,
                               status=AttemptStatus.submitted, started_at=BEFORE_DUE, submitted_at=BEFORE_DUE,
                               paper=[], pass_score=80, review="always", score=1, max_score=1, percent=100.0,
                               passed=True))


def test_an_opened_plan_never_goes_back_to_draft_to_be_changed_or_deleted(app: Flask, town, modules) -> None:
    """The page offers only "open" and "close"; a hand-made request for "draft" is refused, so an opened
    plan's modules stay and it is never deleted."""
    client = signed_in(app, "capuy")
    plan_id = new_plan(client, town, modules)
    post(client, f"/plans/{plan_id}/status", {"status": "open"})
    for after in ("open", "closed"):
        if after == "closed":
            post(client, f"/plans/{plan_id}/status", {"status": "closed"})
        response = post(client, f"/plans/{plan_id}/status", {"status": "draft"}, follow_redirects=True)
        assert response.status_code == 200
        with app.app_context():
            assert db.session.get(StudyPlan, plan_id).status == PlanStatus(after)
        post(client, f"/plans/{plan_id}/delete")
        with app.app_context():
            assert db.session.get(StudyPlan, plan_id) is not None


def test_a_number_taken_by_another_save_a_moment_ago_is_said_beside_the_field_not_a_500(
        app: Flask, town, modules, monkeypatch) -> None:
    """Two committee members save plans with the same number at once: both pass the check, the
    database refuses the second, and its author reads why."""
    client = signed_in(app, "capuy")
    first = new_plan(client, town, modules, number="07-KH/ĐU")
    monkeypatch.setattr("learnhub.plans.services._check_number", lambda *args, **kwargs: None)  # the race
    response = post(client, "/plans/new", form(town, modules, number="07-KH/ĐU", title="Kế hoạch thứ hai"))
    assert response.status_code == 200
    assert "07-KH/ĐU" in response.get_data(as_text=True) and "2026" in response.get_data(as_text=True)
    second = new_plan(client, town, modules, number="08-KH/ĐU", title="Kế hoạch thứ ba")
    edit = post(client, f"/plans/{second}/edit", form(town, modules, number="07-KH/ĐU", title="Kế hoạch thứ ba"))
    assert edit.status_code == 200
    with app.app_context():
        assert db.session.scalars(sa.select(StudyPlan.number).order_by(StudyPlan.id)).all() == ["07-KH/ĐU", "08-KH/ĐU"]
        assert first


def test_a_plan_asking_for_a_quiz_none_of_its_modules_has_does_not_open(app: Flask, town, modules) -> None:
    """Nobody could ever complete it (every figure would stay at 0%): opening says why."""
    client = signed_in(app, "capuy")
    plan_id = new_plan(client, town, modules, courses=[modules["second"]], number="")  # no quiz, "lessons and quiz"
    refused = post(client, f"/plans/{plan_id}/status", {"status": "open"}, follow_redirects=True)
    assert "none of its modules has one" in refused.get_data(as_text=True) or "không học phần nào" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(StudyPlan, plan_id).status == PlanStatus.draft
    post(client, f"/plans/{plan_id}/edit", form(town, modules, courses=[modules["second"]], number="", rule="any"))
    post(client, f"/plans/{plan_id}/status", {"status": "open"})
    with app.app_context():
        assert db.session.get(StudyPlan, plan_id).status == PlanStatus.open  # "any of": the lessons complete it
