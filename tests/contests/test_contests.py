"""Contests: the ranking order, one entry per phone, entries that never reveal answers, the time
limit and the round's close judged by the server, certificates and their verification page."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa

from learnhub.contests import certificates, results, services
from learnhub.contests.models import Certificate, ContestEntry, EntrantKind
from learnhub.db import utcnow
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.phones import mobile_or_none
from learnhub.quizzes.models import Quiz
from tests.conftest import csrf_token, login, without_tokens
from tests.contests.conftest import get_contest

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


def _entry(round_id: int, n: int, *, score: float, prediction: int | None, seconds: int, at: int,
           all_correct: bool = False) -> ContestEntry:
    return ContestEntry(round_id=round_id, token=f"t{n}", kind=EntrantKind.citizen, name=f"Người Dự Thi {n}",
                        phone=f"+8491000000{n}", paper=[], started_at=T0, deadline=T0 + dt.timedelta(hours=1),
                        submitted_at=T0 + dt.timedelta(seconds=at), score=score, max_score=4.0,
                        all_correct=all_correct, prediction=prediction, seconds=seconds)


def test_ranking_breaks_ties_by_prediction_then_time_then_submission(app, contest) -> None:
    with app.app_context():
        made = get_contest(contest)
        first = made.rounds[0]
        # Three entries answered all right: the actual number is 3.
        db.session.add_all([
            _entry(first.id, 1, score=4, prediction=10, seconds=50, at=100, all_correct=True),  # distance 7
            _entry(first.id, 2, score=4, prediction=3, seconds=90, at=200, all_correct=True),  # exact, slower
            _entry(first.id, 3, score=4, prediction=3, seconds=60, at=300, all_correct=True),  # exact, faster
            _entry(first.id, 4, score=3, prediction=3, seconds=10, at=50),  # lower score first of all
            _entry(first.id, 5, score=3, prediction=4, seconds=10, at=40),  # distance 1
            _entry(first.id, 6, score=3, prediction=4, seconds=10, at=30),  # same, earlier submission
            _entry(first.id, 7, score=3, prediction=None, seconds=1, at=1),  # no prediction: last of its score
        ])
        db.session.commit()
        lines = results.ranking(made, first)
        assert [line.name[-1] for line in lines] == ["3", "2", "1", "4", "6", "5", "7"]
        assert [line.rank for line in lines] == [1, 2, 3, 4, 5, 6, 7]
        assert [line.prize for line in lines[:4]] == ["Giải Nhất", "Giải Nhì", "Giải Ba", None]
        assert lines[0].distance == 0 and lines[2].distance == 7


def test_one_entry_per_phone_per_round_unless_the_rules_allow_more(app, contest) -> None:
    with app.app_context():
        made = get_contest(contest)
        phone = mobile_or_none("0912 345 678")
        assert phone == "+84912345678" == mobile_or_none("+84 912.345.678")
        services.start_entry(made, name="Lê Văn Tám", phone=phone, birth_year=1990, organisation="Trường THCS")
        with pytest.raises(services.EntryRefused) as refused:
            services.start_entry(made, name="Lê Văn Tám", phone=mobile_or_none("84912345678"))
        assert refused.value.reason == "used"
        made.entries_per_person = 2
        second = services.start_entry(made, name="Lê Văn Tám", phone=phone)
        assert second.entry_no == 2
        with pytest.raises(services.EntryRefused):
            services.start_entry(made, name="Lê Văn Tám", phone=phone)


def test_a_second_concurrent_entry_cannot_take_the_same_number(app, contest) -> None:
    """The unique (round, phone, entry number) refuses a twin written by a concurrent request."""
    with app.app_context():
        made = get_contest(contest)
        entry = services.start_entry(made, name="Lê Văn Tám", phone="+84912345678")
        db.session.commit()
        twin = ContestEntry(round_id=entry.round_id, token="twin", entry_no=1, kind=EntrantKind.citizen, name="x",
                            phone="+84912345678", paper=[], deadline=entry.deadline, max_score=1)
        db.session.add(twin)
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


def _public_entry(client, contest_id: int, phone: str = "0987 654 321", **extra):
    page = client.get(f"/contest/{contest_id}/enter").get_data(as_text=True)
    stamp = re.search(r'name="stamp"[^>]*value="([^"]+)"', page) or re.search(r'value="([^"]+)"[^>]*name="stamp"', page)
    assert stamp
    data = {"csrf_token": csrf_token(client, f"/contest/{contest_id}/enter"), "name": "Trần Thị Mai",
            "birth_year": "1988", "phone": phone, "unit": "0", "organisation": "Hội Phụ nữ", "consent": "y",
            "stamp": stamp.group(1), "website": "", **extra}
    return client.post(f"/contest/{contest_id}/enter", data=data)


@pytest.fixture
def no_fill_wait(monkeypatch):
    monkeypatch.setattr("learnhub.contests.forms.MIN_FILL_SECONDS", 0)


def test_a_public_entry_never_reveals_answers(app, contest, no_fill_wait) -> None:
    client = app.test_client()
    response = _public_entry(client, contest)
    assert response.status_code == 302
    page = client.get(response.location)
    html = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    with app.app_context():
        entry = db.session.scalars(sa.select(ContestEntry)).one()
        assert entry.phone == "+84987654321" and entry.consented_at is not None
        qids = [item["qid"] for item in entry.paper]
    assert len(qids) == 4
    for qid in qids:
        assert f'name="q-{qid}"' in html or f'name="q-{qid}-' in html
    # No explanation, no right answer of a typed question, no choice id as a value: only tokens.
    assert "Giải thích" not in html and "lãnh đạo" not in html and 'value="a"' not in html
    assert "+84987654321" not in html and "987" not in without_tokens(html)
    token = response.location.rsplit("/", 1)[1]
    done = client.post(f"/contest/entries/{token}", data={"csrf_token": csrf_token(client, f"/contest/{contest}"),
                                                           "prediction": "12"}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "Giải thích" not in text and "lãnh đạo" not in text
    with app.app_context():
        entry = db.session.scalars(sa.select(ContestEntry)).one()
        assert entry.submitted_at is not None and entry.prediction == 12 and entry.score == 0


def test_the_honeypot_and_a_form_sent_at_once_are_refused(app, contest) -> None:
    client = app.test_client()
    assert _public_entry(client, contest).status_code == 302  # too fast: MIN_FILL_SECONDS
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ContestEntry.id))) == 0


def test_the_honeypot_refuses(app, contest, no_fill_wait) -> None:
    client = app.test_client()
    _public_entry(client, contest, website="http://spam")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ContestEntry.id))) == 0


def test_consent_is_required(app, contest, no_fill_wait) -> None:
    client = app.test_client()
    response = _public_entry(client, contest, consent="")
    assert response.status_code == 400
    assert "13/2023" in response.get_data(as_text=True)


def test_answers_of_another_paper_are_refused(app, contest, no_fill_wait) -> None:
    client = app.test_client()
    token = _public_entry(client, contest).location.rsplit("/", 1)[1]
    with app.app_context():
        entry = db.session.scalars(sa.select(ContestEntry)).one()
        on_paper = {item["qid"] for item in entry.paper}
        from learnhub.quizzes.models import QuizQuestion
        other = next(q for q in db.session.scalars(sa.select(QuizQuestion.qid)) if q not in on_paper)
    response = client.post(f"/contest/entries/{token}", data={
        "csrf_token": csrf_token(client, f"/contest/{contest}"), f"q-{other}": "c0"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(sa.select(ContestEntry)).one().submitted_at is None


def test_the_time_limit_and_the_close_are_the_servers(app, contest) -> None:
    with app.app_context():
        made = get_contest(contest)
        now = utcnow()
        entry = services.start_entry(made, name="Lê Văn Tám", phone="+84912345678", now=now)
        right = {item["qid"]: _right_tokens(item) for item in entry.paper}
        assert services.submit_entry(entry, right, 5, now=now + dt.timedelta(minutes=11))
        assert entry.late and entry.score == 0 and entry.seconds == 600  # counted up to the deadline only
        made.rounds[1].closes_at = now - dt.timedelta(seconds=1)
        with pytest.raises(services.EntryRefused) as refused:
            services.start_entry(made, name="Lê Văn Tám", phone="+84912345679", now=now)
        assert refused.value.reason == "closed"


def _right_tokens(item: dict):
    """The page's tokens of the right answer (for single/truefalse questions; others left blank)."""
    kind = item["question"]["kind"]
    if kind in ("single", "truefalse"):
        return next(token for token, cid in item["choices"].items() if cid == "a")
    return None


