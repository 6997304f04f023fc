"""The quiz's item analysis as a download: one row per question, in the site's language."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from learnhub.exports import Sheet
from learnhub.quizzes.analysis import ItemRow
from learnhub.settings import local_zone


def _rounded(value: float | None) -> float | None:
    return round(value, 3) if value is not None else None


def analysis_sheet(course_title: str, slug: str, items: Iterable[ItemRow], now: dt.datetime) -> Sheet:
    """Each question's answers, facility, discrimination, most chosen wrong option and warnings;
    filed as it is, so written in the site's language whoever downloads it."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        flags = {"too_easy": _("too easy"), "too_hard": _("too hard"), "negative": _("discriminates negatively")}
        return Sheet(
            filename=f"phan-tich-{slug}",
            headers=[_("Question no."), _("Question ID"), _("Text"), _("Answers"), _("Facility"), _("Discrimination"),
                     _("Most chosen wrong option"), _("Times chosen"), _("Warnings")],
            rows=[[r.position, r.qid, r.stem, r.answered, _rounded(r.facility), _rounded(r.discrimination),
                   r.top_wrong or "", r.top_wrong_count, ", ".join(flags.get(f, f) for f in r.flags)]
                  for r in items],
            title=[_("Item analysis: %(course)s", course=course_title),
                   _("Exported on %(time)s", time=f"{now.astimezone(local_zone()):%d/%m/%Y %H:%M}")],
        )
