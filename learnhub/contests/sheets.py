"""The prize committee's download: a round's full results, with what it needs to reach winners."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from learnhub.contests.labels import ENTRANT_KINDS
from learnhub.contests.models import Contest, ContestEntry, ContestRound
from learnhub.contests.results import ranking
from learnhub.exports import Sheet
from learnhub.extensions import db


def results_sheet(contest: Contest, contest_round: ContestRound) -> Sheet:
    """Every submitted entry of the round in rank order (phones included: for the committee only)."""
    lines = ranking(contest, contest_round)
    people = {row.id: row for row in db.session.execute(
        sa.select(ContestEntry.id, ContestEntry.phone, ContestEntry.birth_year)
        .where(ContestEntry.round_id == contest_round.id, ContestEntry.submitted_at.is_not(None)))}
    headers = [_("Rank"), _("Full name"), _("Year of birth"), _("Phone"), _("Category"), _("Unit"),
               _("Organisation"), _("Score"), _("Prediction"), _("Distance"), _("Seconds"), _("Submitted at"),
               _("Prize")]
    rows: list[list[object]] = [
        [line.rank, line.name, people[line.entry_id].birth_year, people[line.entry_id].phone,
         str(ENTRANT_KINDS[line.kind]), line.unit, line.organisation, line.score, line.prediction, line.distance,
         line.seconds, line.submitted_at, line.prize or ""]
        for line in lines
    ]
    title = [contest.title, _("Round %(n)d", n=contest_round.number), contest.organiser]
    return Sheet(filename=f"contest-{contest.id}-round-{contest_round.number}", headers=headers, rows=rows,
                 title=title)