def test_a_right_paper_in_time_is_all_correct(app, contest) -> None:
    with app.app_context():
        made = get_contest(contest)
        made.questions_per_entry = 12
        now = utcnow()
        entry = services.start_entry(made, name="Lê Văn Tám", phone="+84912345678", now=now)
        from tests.quiz_factory import RIGHT
        answers = {}
        for item in entry.paper:
            kind = item["question"]["kind"]
            if kind in ("single", "truefalse"):
                answers[item["qid"]] = _right_tokens(item)
            elif kind == "multiple":
                answers[item["qid"]] = [t for t, cid in item["choices"].items() if cid in ("a", "b")]
            elif kind == "matching":
                back = {v: k for k, v in item["rights"].items()}
                answers[item["qid"]] = {str(i): back[str(i)] for i in range(3)}
            else:
                answers[item["qid"]] = RIGHT[kind]
        assert services.submit_entry(entry, answers, 1, now=now + dt.timedelta(seconds=95))
        assert entry.all_correct and entry.seconds == 95 and not entry.late
        assert not services.submit_entry(entry, answers, 1, now=now + dt.timedelta(seconds=99))  # graded once


def test_a_member_enters_once_and_resumes(app, contest) -> None:
    client = app.test_client()
    login(client, "an")
    token = csrf_token(client, f"/contest/{contest}")
    first = client.post(f"/contest/{contest}/enter", data={"csrf_token": token})
    again = client.post(f"/contest/{contest}/enter", data={"csrf_token": token})
    assert first.status_code == again.status_code == 302 and first.location == again.location
    other = app.test_client()
    login(other, "binh")
    assert other.get(first.location).status_code == 404  # a member's entry is theirs alone


