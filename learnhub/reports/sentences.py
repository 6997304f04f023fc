"""The yearly report's opening paragraph, written like the seed's sentences, in Vietnamese (as filed)
or English (for the English interface): gettext messages written under ``force_locale``, with
numbers and percentages printed by ``learnhub.figures``."""
from __future__ import annotations

from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _

from learnhub.figures import number as _number
from learnhub.figures import percent as _percent
from learnhub.reports.yearly import FORMS, YearlyReport


def number(value: int, lang: str | None = None) -> str:
    """2.438 in Vietnamese, 2,438 in English (the current language when ``lang`` is None)."""
    return _number(value, locale=lang)


def count(value: int, lang: str | None = None) -> str:
    """A count in running text: the Vietnamese write counts below ten on two digits ("08")."""
    if (lang or str(get_locale() or "vi")) == "vi" and 0 <= value < 10:
        return f"{value:02d}"
    return number(value, lang)


def percent(rate: float | None, lang: str | None = None) -> str:
    """98% or 97,5% (97.5% in English), one decimal at most, as the dashboards round; "–" for no rate."""
    return _percent(rate, lang)


def form_name(form: str) -> str:
    """A conference form in running text ("trực tiếp" / "in person")."""
    return {"in_person": _("in person"), "online": _("online"), "hybrid": _("hybrid")}[form]


def _conferences(report: YearlyReport) -> str:
    """"đã tổ chức được 03 hội nghị trực tiếp", or the split by form in brackets, with who took part."""
    held = [(form, report.conferences_by_form.get(form, 0)) for form in FORMS]
    held = [(form, n) for form, n in held if n]
    n = count(report.conferences)
    if len(held) == 1 and held[0][1] == report.conferences:
        text = ngettext("held %(n)s %(form)s study conference", "held %(n)s %(form)s study conferences",
                        report.conferences, n=n, form=form_name(held[0][0]))
    else:
        parts = ", ".join(f"{count(k)} {form_name(form)}" for form, k in held)
        text = _("held %(n)s study conferences (%(parts)s)", n=n, parts=parts)
    if report.participants:
        return _("%(conferences)s, attended by %(n)s party members and non-party civil servants",
                 conferences=text, n=count(report.participants))
    return _("%(conferences)s (no party member or civil servant recorded as present)", conferences=text)


def _outreach(report: YearlyReport) -> str:
    if not report.outreach:
        return _("recorded no outreach to citizens")
    values = (report.conference_citizens, report.outreach_sessions, report.public_visits, report.contest_entries)
    labels = (_("%(n)s at conferences"), _("%(n)s at outreach sessions of the Fatherland Front and mass organisations"),
              _("%(n)s visits to the public study pages"), _("%(n)s entries in online contests"))
    parts = [label % {"n": number(n)} for n, label in zip(values, labels, strict=True) if n]
    if len(parts) < 2:
        return _("reached %(n)s citizen attendances and visits in its area", n=count(report.outreach))
    return _("reached %(n)s citizen attendances and visits in its area (%(parts)s)", n=count(report.outreach),
             parts=", ".join(parts))


def plan_name(plan) -> str:
    """A plan in running text: its title, with its number in brackets when it has one."""
    return f"{plan.title} ({plan.number})" if plan.number else plan.title


def day(value) -> str:
    """A date as the documents write it, 31/12/2026."""
    return value.strftime("%d/%m/%Y")


def _study(report: YearlyReport) -> str:
    plans = len(report.plans)
    names = "; ".join(plan_name(p) for p in report.plans)
    if report.headline.roster:
        text = ngettext(
            "; the study rate among cadres, party members, civil servants and public employees was %(rate)s "
            "(%(completed)s of %(roster)s required), counting the %(plans)s plan of the year closed or past "
            "due on %(as_of)s: %(names)s.",
            "; the study rate among cadres, party members, civil servants and public employees was %(rate)s "
            "(%(completed)s of %(roster)s required), counting the %(plans)s plans of the year closed or past "
            "due on %(as_of)s: %(names)s.",
            plans, rate=percent(report.headline_rate), completed=number(report.headline.completed),
            roster=number(report.headline.roster), plans=count(plans), as_of=day(report.as_of), names=names)
    elif plans:
        text = _("; the plans of the year closed or past due on %(as_of)s (%(names)s) required no party member "
                 "or civil servant to study.", as_of=day(report.as_of), names=names)
    else:
        text = _("; no study plan of the year was closed or past due on %(as_of)s.", as_of=day(report.as_of))
    if report.citizens.roster:
        text += " " + _("The study rate among citizens under the plans was %(rate)s (%(completed)s of %(roster)s).",
                        rate=percent(report.citizens.rate), completed=number(report.citizens.completed),
                        roster=number(report.citizens.roster))
    if report.running:
        running = "; ".join(_("%(plan)s, %(rate)s so far", plan=plan_name(p), rate=percent(p.rate))
                            for p in report.running)
        text += " " + ngettext("%(n)s plan is still running and is not counted: %(names)s.",
                               "%(n)s plans are still running and are not counted: %(names)s.",
                               len(report.running), n=count(len(report.running)), names=running)
    return text


def _uniform_target(report: YearlyReport) -> float | None:
    targets = {p.target for p in report.plans}
    return targets.pop() if len(targets) == 1 else None


def _units(report: YearlyReport) -> str:
    lagging = report.lagging_units
    target = _uniform_target(report)
    if lagging:
        names = ", ".join(f"{u.name} ({percent(u.rate)})" for u in lagging)
        goal = _("the %(target)s target", target=percent(target)) if target is not None else _("target")
        return " " + ngettext("%(n)s unit below %(goal)s: %(names)s.", "%(n)s units below %(goal)s: %(names)s.",
                              len(lagging), n=count(len(lagging)), goal=goal, names=names)
    if any(u.rate is not None for u in report.units if not u.own_members):
        goal = _("the %(target)s target", target=percent(target)) if target is not None else _("its target")
        return " " + _("Every sub-unit with members to study met %(goal)s.", goal=goal)
    return ""


def _paragraph(report: YearlyReport) -> str:
    if report.conferences and report.outreach:
        done = _("%(conferences)s, and %(outreach)s", conferences=_conferences(report), outreach=_outreach(report))
    elif report.conferences:
        done = _("%(conferences)s, and %(no_outreach)s", conferences=_conferences(report),
                 no_outreach=_outreach(report))
    elif report.outreach:
        done = _("held no study conference, but %(outreach)s", outreach=_outreach(report))
    else:
        done = _("held no study conference, and %(outreach)s", outreach=_outreach(report))
    opening = _("In %(year)s, %(unit)s %(done)s", year=report.year, unit=report.unit_name, done=done)
    return opening + _study(report) + _units(report)


def summary(report: YearlyReport, lang: str = "vi") -> str:
    """The opening paragraph: conferences, participants, outreach, the study rate and the lagging units."""
    with force_locale(lang):
        return _paragraph(report)
