"""The figures of a unit's year, each as defined in docs/metrics.md, gathered for the yearly report.

Every figure comes from one definition elsewhere: the plans' study rates from
``learnhub.plans.completion`` (closed plans read their snapshot), the conference figures from
``learnhub.conferences.figures`` and the outreach parts from ``learnhub.outreach`` (sessions, visits).
This module only chooses the plans of the year and adds their aggregated rows together: only the
plans that count on the report's "as of" date (``learnhub.plans.window.counts_on``: closed or past
due) are pooled; plans still running are listed apart with their current rate and change nothing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from learnhub.auth.models import Category
from learnhub.conferences.figures import conference_figures
from learnhub.contests.results import entries_between as contest_entries_between
from learnhub.extensions import db
from learnhub.figures import Rate, pool
from learnhub.orgs.models import Unit
from learnhub.orgs.services import unit_path
from learnhub.outreach.bulletins import broadcast_figures
from learnhub.outreach.sessions import outreach_session_heads
from learnhub.outreach.visits import outreach_visits
from learnhub.plans.completion import completion_report
from learnhub.plans.models import PlanStatus, PlanUnit, StudyPlan
from learnhub.plans.window import counts_on
from learnhub.security import ancestor_ids, subtree_ids
from learnhub.settings import local_midnight

HEADLINE = (Category.party_member, Category.civil_servant)  # "cán bộ, đảng viên và CBCCVC"
FORMS = ("in_person", "online", "hybrid")  # StudyForm values, in the order reports list them


@dataclass(frozen=True, kw_only=True)
class LaggingUnit(Rate):
    """A direct sub-unit below a plan's target."""

    id: int
    name: str


@dataclass(frozen=True, kw_only=True)
class PlanLine(Rate):
    """One plan of the year: its own figures for the unit and the sub-units below its target."""

    id: int
    title: str
    number: str
    due_on: dt.date
    status: str
    on_time: int
    lagging_units: list[LaggingUnit]


@dataclass(frozen=True, kw_only=True)
class UnitLine(Rate):
    """A direct sub-unit (or the unit's own members) pooled over the year's plans (``learnhub.figures.pool``):
    its target is the plans' targets weighted by their rosters, so a unit that met every plan's
    target meets the year's."""

    id: int
    name: str
    own_members: bool = False