def test_a_committee_outside_the_organiser_does_not_see_the_contest(app, contest) -> None:
    client = app.test_client()
    login(client, "bithu2")
    assert client.get(f"/contests/{contest}/manage").status_code == 404
    assert client.get(f"/contests/{contest}/rounds/1/results.xlsx").status_code == 404
    login(app.test_client(), "bithu1")
    inside = app.test_client()
    login(inside, "bithu1")
    assert inside.get(f"/contests/{contest}/manage").status_code == 200
    sheet = inside.get(f"/contests/{contest}/rounds/1/results.xlsx")
    assert sheet.status_code == 200 and sheet.data[:2] == b"PK"


def test_public_results_mask_names_and_hide_phones(app, contest) -> None:
    with app.app_context():
        first = get_contest(contest).rounds[0]
        db.session.add(_entry(first.id, 1, score=4, prediction=1, seconds=30, at=10, all_correct=True))
        db.session.commit()
    html = app.test_client().get(f"/contest/{contest}/results").get_data(as_text=True)
    assert "Người D** T** 1**" in html and "Người Dự Thi" not in html and "91000000" not in html
    assert services.mask_name("Nguyễn Văn An") == "Nguyễn V** A**"


def test_a_long_round_is_read_a_page_at_a_time_in_rank_order(app, contest) -> None:
    """A round of 120 entries shows 50 lines a page, the last page the last 20, ranks continuing."""
    with app.app_context():
        first = get_contest(contest).rounds[0]
        db.session.add_all([_entry(first.id, n, score=4 - n / 1000, prediction=None, seconds=30, at=n)
                            for n in range(1, 121)])
        db.session.commit()
    client = app.test_client()
    ranks = re.compile(r"<tr><td>(\d+)</td>")
    one = client.get(f"/contest/{contest}/results").get_data(as_text=True)
    assert [int(r) for r in ranks.findall(one)] == list(range(1, 51))
    assert "Trang 1/3 · tổng số 120" in one
    assert 'rel="next"' in one and 'rel="prev"' not in one
    last = client.get(f"/contest/{contest}/results?page=3").get_data(as_text=True)
    assert [int(r) for r in ranks.findall(last)] == list(range(101, 121))
    assert 'rel="next"' not in last and 'rel="prev"' in last
    assert client.get(f"/contest/{contest}/results?page=abc").status_code == 400


