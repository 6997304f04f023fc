"""The yearly evaluation of units, the view over the term, and the propagandists' roster, with downloads."""
from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from learnhub.auth.models import Role
from learnhub.exports import FORMATS, table_response
from learnhub.figures import percent_cell
from learnhub.inspections import bp
from learnhub.inspections.evaluation import (
    Mark,
    UnitEvaluation,
    evaluate_units,
    evaluate_years,
    term_years,
)
from learnhub.inspections.models import Conclusion
from learnhub.inspections.team import propagandist_roster
from learnhub.numbers import query_id, query_year
from learnhub.orgs.access import get_chosen_unit_or_404
from learnhub.orgs.models import Unit
from learnhub.orgs.services import unit_paths, units_in_scope
from learnhub.plans.member_plans import local_today
from learnhub.security import roles_required
from learnhub.settings import get_setting, local_zone

# Downloads are filed as they are: Vietnamese headers, as in the plans' downloads.
MARKS_VI = {Mark.praise: "Biểu dương", Mark.criticise: "Phê bình", Mark.neither: "", Mark.no_plan: "Không có kế hoạch"}
SIGNALS_VI = {"rushed": "đọc lướt", "guessing": "làm bài đoán mò", "shallow": "nắm chưa chắc",
              "copied": "thu hoạch sao chép", "returned": "thu hoạch bị trả lại"}
ROLES_VI = {Role.member: "Thành viên", Role.propagandist: "Tuyên truyền viên", Role.committee: "Cấp ủy viên",
            Role.admin: "Quản trị"}


def _unit_and_year() -> tuple[Unit, int]:
    """The unit asked for (in the viewer's scope, 404 otherwise; their first unit by default) and the year."""
    unit_id = query_id("unit")
    year = query_year() or local_today().year
    if not 1945 <= year <= 2100:
        abort(400)
    return get_chosen_unit_or_404(unit_id, current_user), year


@bp.get("/evaluation")
@roles_required(Role.committee)
def evaluation():
    unit, year = _unit_and_year()
    rows = evaluate_units(unit.id, year)
    return render_template("inspections/evaluation.html", unit=unit, year=year, rows=rows,
                           unit_choices=units_in_scope(current_user))


def _evaluation_row(row: UnitEvaluation) -> list[object]:
    return [
        row.name, row.completed, row.required, percent_cell(row.rate), percent_cell(row.target), row.mean_best,
        percent_cell(row.first_attempt_pass_rate), row.conferences_held, row.invited, row.present,
        percent_cell(row.attendance_rate),
        "; ".join(f"{SIGNALS_VI.get(s.name, s.name)} ({s.plan_title})" for s in row.signals),
        *[row.inspections.get(c, 0) for c in Conclusion], MARKS_VI[row.mark],
    ]


@bp.get("/evaluation.<fmt>")
@roles_required(Role.committee)
def evaluation_export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    unit, year = _unit_and_year()
    headers = ["Đơn vị", "Đã hoàn thành", "Phải học", "Tỷ lệ học tập", "Chỉ tiêu", "Điểm cao nhất bình quân (%)",
               "Tỷ lệ đạt ngay lần đầu", "Hội nghị đã tổ chức", "Lượt được mời dự hội nghị", "Lượt có mặt",
               "Tỷ lệ dự hội nghị", "Dấu hiệu hình thức", "Kiểm tra: biểu dương", "Kiểm tra: nhắc nhở",
               "Kiểm tra: phê bình", "Đánh giá"]
    rows = [_evaluation_row(row) for row in evaluate_units(unit.id, year)]
    title = [f"Đánh giá kết quả học tập, quán triệt năm {year}", unit.name]
    return table_response(fmt, f"danh-gia-{unit.id}-{year}", headers, rows, title=title)


@bp.get("/term")
@roles_required(Role.committee)
def term():
    unit, _year = _unit_and_year()
    start = int(get_setting("term_start_year"))
    years = term_years(start, local_today())
    by_year = evaluate_years(unit.id, years)
    units = by_year[years[0]] if years else []
    cells = {(row.unit_id, year): row for year, rows in by_year.items() for row in rows}
    return render_template("inspections/term.html", unit=unit, start=start, years=years, units=units, cells=cells,
                           unit_choices=units_in_scope(current_user))


@bp.get("/propagandists")
@roles_required(Role.committee)
def propagandists():
    return render_template("inspections/propagandists.html", team=propagandist_roster(current_user),
                           paths=unit_paths())


@bp.get("/propagandists.<fmt>")
@roles_required(Role.committee)
def propagandists_export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    paths = unit_paths()
    headers = ["STT", "Họ và tên", "Đơn vị", "Vai trò", "Học phần tập huấn đã hoàn thành", "Số hội nghị đã trình bày",
               "Hội nghị đã trình bày", "Số câu trả lời", "Được chọn là câu trả lời"]
    rows = [[number, m.full_name, paths[m.unit_id], ROLES_VI[m.role], "; ".join(m.trainings), len(m.presented),
             "; ".join(f"{p.title} ({p.starts_at.astimezone(local_zone()):%d/%m/%Y})" for p in m.presented),
             m.answers, m.accepted]
            for number, m in enumerate(propagandist_roster(current_user), start=1)]
    return table_response(fmt, "doi-ngu-tuyen-truyen-vien", headers, rows,
                          title=["Đội ngũ báo cáo viên, tuyên truyền viên"])
