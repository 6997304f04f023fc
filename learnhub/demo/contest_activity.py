"""The demo contest: a closed round of about 300 entries (members and citizens, with ties decided by
the prediction and the time) whose winners hold certificates, and an open round."""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

import sqlalchemy as sa

from learnhub.auth.models import Role, User
from learnhub.contests import certificates, services
from learnhub.contests.models import Contest, ContestEntry
from learnhub.courses.models import Course
from learnhub.db import utcnow
from learnhub.demo.names import random_full_name
from learnhub.extensions import db
from learnhub.orgs.models import Unit
from learnhub.quizzes import attempts
from learnhub.quizzes.models import Quiz

TITLE = "Cuộc thi trực tuyến tìm hiểu Nghị quyết Đại hội Đảng bộ Thị trấn"
RULES = ("Mỗi tuần một vòng thi, mỗi lượt 10 câu hỏi trong 15 phút và một câu hỏi dự đoán.\n"
         "Mỗi số điện thoại dự thi một lần mỗi tuần.\n"
         "Xếp giải theo điểm, rồi theo dự đoán gần nhất số người trả lời đúng tất cả, rồi theo thời gian làm bài.")
PRIZES = ["Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Ba", "Giải Khuyến khích", "Giải Khuyến khích"]
ORGANISATIONS = ["Trường THPT Thị trấn", "Hội Nông dân", "Đoàn Thanh niên", "Hội Cựu chiến binh", "Chợ Thị trấn"]


def add_contest(rng: random.Random, root: Unit, members: int = 110, citizens: int = 190) -> int:
    """The contest, once: returns the entries made (0 when it is already there)."""
    if db.session.scalar(sa.select(Contest.id).where(Contest.title == TITLE)) is not None:
        return 0
    quiz = db.session.scalar(sa.select(Quiz).join(Course, Course.id == Quiz.course_id).order_by(Course.id))
    if quiz is None or not quiz.active_questions:
        return 0
    now = utcnow()
    contest = services.create_contest(unit=root, quiz=quiz, title=TITLE, organiser="Ban Tuyên giáo Đảng ủy Thị trấn",
                                      rules=RULES, prizes=PRIZES, questions_per_entry=10, time_limit_minutes=15)
    closed = services.add_round(contest, opens_at=now - dt.timedelta(days=9), closes_at=now - dt.timedelta(days=2))
    services.add_round(contest, opens_at=now - dt.timedelta(days=2), closes_at=now + dt.timedelta(days=5))
    services.publish(contest, now=now - dt.timedelta(days=10))
    people = _people(rng, members, citizens)
    made = _sit(rng, contest, people, closed.opens_at, hours=7 * 24 - 1)
    certificates.issue_prize_certificates(contest, closed)
    open_people = _people(random.Random(rng.random()), 8, 16)
    made += _sit(rng, contest, open_people, now - dt.timedelta(days=2), hours=40)
    return made


def _people(rng: random.Random, members: int, citizens: int) -> list[dict[str, Any]]:
    accounts = db.session.scalars(sa.select(User).where(User.role == Role.member).order_by(User.id)).all()
    chosen = rng.sample(list(accounts), min(members, len(accounts)))
    units = db.session.scalars(sa.select(Unit.id).where(Unit.parent_id.is_not(None)).order_by(Unit.id)).all()
    people: list[dict[str, Any]] = [{"user": user} for user in chosen]
    for _n in range(citizens):
        name, _gender = random_full_name(rng)
        phone = f"+849{rng.randrange(10**8):08d}"
        elsewhere = rng.random() < 0.25
        people.append({"name": name, "phone": phone, "birth_year": rng.randint(1955, 2008),
                       "unit_id": None if elsewhere or not units else rng.choice(units),
                       "organisation": rng.choice(ORGANISATIONS) if elsewhere else ""})
    rng.shuffle(people)
    return people


def _sit(rng: random.Random, contest: Contest, people: list[dict[str, Any]], opens: dt.datetime, hours: int) -> int:
    """Everyone sits one entry; the right answers are decided first, so the predictions can be
    drawn around the real number of all-correct entries, as a crowd's guesses are."""
    planned = []
    for person in people:
        started = opens + dt.timedelta(minutes=rng.randint(5, hours * 60))
        try:
            entry = services.start_entry(contest, user=person.get("user"), name=person.get("name", ""),
                                         birth_year=person.get("birth_year"), phone=person.get("phone"),
                                         unit_id=person.get("unit_id"), organisation=person.get("organisation", ""),
                                         now=started, rng=rng)
        except services.EntryRefused:  # a phone drawn twice
            continue
        skill = rng.uniform(0.75, 1.0)
        answers = {}
        for item in entry.paper:
            kind = attempts.kind_of_entry(item)
            right = rng.random() < skill
            response = kind.demo_right(item["question"]) if right else kind.demo_wrong(item["question"], rng)
            answers[item["qid"]] = attempts.to_tokens(item, response)
        planned.append((entry, answers, started))
    all_right = sum(1 for entry, answers, _s in planned if _all_right(entry, answers))
    for entry, answers, started in planned:
        guess = max(0, round(rng.gauss(all_right, max(3, all_right * 0.3))))
        seconds = rng.choice([95, 120, 150, 180]) if rng.random() < 0.3 else rng.randint(80, 800)
        services.submit_entry(entry, answers, guess, now=started + dt.timedelta(seconds=seconds))
    db.session.flush()
    return len(planned)


def _all_right(entry: ContestEntry, answers: dict[str, Any]) -> bool:
    responses = {qid: attempts.check_paper_response(entry.paper, qid, raw)[1] for qid, raw in answers.items()}
    return sum(attempts.grade_paper(entry.paper, responses).values()) >= entry.max_score