def test_a_certificate_is_verified_then_revoked(app, contest) -> None:
    with app.test_request_context():
        made = get_contest(contest)
        first = made.rounds[0]
        db.session.add(_entry(first.id, 1, score=4, prediction=1, seconds=30, at=10, all_correct=True))
        db.session.flush()
        assert certificates.issue_prize_certificates(made, first) == 1
        assert certificates.issue_prize_certificates(made, first) == 0  # once per winner
        certificate = db.session.scalars(sa.select(Certificate)).one()
        pdf = certificates.certificate_pdf(certificate)
        db.session.commit()
        code, certificate_id = certificate.code, certificate.id
    assert pdf.startswith(b"%PDF")
    client = app.test_client()
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Người D** T** 1**" in page and "Giải Nhất" in page and 'data-testid="state"' in page
    assert "Người Dự Thi" not in page
    assert client.get("/verify/not-a-code").status_code == 404
    committee = app.test_client()
    login(committee, "bithu1")
    assert committee.get(f"/certificates/{certificate_id}.pdf").data.startswith(b"%PDF")
    outsider = app.test_client()
    login(outsider, "bithu2")
    assert outsider.post(f"/certificates/{certificate_id}/revoke",
                         data={"csrf_token": csrf_token(outsider, "/")}).status_code == 404
    assert committee.post(f"/certificates/{certificate_id}/revoke",
                          data={"csrf_token": csrf_token(committee, "/")}).status_code == 302
    revoked = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "lh-tag--red" in revoked


def test_the_cli_prints_contests_and_results_as_json(app, contest) -> None:
    with app.app_context():
        first = get_contest(contest).rounds[0]
        db.session.add_all([_entry(first.id, 1, score=3, prediction=1, seconds=30, at=10),
                            _entry(first.id, 2, score=4, prediction=1, seconds=30, at=20, all_correct=True)])
        db.session.commit()
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["contest", "list", "--format", "json"])
    assert listed.exit_code == 0
    assert json.loads(listed.stdout) == [{"id": contest, "title": "Cuộc thi tìm hiểu Nghị quyết", "rounds": [
        {"number": 1, "status": "closed", "entries": 2}, {"number": 2, "status": "open", "entries": 0}]}]
    shown = runner.invoke(args=["contest", "results", str(contest), "--round", "1", "--format", "json"])
    assert shown.exit_code == 0
    rows = json.loads(shown.stdout)
    assert [row["rank"] for row in rows] == [1, 2] and rows[0]["name"] == "Người Dự Thi 2"
    assert set(rows[0]) == {"rank", "name", "unit", "score", "prediction", "seconds", "submitted_at"}
    bad = runner.invoke(args=["contest", "results", "999", "--format", "json"])
    assert bad.exit_code != 0 and bad.stdout == ""
    assert runner.invoke(args=["contest", "results", str(contest), "--round", "9"]).exit_code != 0


def test_contest_entries_count_in_the_years_outreach_on_their_own_line(app, contest, town) -> None:
    from learnhub.reports.yearly import as_json, yearly_report

    with app.test_request_context():
        made = get_contest(contest)
        now = utcnow()
        for n in range(3):
            entry = services.start_entry(made, name="Lê Văn Tám", phone=f"+8491234567{n}", now=now)
            services.submit_entry(entry, {}, 1, now=now)
        services.start_entry(made, name="Chưa nộp", phone="+84912345699", now=now)  # not submitted: not counted
        db.session.commit()
        report = yearly_report(town["root"].id, now.astimezone(dt.UTC).year)
        assert report.contest_entries == 3 and report.outreach == 3
        assert as_json(report)["outreach_parts"]["contest_entries"] == 3
        assert yearly_report(town["b"].id, now.year).contest_entries == 0  # held by cell A, not B


def test_citizens_personal_data_is_cleared_after_the_retention_period(app, contest) -> None:
    with app.app_context():
        first = get_contest(contest).rounds[0]
        db.session.add(_entry(first.id, 1, score=4, prediction=1, seconds=30, at=10))
        db.session.commit()
    runner = app.test_cli_runner()
    # The round closed a day ago: within the retention period.
    assert runner.invoke(args=["contest", "anonymise", "--months", "1", "--yes"]).stderr.startswith("0 entries")
    with app.app_context():
        entry = db.session.scalars(sa.select(ContestEntry)).one()
        assert entry.phone == "+84910000001"
        services.anonymise_entries(closed_before=utcnow())
        db.session.commit()
        entry = db.session.scalars(sa.select(ContestEntry)).one()
        assert (entry.name, entry.phone, entry.birth_year) == ("Người D** T** 1**", None, None)
        assert results.ranking(get_contest(contest), get_contest(contest).rounds[0])[0].name == "Người D** T** 1**"


