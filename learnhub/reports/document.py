"""The yearly report as a document: header, title and tables, in Vietnamese (as filed) or English.

The .docx export and the printable page both render this, so they always show the same figures.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from learnhub.reports.sentences import FORM_NAMES, number, percent
from learnhub.reports.yearly import FORMS, YearlyReport

UNIT_PREFIXES = ("Đảng bộ ", "Đảng ủy ", "Chi bộ ")

TEXT = {
    "vi": {
        "title": "BÁO CÁO",
        "subtitle": "Kết quả học tập, quán triệt chỉ thị, nghị quyết của Đảng năm {year}",
        "motto": "ĐẢNG CỘNG SẢN VIỆT NAM",
        "dated": "{place}, ngày {day:02d} tháng {month:02d} năm {year}",
        "conferences": "Hội nghị học tập, quán triệt",
        "form": "Hình thức", "held": "Số hội nghị", "total": "Tổng cộng",
        "participants": "Người tham gia hội nghị",
        "figure": "Nội dung", "number": "Số",
        "people": "Đảng viên, cán bộ công chức không phải là đảng viên tham gia (mỗi người tính một lần)",
        "attendances": "Lượt tham dự của đảng viên, cán bộ công chức (mỗi người, mỗi hội nghị một lượt)",
        "member_attendances": "trong đó: đảng viên, công chức, viên chức có tài khoản LearnHub",
        "guests": "trong đó: cán bộ, công chức, viên chức cơ quan khác (khách mời)",
        "citizen_attendances": "Lượt quần chúng Nhân dân dự hội nghị",
        "outreach": "Tuyên truyền đến quần chúng Nhân dân",
        "source": "Hình thức tuyên truyền", "visits": "Lượt",
        "at_conferences": "Dự hội nghị học tập, quán triệt",
        "sessions": "Buổi tuyên truyền của Mặt trận Tổ quốc và các đoàn thể",
        "public_visits": "Truy cập trang tuyên truyền trực tuyến (mỗi người một lượt mỗi ngày)",
        "plans": "Kết quả học tập theo từng kế hoạch",
        "plan": "Kế hoạch", "due": "Hạn", "roster": "Phải học", "completed": "Đã hoàn thành", "rate": "Tỷ lệ",
        "target": "Chỉ tiêu", "lagging": "Đơn vị chưa đạt chỉ tiêu",
        "year_total": "Cả năm (cộng các kế hoạch)",
        "headline": "Trong đó: cán bộ, đảng viên và cán bộ công chức, viên chức",
        "citizens": "Quần chúng Nhân dân (tính riêng)",
        "units": "Tỷ lệ học tập của các đơn vị trong năm",
        "unit": "Đơn vị", "verdict": "Đánh giá", "meets": "Đạt", "below": "Chưa đạt",
        "own": "{name} (người sinh hoạt trực tiếp)", "no_plan": "Không có kế hoạch nào đến hạn trong năm.",
    },
    "en": {
        "title": "REPORT",
        "subtitle": "Results of studying the Party's directives and resolutions in {year}",
        "motto": "COMMUNIST PARTY OF VIETNAM",
        "dated": "{place}, {day:02d}/{month:02d}/{year}",
        "conferences": "Study conferences",
        "form": "Form", "held": "Conferences", "total": "Total",
        "participants": "Conference participants",
        "figure": "Figure", "number": "Number",
        "people": "Party members and non-party civil servants who took part (each person once)",
        "attendances": "Attendances of party members and civil servants (one per person and conference)",
        "member_attendances": "of which party members and civil servants with a LearnHub account",
        "guests": "of which civil servants from other bodies (guests)",
        "citizen_attendances": "Attendances of citizens at conferences",
        "outreach": "Outreach to citizens",
        "source": "Outreach", "visits": "Attendances or visits",
        "at_conferences": "At study conferences",
        "sessions": "At sessions of the Fatherland Front and mass organisations",
        "public_visits": "Visits to the public study pages (one per visitor and day)",
        "plans": "Results by study plan",
        "plan": "Plan", "due": "Due", "roster": "Must study", "completed": "Completed", "rate": "Rate",
        "target": "Target", "lagging": "Units below target",
        "year_total": "The year (plans added together)",
        "headline": "Of whom cadres, party members, civil servants and public employees",
        "citizens": "Citizens (reported separately)",
        "units": "Study rate of each unit over the year",
        "unit": "Unit", "verdict": "Assessment", "meets": "Meets target", "below": "Below target",
        "own": "{name} (its own members)", "no_plan": "No study plan fell due in the year.",
    },
}


@dataclass
class Table:
    """A titled table of formatted cells; ``numeric`` columns align right, ``flagged`` rows are below target."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    numeric: frozenset[int] = frozenset()
    flagged: set[int] = field(default_factory=set)
    totals: set[int] = field(default_factory=set)
    flag_column: int = -1  # the cell marked in a flagged row
    empty: str = ""


@dataclass(frozen=True)
class Header:
    issuer: list[str]  # the issuing committee's lines, the last one bold ("ĐẢNG BỘ THỊ TRẤN")
    motto: str
    dated: str
    title: str
    subtitle: str


