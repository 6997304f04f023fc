"""A plan's downloads as tables: the completion by unit and the members not yet completed.

The dashboard's downloads and `learnhub report completion` write the same tables. They are filed
as they are, so they are written in the site's language (Vietnamese), whoever downloads them;
rates are numbers (``Percent``), shown as percentages by the spreadsheet.
"""
from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from learnhub.exports import Sheet
from learnhub.figures import percent, percent_cell
from learnhub.orgs.models import Unit
from learnhub.plans.completion import CompletionReport
from learnhub.plans.missing import MissingMember
from learnhub.plans.models import StudyPlan
from learnhub.plans.steps import describe


def site_language() -> AbstractContextManager[None]:
    """Write in the site's language (what is filed or stored is read later by someone else)."""
    return force_locale(current_app.config["BABEL_DEFAULT_LOCALE"])


def completion_sheet(report: CompletionReport) -> Sheet:
    """The plan's figures for the unit: one row per direct sub-unit, then the total."""
    plan, unit = report.plan, report.unit
    with site_language():
        verdict = {True: _("Met"), False: _("Not met"), None: ""}
        sheet = Sheet(
            filename=f"ke-hoach-{plan.id}",
            headers=[_("Unit"), _("Must study"), _("Completed"), _("Completed on time"), _("Rate"),
                     _("Meets the target")],
            title=[plan.title, _("%(unit)s · due %(date)s · target %(target)s", unit=unit.name,
                                 date=f"{plan.due_on:%d/%m/%Y}", target=percent(plan.target_rate))],
        )
        for name, figures in [*((u.name, u) for u in report.units), (_("Total"), report.total)]:
            sheet.rows.append([name, figures.required, figures.completed, figures.on_time, percent_cell(figures),
                               verdict[figures.meets_target]])
    return sheet


def missing_sheet(plan: StudyPlan, unit: Unit, members: list[MissingMember], paths: Mapping[int, str]) -> Sheet:
    """The members not yet completed, per unit, with what each still has to do: the list a cell
    secretary takes to the next cell meeting."""
    with site_language():
        return Sheet(
            filename=f"chua-hoan-thanh-{plan.id}",
            headers=[_("No."), _("Full name"), _("Unit"), _("Still to do")],
            rows=[[number, m.full_name, paths[m.unit_id], describe(m.steps)]
                  for number, m in enumerate(members, start=1)],
            title=[plan.title, _("Not yet completed · %(unit)s · due %(date)s", unit=unit.name,
                                 date=f"{plan.due_on:%d/%m/%Y}")],
        )