def test_members_who_completed_a_plan_get_a_certificate_once(app, contest, town, monkeypatch) -> None:
    """Who completed is the kept figures' answer (learnhub.plans.kept; stood in for here: it has its own tests); the form
    offers only plans in the viewer's scope."""
    from learnhub.plans.models import StudyPlan

    with app.app_context():
        from learnhub.courses.models import Course
        from learnhub.orgs.models import Unit
        from learnhub.plans.services import create_plan

        cell = db.session.get_one(Unit, town["a"].id)
        plan = create_plan(unit=cell, course=db.session.scalars(sa.select(Course)).one(), title="Kế hoạch học tập",
                           opens_on=dt.date(2026, 1, 1), due_on=dt.date(2026, 12, 31), target_units=[cell])
        db.session.commit()
        plan_id = plan.id
    completed = [(town["member_a"].id, "Nguyễn Văn An")]

    def fake_progress(plan: StudyPlan, within: int | None = None):
        rows = [sa.select(sa.literal(uid).label("user_id"), sa.literal(name).label("full_name"),
                          sa.literal(1).label("completed_at")) for uid, name in completed]
        return sa.union_all(*rows).subquery() if len(rows) > 1 else rows[0].subquery()

    monkeypatch.setattr(certificates, "kept_progress", fake_progress)
    outsider = app.test_client()
    login(outsider, "bithu2")
    assert f'value="{plan_id}"' not in outsider.get("/certificates/").get_data(as_text=True)
    committee = app.test_client()
    login(committee, "bithu1")
    for _twice in range(2):
        committee.post("/certificates/plan", data={"csrf_token": csrf_token(committee, "/"), "plan": plan_id})
    with app.app_context():
        issued = db.session.scalars(sa.select(Certificate)).all()
        assert [(c.name, c.plan_id, c.kind.value) for c in issued] == [("Nguyễn Văn An", plan_id, "plan")]
    assert "Nguyễn Văn An" in committee.get("/certificates/").get_data(as_text=True)
    assert "Nguyễn Văn An" not in outsider.get("/certificates/").get_data(as_text=True)


def test_a_committee_creates_a_contest_adds_a_round_and_publishes(app, town, make_quiz) -> None:
    make_quiz(6)
    client = app.test_client()
    login(client, "bithu1")
    with app.app_context():
        from learnhub.courses.models import Course

        course_id = db.session.scalars(sa.select(Course.id)).one()
    token = csrf_token(client, "/contests/new")
    created = client.post("/contests/new", data={
        "csrf_token": token, "title": "Tìm hiểu 95 năm Ngày thành lập Đảng", "organiser": "Chi bộ Khu phố 1",
        "unit": town["a"].id, "course": course_id, "prizes": "Giải Nhất\n\nGiải Nhì\n", "questions_per_entry": "5",
        "time_limit_minutes": "10", "entries_per_person": "1", "public_may_enter": "y"})
    assert created.status_code == 302
    manage = created.location
    assert client.post(manage.replace("/manage", "/publish"), data={"csrf_token": token}).status_code == 302
    with app.app_context():
        from learnhub.contests.models import Contest

        made = db.session.scalars(sa.select(Contest)).one()
        assert made.published_at is None and made.prizes == ["Giải Nhất", "Giải Nhì"]  # no round: not published
        assert not made.members_may_enter and made.public_may_enter
    bad = client.post(manage.replace("/manage", "/rounds"), data={
        "csrf_token": token, "opens_at": "2026-12-20T08:00", "closes_at": "2026-12-19T08:00"})
    assert bad.status_code == 302
    client.post(manage.replace("/manage", "/rounds"), data={
        "csrf_token": token, "opens_at": "2026-12-20T08:00", "closes_at": "2026-12-27T08:00"})
    client.post(manage.replace("/manage", "/publish"), data={"csrf_token": token})
    with app.app_context():
        made = db.session.scalars(sa.select(Contest)).one()
        assert made.published_at is not None and [r.number for r in made.rounds] == [1]
        assert made.rounds[0].opens_at == dt.datetime(2026, 12, 20, 1, 0, tzinfo=dt.UTC)  # 08:00 in Hà Nội
    other = app.test_client()
    login(other, "bithu2")
    refused = other.post("/contests/new", data={
        "csrf_token": csrf_token(other, "/contests/new"), "title": "x", "organiser": "x", "unit": town["a"].id,
        "course": course_id, "questions_per_entry": "5", "time_limit_minutes": "10", "entries_per_person": "1",
        "public_may_enter": "y"})
    assert refused.status_code == 400  # cell A is not among bithu2's units


