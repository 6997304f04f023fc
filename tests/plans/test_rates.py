"""One study rate (learnhub.figures), printed one way in each language on every page, file and table,
and one time-zone setting for the calendar the rates are counted in."""
from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask_babel import force_locale

from learnhub.auth.models import Category, Role
from learnhub.extensions import db
from learnhub.figures import Rate, percent, pool
from learnhub.plans.formalism import Signal
from learnhub.plans.models import PlanStatus, StudyPlan
from learnhub.plans.services import set_status
from learnhub.plans.upkeep import fill_missing
from learnhub.settings import local_midnight
from tests.conftest import login
from tests.plans import test_completion
from tests.plans.test_completion import pass_quiz, report_for, study_all

org = test_completion.org  # the hand-built organisation of test_completion, as a fixture here


def test_a_rate_meets_its_target_from_the_target_up_and_has_none_without_a_roster() -> None:
    assert Rate(49, 50, 0.98).meets_target is True  # exactly 98%
    assert Rate(48, 50, 0.98).meets_target is False
    assert Rate(0, 0, 0.98).fraction is None and Rate(0, 0, 0.98).meets_target is None  # not 0%, not 100%
    assert Rate(3, 4).meets_target is None  # no target, nothing to judge


def test_pooling_weights_each_target_by_its_roster() -> None:
    pooled = pool([Rate(49, 50, 0.98), Rate(46, 50, 0.90), Rate(0, 0, 0.5)])
    assert (pooled.completed, pooled.roster) == (95, 100) and pooled.target == pytest.approx(0.94)
    assert pooled.meets_target  # the pooled rate reaches the pooled target although plan 2 missed its own
    assert pool([Rate(1, 2, 0.5), Rate(1, 2)]).target is None
    assert pool([]) == Rate(0, 0, None)


def test_percentages_and_numbers_follow_the_language(app: Flask) -> None:
    with app.app_context():
        with force_locale("vi"):
            assert (percent(0.975), percent(0.98), percent(Rate(1, 7)), percent(None)) == ("97,5%", "98%", "14,3%", "–")
        with force_locale("en"):
            assert percent(0.975) == "97.5%"


def test_a_signal_carries_its_display_in_the_reader_s_language(app: Flask) -> None:
    with app.app_context(), force_locale("vi"):
        assert Signal("rushed", 0.375, 0.30, True).shown == "37,5% bài học đọc quá nhanh; ngưỡng 30%"
        assert Signal("returned", 0.25, 0.20, True).shown == "25% bài thu hoạch bị trả lại; ngưỡng 20%"
        assert Signal("shallow", 5.5, 10.0, True).shown == "điểm trung bình cao hơn điểm đạt 5,5 điểm; ngưỡng 10 điểm"
        assert Signal("copied", 2.0, 0, True).shown == "2 cặp"
    with app.app_context(), force_locale("en"):
        assert Signal("rushed", 0.375, 0.30, True).shown == "37.5% of lessons studied too fast; threshold 30%"
        assert (Signal("copied", 1.0, 0, True).shown, Signal("copied", 2.0, 0, True).shown) == ("1 pair", "2 pairs")


@pytest.mark.parametrize(("margin", "vi", "en"), [
    (-10.0, "điểm trung bình thấp hơn điểm đạt 10 điểm; ngưỡng 10 điểm",
     "mean score 10 points below the pass score; threshold 10"),
    (2.5, "điểm trung bình cao hơn điểm đạt 2,5 điểm; ngưỡng 10 điểm",
     "mean score 2.5 points above the pass score; threshold 10"),
    (0.0, "điểm trung bình bằng điểm đạt; ngưỡng 10 điểm", "mean score equal to the pass score; threshold 10"),
])
def test_a_score_below_the_pass_score_reads_below_not_minus_above(app: Flask, margin: float, vi: str, en: str) -> None:
    with app.app_context():
        for lang, expected in (("vi", vi), ("en", en)):
            with force_locale(lang):
                shown = Signal("shallow", margin, 10.0, True).shown
                assert shown == expected and "-" not in shown