@dataclass
class YearlyReport:
    unit_id: int
    unit_name: str
    unit_path: str
    year: int
    as_of: dt.date  # the report date: plans closed or past due by then are counted
    conferences: int = 0
    conferences_by_form: dict[str, int] = field(default_factory=dict)
    participants: int = 0
    member_attendances: int = 0
    civil_servant_guests: int = 0
    conference_citizens: int = 0
    outreach_sessions: int = 0
    public_visits: int = 0
    broadcasts: int = 0  # loudspeaker broadcasts: their own line, in times and minutes, never in ``outreach``
    broadcast_minutes: int = 0
    contest_entries: int = 0  # entries of the online contests held by the unit or below it
    total: Rate = field(default_factory=Rate)  # the plans' own target categories, pooled
    headline: Rate = field(default_factory=Rate)  # party members and civil servants only
    citizens: Rate = field(default_factory=Rate)  # reported separately, never in the headline
    plans: list[PlanLine] = field(default_factory=list)  # the plans counted (pooled into the figures)
    running: list[PlanLine] = field(default_factory=list)  # still running on ``as_of``: shown, never pooled
    units: list[UnitLine] = field(default_factory=list)

    @property
    def attendances(self) -> int:
        """Attendances of party members and civil servants (one per person per conference)."""
        return self.member_attendances + self.civil_servant_guests

    @property
    def outreach(self) -> int:
        """Citizens at conferences + outreach session head counts + daily-unique public-page visits
        + online contest entries."""
        return self.conference_citizens + self.outreach_sessions + self.public_visits + self.contest_entries

    @property
    def rate(self) -> float | None:
        """The yearly study rate: Σ completed ÷ Σ roster over the year's plans (None without a roster)."""
        return self.total.rate

    @property
    def headline_rate(self) -> float | None:
        return self.headline.rate

    @property
    def target(self) -> float | None:
        """The plans' targets weighted by their rosters."""
        return self.total.target

    @property
    def meets_target(self) -> bool | None:
        """Whether the year's pooled figures reach the pooled target (None without a roster)."""
        return self.total.meets_target

    @property
    def lagging_units(self) -> list[UnitLine]:
        """Direct sub-units below the year's target, lowest rate first."""
        below = [u for u in self.units if not u.own_members and u.meets_target is False]
        return sorted(below, key=lambda u: (u.rate, u.name))


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of ``year`` (both included)."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def plans_of_the_year(unit_id: int, year: int) -> list[StudyPlan]:
    """Open and closed plans due in ``year`` whose target units include the unit, a unit above it
    or a unit below it (whether the roster for the unit is empty is decided by the caller)."""
    start, end = year_bounds(year)
    here = sa.select(sa.literal(unit_id))
    reaches = sa.exists(
        sa.select(PlanUnit.id).where(
            PlanUnit.plan_id == StudyPlan.id,
            sa.or_(PlanUnit.unit_id.in_(ancestor_ids(here)), PlanUnit.unit_id.in_(subtree_ids(here))),
        )
    )
    return list(db.session.scalars(
        sa.select(StudyPlan)
        .where(StudyPlan.due_on >= start, StudyPlan.due_on <= end, StudyPlan.status != PlanStatus.draft, reaches)
        .order_by(StudyPlan.due_on, StudyPlan.id)
    ))


def _category(report, categories: tuple[Category, ...]) -> Rate:
    return pool(report.by_category[c] for c in categories if c in report.by_category)


def _add_plans(report: YearlyReport, unit: Unit) -> None:
    """Each plan's figures for the unit (SQL aggregates per plan); those of the plans that count on
    the report date pooled into the year's, those still running listed apart."""
    units: dict[int, UnitLine] = {}
    for plan in plans_of_the_year(unit.id, report.year):
        figures = completion_report(plan, unit)
        if not figures.total.required:
            continue  # the plan has nobody to study in this unit: it does not target it
        lagging = [
            LaggingUnit(id=u.unit_id, name=u.name, roster=u.roster, completed=u.completed, target=u.target)
            for u in figures.units if not u.own_members and u.meets_target is False
        ]
        line = PlanLine(
            id=plan.id, title=plan.title, number=plan.number or "", due_on=plan.due_on, status=plan.status.value,
            roster=figures.total.roster, completed=figures.total.completed, on_time=figures.total.on_time,
            target=plan.target_rate, lagging_units=sorted(lagging, key=lambda u: (u.sort_key, u.name)),
        )
        if not counts_on(plan, report.as_of):
            report.running.append(line)
            continue
        report.plans.append(line)
        report.total = pool([report.total, figures.total])
        report.headline = pool([report.headline, _category(figures, HEADLINE)])
        report.citizens = pool([report.citizens, _category(figures, (Category.citizen,))])
        for row in figures.units:
            kept = units.get(row.unit_id) or UnitLine(id=row.unit_id, name=row.name, own_members=row.own_members)
            pooled = pool([kept, row])
            units[row.unit_id] = UnitLine(id=kept.id, name=kept.name, own_members=kept.own_members,
                                          roster=pooled.roster, completed=pooled.completed, target=pooled.target)
    children = db.session.execute(
        sa.select(Unit.id, Unit.name).where(Unit.parent_id == unit.id, Unit.archived_at.is_(None))
    ).all()
    for child_id, name in children:
        units.setdefault(child_id, UnitLine(id=child_id, name=name))
    report.units = sorted(units.values(), key=lambda u: (u.own_members, u.name))