OWN_QUESTIONS = """## Nghị quyết Đại hội được thông qua năm nào? {#nam}

- [x] 2025
- [ ] 2020

## Đảng Cộng sản Việt Nam thành lập ngày nào? {#ngay}

- [x] 3/2/1930
- [ ] 19/5/1930
"""


def test_a_contest_with_its_own_questions(app, town, make_quiz) -> None:
    make_quiz(6)
    client = app.test_client()
    login(client, "bithu1")
    token = csrf_token(client, "/contests/new")
    base = {"csrf_token": token, "title": "Tìm hiểu lịch sử Đảng", "organiser": "Chi bộ Khu phố 1",
            "unit": town["a"].id, "course": "0", "questions_per_entry": "2", "time_limit_minutes": "10",
            "entries_per_person": "1", "public_may_enter": "y"}
    assert client.post("/contests/new", data=base).status_code == 400  # neither a module nor questions
    broken = client.post("/contests/new", data={**base, "own_questions": "## Câu hỏi không có đáp án\n"})
    assert broken.status_code == 400 and "line 1" in broken.get_data(as_text=True)
    assert client.post("/contests/new", data={**base, "own_questions": OWN_QUESTIONS}).status_code == 302
    with app.app_context():
        from learnhub.contests.models import Contest

        made = db.session.scalars(sa.select(Contest)).one()
        assert made.quiz_id is None and [q["id"] for q in made.bank] == ["nam", "ngay"]
        now = utcnow()
        services.add_round(made, opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1))
        services.publish(made)
        entry = services.start_entry(made, name="Lê Văn Tám", phone="+84912345678")
        assert sorted(item["qid"] for item in entry.paper) == ["nam", "ngay"]
        right = {item["qid"]: next(t for t, cid in item["choices"].items() if cid == "a") for item in entry.paper}
        services.submit_entry(entry, right, 1)
        assert entry.all_correct


@pytest.fixture
def throttled(app, monkeypatch):
    """Throttling on, counting from zero in memory."""
    from learnhub.extensions import limiter

    monkeypatch.setitem(app.config, "SIGN_IN_THROTTLING", True)
    monkeypatch.setitem(app.config, "CONTEST_ENTRY_LIMIT_PHONE", "2 per hour")
    limiter.reset()
    yield
    limiter.reset()


def test_entries_are_throttled_per_phone_not_across_phones_or_members(app, contest, throttled) -> None:
    client = app.test_client()
    for _n in range(2):
        assert _public_entry(client, contest, phone="0912 000 001").status_code in (302, 400)
    assert _public_entry(client, contest, phone="0912 000 001").status_code == 429
    assert _public_entry(client, contest, phone="0912 000 002").status_code != 429  # another phone
    for _n in range(2):  # typos count against their own address, not a bucket shared with members
        assert _public_entry(client, contest, phone="123").status_code == 400
    member = app.test_client()
    login(member, "an")
    token = csrf_token(member, f"/contest/{contest}")
    assert member.post(f"/contest/{contest}/enter", data={"csrf_token": token}).status_code == 302


def test_citizens_and_members_find_published_contests_from_every_page(app, contest, town, make_quiz) -> None:
    with app.app_context():
        draft = services.create_contest(
            unit=db.session.get_one(Unit, town["a"].id), quiz=db.session.scalars(sa.select(Quiz)).one(),
            title="Cuộc thi chưa công bố", organiser="Ban Tuyên giáo", questions_per_entry=2)
        db.session.commit()
        draft_id = draft.id
    client = app.test_client()
    home = client.get("/login").get_data(as_text=True)
    assert 'href="/contest/"' in home  # the footer of every page links the list
    listed = client.get("/contest/").get_data(as_text=True)
    assert "Cuộc thi tìm hiểu Nghị quyết" in listed and f'href="/contest/{contest}"' in listed
    assert "Tuần 2 đang mở" in listed  # the open round, as the contest page says it
    assert "Cuộc thi chưa công bố" not in listed and f"/contest/{draft_id}" not in listed  # a draft is not listed
    committee = app.test_client()
    login(committee, "bithu1")
    assert 'href="/contests/"' in committee.get("/overview").get_data(as_text=True)  # the committee's menu