def test_the_dashboard_prints_the_rate_as_the_yearly_report_does(app: Flask, client, org: dict, make_user) -> None:
    with app.app_context():
        set_status(db.session.get(StudyPlan, org["plan"]), PlanStatus.open)
        db.session.commit()
    make_user(Role.admin, username="quantri", unit=org["town"], category=Category.citizen)
    login(client, "quantri")
    page = client.get(f"/plans/{org['plan']}?unit={org['town'].id}").get_data(as_text=True)
    assert "62,5%" in page and "62.5%" not in page  # 5 of 8, as the yearly report writes it
    assert "chỉ tiêu 98%" in page


def test_the_overview_judges_the_year_against_the_plans_targets(app: Flask, client, org: dict, make_user) -> None:
    """5 of 8 against a 50% target meets it: the panel is not marked below target (it was judged against 98%)."""
    with app.app_context():
        plan = db.session.get(StudyPlan, org["plan"])
        plan.target_rate = 0.5
        set_status(plan, PlanStatus.open)
        db.session.commit()
    make_user(Role.admin, username="quantri", unit=org["town"], category=Category.citizen)
    login(client, "quantri")
    page = client.get(f"/plans/overview?unit={org['town'].id}&year=2026").get_data(as_text=True)
    panel = page[page.index('<div class="lh-panel'):]
    assert panel.startswith('<div class="lh-panel">') and "62,5%" in panel[:200]


def test_the_cli_table_is_the_download_with_its_headers_and_byte_order_mark(app: Flask, org: dict) -> None:
    runner = app.test_cli_runner()
    csv = runner.invoke(args=["report", "completion", "--plan", str(org["plan"]), "--format", "csv"])
    assert csv.exit_code == 0, csv.output
    text = csv.stdout_bytes.decode("utf-8")
    assert text.startswith("\ufeffHọc tập Chỉ thị 05\r\n")
    assert "Đơn vị,Phải học,Đã hoàn thành,Hoàn thành đúng hạn,Tỷ lệ,Đạt chỉ tiêu\r\n" in text
    assert "Tổng cộng,8,5,4,0.625,Chưa đạt" in text
    table = runner.invoke(args=["report", "completion", "--plan", str(org["plan"])]).stdout
    assert "62,5%" in table.splitlines()[-1] and "Tổng cộng" in table


def test_one_time_zone_setting_decides_what_is_on_time(app: Flask, org: dict, monkeypatch) -> None:
    """Completed at 20:00 UTC on the due date: 03:00 the next day in Hanoi (late), still the due date in UTC."""
    evening = dt.datetime(2026, 6, 30, 20, 0, tzinfo=dt.UTC)
    with app.app_context():
        study_all(org["people"]["b_none"].id, evening)
        pass_quiz(org["people"]["b_none"].id, evening)
        db.session.commit()
        assert report_for(org).total.on_time == 4
        assert local_midnight(dt.date(2026, 7, 1)) == dt.datetime(2026, 6, 30, 17, 0, tzinfo=dt.UTC)
        monkeypatch.setitem(app.config, "TIMEZONE", "UTC")
        # The kept figures counted "on time" in Hanoi's time: `figures check` says so, and the
        # next `db upgrade` (run with every deployment) recounts them.
        checked = app.test_cli_runner().invoke(args=["figures", "check", "--format", "json"])
        assert checked.exit_code == 1 and '"on_time": false' in checked.stdout
        assert fill_missing() == 1
        db.session.commit()
        assert report_for(org).total.on_time == 5
        assert fill_missing() == 0
        assert local_midnight(dt.date(2026, 7, 1)) == dt.datetime(2026, 7, 1, 0, 0, tzinfo=dt.UTC)