def place_of(report: YearlyReport) -> str:
    """Where the report is signed: the top unit's name without "Đảng bộ" ("Thị trấn")."""
    top = report.unit_path.split("/")[0]
    for prefix in UNIT_PREFIXES:
        if top.startswith(prefix):
            return top[len(prefix):]
    return top


def header(report: YearlyReport, today: dt.date, lang: str = "vi") -> Header:
    """The document's heading block: issuing committee, the Party's name, place and date, title."""
    t = TEXT[lang]
    names = report.unit_path.split("/")
    issuer = ([names[-2].upper()] if len(names) > 1 else []) + [names[-1].upper()]
    return Header(issuer=issuer, motto=t["motto"],
                  dated=t["dated"].format(place=place_of(report), day=today.day, month=today.month, year=today.year),
                  title=t["title"], subtitle=t["subtitle"].format(year=report.year))


def _conferences(report: YearlyReport, lang: str) -> Table:
    t = TEXT[lang]
    rows = [[FORM_NAMES[lang][form].capitalize(), number(report.conferences_by_form.get(form, 0), lang)]
            for form in FORMS]
    rows.append([t["total"], number(report.conferences, lang)])
    return Table(t["conferences"], [t["form"], t["held"]], rows, frozenset({1}), totals={len(rows) - 1})


def _participants(report: YearlyReport, lang: str) -> Table:
    t = TEXT[lang]
    rows = [[t["people"], number(report.participants, lang)],
            [t["attendances"], number(report.attendances, lang)],
            [t["member_attendances"], number(report.member_attendances, lang)],
            [t["guests"], number(report.civil_servant_guests, lang)],
            [t["citizen_attendances"], number(report.conference_citizens, lang)]]
    return Table(t["participants"], [t["figure"], t["number"]], rows, frozenset({1}), totals={0})


def _outreach(report: YearlyReport, lang: str) -> Table:
    t = TEXT[lang]
    rows = [[t["at_conferences"], number(report.conference_citizens, lang)],
            [t["sessions"], number(report.outreach_sessions, lang)],
            [t["public_visits"], number(report.public_visits, lang)],
            [t["total"], number(report.outreach, lang)]]
    return Table(t["outreach"], [t["source"], t["visits"]], rows, frozenset({1}), totals={3})


def _lagging(units, lang: str) -> str:
    return "; ".join(f"{u.name} ({percent(u.rate, lang)})" for u in units) or "–"


def _plans(report: YearlyReport, lang: str) -> Table:
    t = TEXT[lang]
    table = Table(t["plans"], [t["plan"], t["due"], t["roster"], t["completed"], t["rate"], t["target"],
                               t["lagging"]], numeric=frozenset({2, 3, 4, 5}), flag_column=4, empty=t["no_plan"])
    for plan in report.plans:
        title = f"{plan.title} ({plan.number})" if plan.number else plan.title
        table.rows.append([title, plan.due_on.strftime("%d/%m/%Y"), number(plan.roster, lang),
                           number(plan.completed, lang), percent(plan.rate, lang), percent(plan.target, lang),
                           _lagging(plan.lagging_units, lang)])
        if not plan.meets_target:
            table.flagged.add(len(table.rows) - 1)
    if report.plans:
        table.rows.append([t["year_total"], "", number(report.total.roster, lang), number(report.total.completed, lang),
                           percent(report.rate, lang), percent(report.target, lang),
                           _lagging(report.lagging_units, lang)])
        table.totals.add(len(table.rows) - 1)
        if report.meets_target is False:
            table.flagged.add(len(table.rows) - 1)
        for key, part in (("headline", report.headline), ("citizens", report.citizens)):
            if part.roster or key == "headline":
                table.rows.append([t[key], "", number(part.roster, lang), number(part.completed, lang),
                                   percent(part.rate, lang), "", ""])
    return table


def _units(report: YearlyReport, lang: str) -> Table:
    t = TEXT[lang]
    table = Table(t["units"], [t["unit"], t["roster"], t["completed"], t["rate"], t["target"], t["verdict"]],
                  numeric=frozenset({1, 2, 3, 4}), flag_column=5)
    for unit in report.units:
        verdict = {None: "–", True: t["meets"], False: t["below"]}[unit.meets_target]
        table.rows.append([t["own"].format(name=unit.name) if unit.own_members else unit.name,
                           number(unit.roster, lang), number(unit.completed, lang), percent(unit.rate, lang),
                           percent(unit.target, lang), verdict])
        if unit.meets_target is False:
            table.flagged.add(len(table.rows) - 1)
    verdict = {None: "–", True: t["meets"], False: t["below"]}[report.meets_target]
    table.rows.append([t["total"], number(report.total.roster, lang), number(report.total.completed, lang),
                       percent(report.rate, lang), percent(report.target, lang), verdict])
    table.totals.add(len(table.rows) - 1)
    if report.meets_target is False:
        table.flagged.add(len(table.rows) - 1)
    return table


def tables(report: YearlyReport, lang: str = "vi") -> list[Table]:
    """The report's tables, in the order they are printed."""
    return [_conferences(report, lang), _participants(report, lang), _outreach(report, lang),
            _plans(report, lang), _units(report, lang)]
