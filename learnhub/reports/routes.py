"""The yearly report pages: printable HTML, the .docx as filed, and the JSON of the same figures."""
from __future__ import annotations

import io

from flask import Blueprint, abort, jsonify, render_template, request, send_file
from flask_babel import get_locale
from flask_login import current_user

from learnhub.auth.models import Role
from learnhub.forms import options
from learnhub.numbers import query_date, query_id
from learnhub.orgs.services import unit_filter_choices
from learnhub.replica import reads_replica
from learnhub.reports import access
from learnhub.reports.document import header, tables
from learnhub.reports.docx_export import DOCX_TYPE, build_docx, docx_filename
from learnhub.reports.forms import YearReportForm
from learnhub.reports.sentences import summary
from learnhub.reports.yearly import YearlyReport, as_json, yearly_report
from learnhub.security import roles_required
from learnhub.settings import local_today

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _chosen() -> tuple[YearReportForm, YearlyReport | None]:
    """The form filled from the query (the first unit in scope and this year by default) and, when
    it is valid, the report as of ``?as_of=`` (today by default; a bad date answers 400); a unit
    outside the viewer's scope answers 404."""
    as_of = query_date("as_of")
    form = YearReportForm(request.args)
    choices = unit_filter_choices(current_user, query_id("unit"))
    form.unit.choices = options(choices)
    if "unit" not in request.args:
        if not choices:
            abort(404)
        form.unit.data = choices[0][0]
    if "year" not in request.args:
        form.year.data = local_today().year
    valid = form.validate()
    if form.unit.errors or form.unit.data is None:
        return form, None
    unit = access.get_report_unit_or_404(form.unit.data, current_user)
    return form, yearly_report(unit.id, form.year.data, as_of) if valid else None


@bp.get("/year")
@roles_required(Role.committee)
@reads_replica
def year():
    """The printable report with the form to choose another unit or year."""
    form, report = _chosen()
    if report is None:
        return render_template("reports/year.html", form=form, report=None), 400
    lang = "en" if str(get_locale()) == "en" else "vi"
    return render_template("reports/year.html", form=form, report=report, summary=summary(report, lang),
                           header=header(report, lang), tables=tables(report, lang))


@bp.get("/year.docx")
@roles_required(Role.committee)
@reads_replica
def year_docx():
    """The same report as the .docx it is filed as."""
    _form, report = _chosen()
    if report is None:
        abort(400)
    return send_file(io.BytesIO(build_docx(report)), mimetype=DOCX_TYPE, as_attachment=True,
                     download_name=docx_filename(report))


@bp.get("/year.json")
@roles_required(Role.committee)
@reads_replica
def year_json():
    """The same figures as JSON (the keys of `learnhub report year --format json`)."""
    _form, report = _chosen()
    if report is None:
        abort(400)
    return jsonify(as_json(report))