def _add_conferences(report: YearlyReport) -> None:
    figures = conference_figures(report.unit_id, *year_bounds(report.year))
    report.conferences = figures.conferences_total
    report.conferences_by_form = {form: int(figures.by_form.get(form, 0)) for form in FORMS}
    report.participants = figures.participants
    report.member_attendances = figures.member_attendances
    report.civil_servant_guests = figures.civil_servant_guests
    report.conference_citizens = figures.citizen_attendances


def _add_outreach(report: YearlyReport) -> None:
    start, end = year_bounds(report.year)
    report.outreach_sessions = outreach_session_heads(report.unit_id, start, end)
    report.public_visits = outreach_visits(report.unit_id, start, end)
    report.broadcasts, report.broadcast_minutes = broadcast_figures(report.unit_id, start, end)
    report.contest_entries = contest_entries_between(
        subtree_ids(sa.select(sa.literal(report.unit_id))), local_midnight(start),
        local_midnight(end + dt.timedelta(days=1)))


def yearly_report(unit_id: int, year: int, as_of: dt.date | None = None) -> YearlyReport:
    """Every figure of the unit's year as of ``as_of`` (today in the organisation's time zone by
    default): conferences, participants, outreach and the study rates of the plans that count."""
    from learnhub.settings import local_today

    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise LookupError(f"no unit {unit_id}")
    report = YearlyReport(unit_id=unit.id, unit_name=unit.name, unit_path=unit_path(unit), year=year,
                          as_of=as_of or local_today())
    _add_conferences(report)
    _add_outreach(report)
    _add_plans(report, unit)
    return report


def _count(count: Rate) -> dict:
    return {"roster": count.roster, "completed": count.completed, "rate": count.rate}


def _plan(p: PlanLine) -> dict:
    return {"id": p.id, "title": p.title, "number": p.number, "due_on": p.due_on.isoformat(), "status": p.status,
            "roster": p.roster, "completed": p.completed, "on_time": p.on_time, "rate": p.rate,
            "target": p.target, "meets_target": p.meets_target,
            "lagging_units": [{"id": u.id, "name": u.name, "roster": u.roster, "completed": u.completed,
                               "rate": u.rate} for u in p.lagging_units]}


def as_json(report: YearlyReport) -> dict:
    """The report as JSON-ready data: the headline figures first, then their parts, plans and units."""
    from learnhub.reports.sentences import summary

    return {
        "unit": report.unit_name,
        "unit_id": report.unit_id,
        "unit_path": report.unit_path,
        "year": report.year,
        "as_of": report.as_of.isoformat(),
        "conferences": report.conferences,
        "conferences_by_form": dict(report.conferences_by_form),
        "participants": report.participants,
        "attendances": {"members": report.member_attendances, "civil_servant_guests": report.civil_servant_guests,
                        "total": report.attendances, "citizens": report.conference_citizens},
        "outreach": report.outreach,
        "outreach_parts": {"conference_citizens": report.conference_citizens, "sessions": report.outreach_sessions,
                           "public_visits": report.public_visits, "contest_entries": report.contest_entries},
        "broadcasts": {"count": report.broadcasts, "minutes": report.broadcast_minutes},
        "rate": report.rate,
        "roster": report.total.roster,
        "completed": report.total.completed,
        "target": report.target,
        "meets_target": report.meets_target,
        "headline": _count(report.headline),
        "citizens": _count(report.citizens),
        "plans_counted": len(report.plans),
        "plans": [_plan(p) for p in report.plans],
        "plans_running": [_plan(p) for p in report.running],
        "units": [
            {"id": u.id, "name": u.name, "own_members": u.own_members, "roster": u.roster,
             "completed": u.completed, "rate": u.rate, "target": u.target, "meets_target": u.meets_target}
            for u in report.units
        ],
        "summary": summary(report, "vi"),
    }
