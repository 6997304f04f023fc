"""The evaluation's and the propagandists' roster's downloads as tables (``Sheet``).

They are filed as they are, so they are written in the site's language (Vietnamese) whoever
downloads them, with the names the pages use for marks, signals, conclusions and roles.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import gettext as _

from learnhub.exports import Sheet
from learnhub.figures import percent_cell
from learnhub.inspections.evaluation import UnitEvaluation
from learnhub.inspections.forms import CONCLUSIONS, MARKS
from learnhub.inspections.levels import LEVELS
from learnhub.inspections.models import Conclusion
from learnhub.inspections.team import TeamMember
from learnhub.labels import ROLES, SIGNAL_LABELS
from learnhub.orgs.models import Unit
from learnhub.plans.downloads import site_language
from learnhub.settings import level_thresholds, local_zone


def evaluation_sheet(unit: Unit, year: int, rows: Sequence[UnitEvaluation]) -> Sheet:
    """The year's evaluation of the units under ``unit``: one row per unit with its figures, proposed and
    decided levels (with their reasons) and mark."""
    with site_language():
        thresholds = level_thresholds()
        proposals = [row.propose(thresholds) for row in rows]  # the reasons in the site's language
        return Sheet(
            filename=f"danh-gia-{unit.id}-{year}",
            headers=[_("Unit"), _("Completed"), _("Must study"), _("Study rate"), _("Target"),
                     _("Mean best score (%)"), _("First-attempt pass rate"), _("Conferences organised"),
                     _("Invitations to conferences"), _("Attendances at conferences"),
                     _("Conference attendance rate"), _("Signs of formal study"),
                     *[_("Inspections: %(conclusion)s", conclusion=str(CONCLUSIONS[c]).lower()) for c in Conclusion],
                     _("Proposed level"), _("Reasons for the proposal"), _("Level decided"),
                     _("Reason for the decision"), _("Evaluation")],
            rows=[[row.name, row.completed, row.required, percent_cell(row.rate), percent_cell(row.target),
                   row.mean_best, percent_cell(row.first_attempt_pass_rate), row.conferences_held, row.invited,
                   row.present, percent_cell(row.attendance_rate),
                   "; ".join(f"{SIGNAL_LABELS.get(s.name, s.name)} ({s.plan_title})" for s in row.signals),
                   *[row.inspections.get(c, 0) for c in Conclusion],
                   str(LEVELS[proposal.level]) if proposal else "",
                   " ".join(proposal.reasons) if proposal else "",
                   str(LEVELS[row.decision.level]) if row.decision else "",
                   row.decision.reason if row.decision else "", str(MARKS[row.mark])]
                  for row, proposal in zip(rows, proposals, strict=True)],
            title=[_("Evaluation of study results, %(year)d", year=year), unit.name],
        )


def propagandists_sheet(team: Sequence[TeamMember], paths: Mapping[int, str]) -> Sheet:
    """The presenters and propagandists with their training, conferences presented and answers."""
    with site_language():
        return Sheet(
            filename="doi-ngu-tuyen-truyen-vien",
            headers=[_("No."), _("Full name"), _("Unit"), _("Role"), _("Training modules completed"),
                     _("Number of conferences presented"), _("Conferences presented"), _("Number of answers"),
                     _("Chosen as the answer")],
            rows=[[number, m.full_name, paths[m.unit_id], str(ROLES[m.role]), "; ".join(m.trainings),
                   len(m.presented),
                   "; ".join(f"{p.title} ({p.starts_at.astimezone(local_zone()):%d/%m/%Y})" for p in m.presented),
                   m.answers, m.accepted]
                  for number, m in enumerate(team, start=1)],
            title=[_("Presenters and propagandists")],
        )
