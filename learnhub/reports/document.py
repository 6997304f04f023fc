"""The yearly report as a document: header, title and tables, in Vietnamese (as filed) or English.

The .docx export and the printable page both render this, so they always show the same figures.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _

from learnhub.documents.form import DocumentKind, PartyForm, party_form, title_lines
from learnhub.extensions import db
from learnhub.figures import number, percent
from learnhub.orgs.models import Unit
from learnhub.reports.sentences import day, form_name, plan_name
from learnhub.reports.yearly import FORMS, YearlyReport


def _text() -> dict[str, str]:
    """The document's words in the current language (the caller chooses it with ``force_locale``)."""
    return {
        "title": _("REPORT"),
        "subtitle": _("Results of studying the Party's directives and resolutions in %(year)s"),
        "conferences": _("Study conferences"),
        "form": _("Form"), "held": _("Conferences held"), "total": _("Total"),
        "participants": _("Conference participants"),
        "figure": _("Figure"), "number": _("Number"),
        "people": _("Party members and non-party civil servants who took part (each person once)"),
        "attendances": _("Attendances of party members and civil servants (one per person and conference)"),
        "member_attendances": _("of which party members and civil servants with a LearnHub account"),
        "guests": _("of which civil servants from other bodies (guests)"),
        "citizen_attendances": _("Attendances of citizens at conferences"),
        "outreach": _("Outreach to citizens"),
        "source": _("Form of outreach"), "visits": _("Attendances or visits"),
        "at_conferences": _("At study conferences"),
        "sessions": _("At sessions of the Fatherland Front and mass organisations"),
        "public_visits": _("Visits to the public study pages (one per visitor and day)"),
        "broadcasts": _("Broadcasts on the loudspeaker system (times, minutes; not in the total)"),
        "contest_entries": _("Entries in online contests"),
        "plans": _("Results by study plan"),
        "plan": _("Plan"), "due": _("Due"), "roster": _("Must study"), "completed": _("Completed"),
        "rate": _("Rate"), "target": _("Target"), "lagging": _("Units below target"),
        "year_total": _("The year (plans added together)"),
        "headline": _("Of whom cadres, party members, civil servants and public employees"),
        "citizens": _("Citizens (reported separately)"),
        "units": _("Study rate of each unit over the year"),
        "unit": _("Unit"), "verdict": _("Assessment"), "meets": _("Met"), "below": _("Not met"),
        "no_plan": _("No study plan of the year was closed or past due on the report date."),
        "running": _("Plans still running on %(as_of)s (not counted in the figures above)"),
        "so_far": _("Rate so far"),
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
    party: PartyForm  # the Party form's header and footer (learnhub/documents/form.py)
    title: str
    subtitle: str


def header(report: YearlyReport, lang: str = "vi") -> Header:
    """The document's Party form, dated the report's as-of day, and its title."""
    unit = db.session.get(Unit, report.unit_id)
    assert unit is not None  # the report was just read from it
    with force_locale(lang):
        t = _text()
        title, subtitle = title_lines(t["title"], t["subtitle"] % {"year": report.year})
        return Header(party=party_form(unit, DocumentKind.report, report.as_of, lang=lang), title=title,
                      subtitle=subtitle)


def _conferences(report: YearlyReport, t: dict[str, str]) -> Table:
    rows = [[form_name(form).capitalize(), number(report.conferences_by_form.get(form, 0))] for form in FORMS]
    rows.append([t["total"], number(report.conferences)])
    return Table(t["conferences"], [t["form"], t["held"]], rows, frozenset({1}), totals={len(rows) - 1})


def _participants(report: YearlyReport, t: dict[str, str]) -> Table:
    rows = [[t["people"], number(report.participants)],
            [t["attendances"], number(report.attendances)],
            [t["member_attendances"], number(report.member_attendances)],
            [t["guests"], number(report.civil_servant_guests)],
            [t["citizen_attendances"], number(report.conference_citizens)]]
    return Table(t["participants"], [t["figure"], t["number"]], rows, frozenset({1}), totals={0})


def _outreach(report: YearlyReport, t: dict[str, str]) -> Table:
    rows = [[t["at_conferences"], number(report.conference_citizens)],
            [t["sessions"], number(report.outreach_sessions)],
            [t["public_visits"], number(report.public_visits)],
            [t["contest_entries"], number(report.contest_entries)],
            [t["total"], number(report.outreach)]]
    if report.broadcasts:
        rows.append([t["broadcasts"], _("%(n)s times, %(minutes)s min", n=number(report.broadcasts),
                                        minutes=number(report.broadcast_minutes))])
    return Table(t["outreach"], [t["source"], t["visits"]], rows, frozenset({1}), totals={4})


def _lagging(units) -> str:
    return "; ".join(f"{u.name} ({percent(u.rate)})" for u in units) or "–"


def _plans(report: YearlyReport, t: dict[str, str]) -> Table:
    table = Table(t["plans"], [t["plan"], t["due"], t["roster"], t["completed"], t["rate"], t["target"],
                               t["lagging"]], numeric=frozenset({2, 3, 4, 5}), flag_column=4, empty=t["no_plan"])
    for plan in report.plans:
        title = f"{plan.title} ({plan.number})" if plan.number else plan.title
        table.rows.append([title, plan.due_on.strftime("%d/%m/%Y"), number(plan.roster),
                           number(plan.completed), percent(plan.rate), percent(plan.target),
                           _lagging(plan.lagging_units)])
        if not plan.meets_target:
            table.flagged.add(len(table.rows) - 1)
    if report.plans:
        table.rows.append([t["year_total"], "", number(report.total.roster), number(report.total.completed),
                           percent(report.rate), percent(report.target),
                           _lagging(report.lagging_units)])
        table.totals.add(len(table.rows) - 1)
        if report.meets_target is False:
            table.flagged.add(len(table.rows) - 1)
        for key, part in (("headline", report.headline), ("citizens", report.citizens)):
            if part.roster or key == "headline":
                table.rows.append([t[key], "", number(part.roster), number(part.completed),
                                   percent(part.rate), "", ""])
    return table


def _running(report: YearlyReport, t: dict[str, str]) -> Table:
    """The plans still running on the report date, with their current figures: shown, never pooled."""
    table = Table(t["running"] % {"as_of": day(report.as_of)},
                  [t["plan"], t["due"], t["roster"], t["completed"], t["so_far"], t["target"]],
                  numeric=frozenset({2, 3, 4, 5}))
    for plan in report.running:
        table.rows.append([plan_name(plan), day(plan.due_on), number(plan.roster), number(plan.completed),
                           percent(plan.rate), percent(plan.target)])
    return table


def _units(report: YearlyReport, t: dict[str, str]) -> Table:
    table = Table(t["units"], [t["unit"], t["roster"], t["completed"], t["rate"], t["target"], t["verdict"]],
                  numeric=frozenset({1, 2, 3, 4}), flag_column=5)
    for unit in report.units:
        verdict = {None: "–", True: t["meets"], False: t["below"]}[unit.meets_target]
        table.rows.append([_("%(unit)s (its own members)", unit=unit.name) if unit.own_members else unit.name,
                           number(unit.roster), number(unit.completed), percent(unit.rate),
                           percent(unit.target), verdict])
        if unit.meets_target is False:
            table.flagged.add(len(table.rows) - 1)
    verdict = {None: "–", True: t["meets"], False: t["below"]}[report.meets_target]
    table.rows.append([t["total"], number(report.total.roster), number(report.total.completed),
                       percent(report.rate), percent(report.target), verdict])
    table.totals.add(len(table.rows) - 1)
    if report.meets_target is False:
        table.flagged.add(len(table.rows) - 1)
    return table


def tables(report: YearlyReport, lang: str = "vi") -> list[Table]:
    """The report's tables, in the order they are printed."""
    with force_locale(lang):
        t = _text()
        running = [_running(report, t)] if report.running else []
        return [_conferences(report, t), _participants(report, t), _outreach(report, t), _plans(report, t),
                *running, _units(report, t)]
