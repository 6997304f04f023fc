"""The benchmark runner, at 1,000 members with a handful of requests, keeps working on either
database. Only the harness is checked here; the figures themselves are never asserted as timings."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from benchmarks.run import main

pytestmark = pytest.mark.xdist_group("load")  # gunicorn under load: never beside the load tests


def _databases() -> list[str]:
    base = os.environ.get("LEARNHUB_TEST_DATABASE_URL")
    if base:
        return ["--databases", "postgresql", "--postgres-url", base, "--backup"]
    return ["--databases", "sqlite"]


def test_a_small_run_measures_every_figure_and_loses_nothing(tmp_path: Path, capsys) -> None:
    out = tmp_path / "bench.json"
    assert main(["--members", "1000", *_databases(), "--requests", "30", "--sitters", "12", "--concurrency", "4",
                 "--workers", "2", "--repeat", "1", "--import-rows", "300", "--out", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["machine"]["cores"] >= 1
    [run] = report["results"]
    assert run["members"] == 1000 and run["generate_seconds"] > 0
    pages = {p["page"]: p for p in run["pages"]}
    assert set(pages) == {"dashboard (root)", "dashboard (cell)", "yearly report (root)"}
    assert all(p["page_ms"] > 0 and p["sql_ms"] > 0 and p["queries"] > 0 for p in pages.values())
    # The hand-written SQL computes the same numbers as the page: the ratio compares like with like.
    for name in ("dashboard (root)", "dashboard (cell)"):
        assert run["checks"][name]["page"] == run["checks"][name]["sql"], name
    assert run["checks"]["dashboard (root)"]["page"][0] > run["checks"]["dashboard (cell)"]["page"][0] > 0
    load = run["load"]
    targets = {t["target"]: t for t in load["targets"]}
    assert list(targets) == ["trivial route", "home", "lesson", "quiz page", "quiz submission"]
    assert all(t["errors"] == 0 and t["throughput_per_s"] > 0 and t["p99_ms"] >= t["p50_ms"] for t in targets.values())
    assert targets["trivial route"]["ratio_to_trivial"] == 1.0
    assert load["submissions"]["sent"] == load["submissions"]["accepted"] == 12  # none lost
    assert len(set(load["submissions"]["attempts"])) == 12  # none duplicated
    assert load["server_tracebacks"] == 0
    assert len(load["worker_peak_rss_mb"]) == 2 and all(m and m > 10 for m in load["worker_peak_rss_mb"])
    assert all(e["exit"] == 0 and e["peak_rss_mb"] > 0 for e in run["exports"].values())
    assert "bytes" in run["exports"]["not completed .xlsx"]["stdout"]
    assert run["import"]["exit"] == 0 and "300 new" in run["import"]["stderr"]
    # Issue 20: each step of the generation timed, the statements of each member page counted.
    assert run["generate"]["members"] == 1000 and run["generate"]["steps"]["lesson progress"] >= 0
    assert set(run["member_page_statements"]) == {"home", "lesson", "quiz page"}
    assert all(count > 0 for count in run["member_page_statements"].values())
    if run["database"] == "postgresql":  # pg_dump and pg_restore of the generated database
        assert run["backup"]["dump_mb"] > 0 and run["backup"]["restored_mb"] > 0
        assert run["backup"]["dump_seconds"] > 0 and run["backup"]["restore_seconds"] > 0
    table = capsys.readouterr().out
    assert "| database | members |" in table and "| 1,000 |" in table
    assert "## Targets" in table and "SQL statements per member page (" in table
    assert "| bench generate ≤ 15 min (postgresql, 1,000,000) | not measured |" in table
    # The report for docs/performance.md reads the same file: every target is judged, none silently left out.
    from benchmarks.report import main as report

    assert report([str(out)]) == 0
    markdown = capsys.readouterr().out
    assert "<!-- targets -->" in markdown and "| no errors, no lost submission (" in markdown
    assert "| 100,000-row import < 60 s" not in markdown  # only 300 rows here
    assert "| queries per dashboard constant in N" in markdown


def test_the_generated_database_is_removed_afterwards(tmp_path: Path) -> None:
    """A run leaves no database behind (a province-sized one takes gigabytes)."""
    from benchmarks.run import database

    kind = "postgresql" if os.environ.get("LEARNHUB_TEST_DATABASE_URL") else "sqlite"
    base = os.environ.get("LEARNHUB_TEST_DATABASE_URL", "")
    with database(kind, tmp_path, 5, base) as url:
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE probe (id INTEGER)"))
        engine.dispose()
    if kind == "sqlite":
        assert list(tmp_path.iterdir()) == []
    else:
        admin = sa.create_engine(sa.make_url(base).set(database="postgres"))
        with admin.connect() as connection:
            name = sa.make_url(url).database
            assert connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None
        admin.dispose()


def test_bad_arguments_exit_with_a_one_line_reason(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--members", "ten"])
    assert exit_info.value.code == 2
    assert "--members: not a list of numbers" in capsys.readouterr().err


def test_the_import_memory_benchmark_refuses_its_zip_bomb(tmp_path: Path, capsys) -> None:
    """The harness of benchmarks/import_memory.py, small: the bomb is refused, the real file imports."""
    from benchmarks.import_memory import main as import_memory

    out = tmp_path / "import-memory.json"
    assert import_memory(["--rows", "50", "--bomb-mb", "8", "--out", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    runs = report["runs"]
    assert report["bomb_file_mb"] < 0.1 and report["bomb_unpacked_mb"] == 8
    assert runs["zip bomb, checked (today)"]["exit"] == 1
    assert "unpacks to far more than its own size" in runs["zip bomb, checked (today)"]["stderr"]
    assert runs["zip bomb, straight to openpyxl (before)"]["stdout"] == "read 2 rows"
    assert "imported: 50 new" in runs["50-row workbook"]["stderr"]
    assert all(run["peak_rss_mb"] > 0 for run in runs.values())
    assert "| zip bomb, checked (today) | 1 |" in capsys.readouterr().out
