"""The Markdown of docs/performance.md's results from a run's JSON: the machine, the summary table,
the load figures, how each cost grows from the smallest to the largest size, and each target
checked against the figures.

    .venv/bin/python -m benchmarks.report benchmarks/results/latest.json
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from benchmarks import targets as issue_targets
from benchmarks.run import backups, table

DASHBOARD_RATIO, ROOT_MS, CELL_MS = 1.5, 1000, 100
PAGE_SHARE, SUBMIT_SHARE, RSS_MB, IMPORT_S = 0.5, 0.3, 150, 60


def machine(report: dict[str, Any]) -> str:
    m = report["machine"]
    return (f"Run on {m['when']}: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, {m['platform']}, "
            f"Python {m['python']}, SQLite {m['sqlite']}, PostgreSQL on the same machine. gunicorn's "
            f"{report['arguments']['workers']} workers on core 1, the load generator on core 0.")


def load_detail(results: list[dict[str, Any]]) -> str:
    lines = ["| database | members | target | requests/s | ÷ trivial | p50 ms | p95 ms | p99 ms | errors "
             "| workers' CPU ms/request |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        for t in r["load"]["targets"]:
            lines.append(f"| {r['database']} | {r['members']:,} | {t['target']} | {t['throughput_per_s']} "
                         f"| {t['ratio_to_trivial']:.2f} | {t['p50_ms']} | {t['p95_ms']} | {t['p99_ms']} "
                         f"| {t['errors']} | {t['worker_cpu_ms_per_request']} |")
    return "\n".join(lines)


def files_detail(results: list[dict[str, Any]]) -> str:
    lines = ["| database | members | database MB | generate s | export | s | peak MB | member import |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        imported = r.get("import")
        run = [r["database"], f"{r['members']:,}", str(r["database_mb"]), str(r["generate_seconds"])]
        if not r["exports"]:
            lines.append("| " + " | ".join(run + ["skipped (" + "; ".join(r.get("skipped", [])) + ")", "", "", ""]) + " |")
        for name, e in r["exports"].items():
            first = name == next(iter(r["exports"]))
            import_cell = f"{imported['seconds']} s, peak {imported['peak_rss_mb']} MB" if first and imported else ""
            lines.append("| " + " | ".join((run if first else [""] * 4)
                                           + [name, str(e["seconds"]), str(e["peak_rss_mb"]), import_cell]) + " |")
    return "\n".join(lines)


def growth(results: list[dict[str, Any]]) -> str:
    lines = ["| database | cost | " + " | ".join(f"{r['members']:,}" for r in results if r["database"] == results[0]["database"])
             + " | ×, smallest to largest |", "|---|---|" + "---|" * (1 + sum(r["database"] == results[0]["database"]
                                                                           for r in results))]
    for kind in dict.fromkeys(r["database"] for r in results):
        runs = [r for r in results if r["database"] == kind]
        rows = {
            "root dashboard ms": [_page(r, "dashboard (root)")["page_ms"] for r in runs],
            "root dashboard SQL ms": [_page(r, "dashboard (root)")["sql_ms"] for r in runs],
            "cell dashboard ms": [_page(r, "dashboard (cell)")["page_ms"] for r in runs],
            "yearly report ms": [_page(r, "yearly report (root)")["page_ms"] for r in runs],
            "queries, root dashboard": [_page(r, "dashboard (root)")["queries"] for r in runs],
            "home page, requests/s": [_target(r, "home")["throughput_per_s"] for r in runs],
            "quiz submission, requests/s": [_target(r, "quiz submission")["throughput_per_s"] for r in runs],
            "database MB": [r["database_mb"] for r in runs],
        }
        for name, values in rows.items():
            factor = values[-1] / values[0] if values[0] else float("nan")
            lines.append(f"| {kind} | {name} | " + " | ".join(f"{v:,.0f}" if v >= 10 else f"{v:.1f}" for v in values)
                         + f" | ×{factor:.1f} |")
    return "\n".join(lines)


def targets(results: list[dict[str, Any]]) -> str:
    """Each target, met or missed, with the figure that decides it."""
    checks: list[tuple[str, bool, str]] = []
    for r in results:
        where = f"{r['database']}, {r['members']:,}"
        root, cell = _page(r, "dashboard (root)"), _page(r, "dashboard (cell)")
        checks.append((f"dashboard within {DASHBOARD_RATIO}× its SQL ({where})",
                       root["ratio"] <= DASHBOARD_RATIO and cell["ratio"] <= DASHBOARD_RATIO,
                       f"root ×{root['ratio']:.2f}, cell ×{cell['ratio']:.2f}"))
        home, lesson, quiz = (_target(r, t)["ratio_to_trivial"] for t in ("home", "lesson", "quiz page"))
        checks.append((f"member pages ≥ {PAGE_SHARE:.0%} of the trivial route ({where})",
                       min(home, lesson, quiz) >= PAGE_SHARE, f"home {home:.2f}, lesson {lesson:.2f}, quiz {quiz:.2f}"))
        submit = _target(r, "quiz submission")["ratio_to_trivial"]
        checks.append((f"submission ≥ {SUBMIT_SHARE:.0%} of the trivial route ({where})", submit >= SUBMIT_SHARE,
                       f"{submit:.2f}"))
        errors = sum(t["errors"] for t in r["load"]["targets"]) + r["load"]["server_tracebacks"]
        lost = r["load"]["submissions"]["sent"] - r["load"]["submissions"]["accepted"]
        checks.append((f"no errors, no lost submission ({where})", errors == 0 and lost == 0,
                       f"{errors} errors, {lost} lost of {r['load']['submissions']['sent']}"))
        rss = max(m for m in r["load"]["worker_peak_rss_mb"] if m)
        checks.append((f"worker RSS < {RSS_MB} MB ({where})", rss < RSS_MB, f"{rss:.0f} MB"))
        if r["members"] == max(x["members"] for x in results):
            kept = _page(r, "dashboard (root, kept)")
            checks.append((f"root dashboard < {ROOT_MS} ms ({where})", root["page_ms"] < ROOT_MS,
                           f"{root['page_ms']:.0f} ms computed" + (f", {kept['page_ms']:.0f} ms kept" if kept else "")))
            checks.append((f"cell dashboard < {CELL_MS} ms ({where})", cell["page_ms"] < CELL_MS, f"{cell['page_ms']:.0f} ms"))
        if r.get("import"):
            checks.append((f"{r['import']['rows']:,}-row import < {IMPORT_S} s, bounded memory ({r['database']})",
                           r["import"]["seconds"] < IMPORT_S and r["import"]["exit"] == 0,
                           f"{r['import']['seconds']} s, peak {r['import']['peak_rss_mb']} MB"))
    for kind in dict.fromkeys(r["database"] for r in results):
        counts = {_page(r, "dashboard (root)")["queries"] for r in results if r["database"] == kind}
        checks.append((f"queries per dashboard constant in N ({kind})", len(counts) == 1, f"{sorted(counts)}"))
    lines = ["| target | met | figure |", "|---|---|---|"]
    lines += [f"| {name} | {'yes' if ok else '**no**'} | {figure} |" for name, ok, figure in checks]
    return "\n".join(lines)


def _page(run: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((p for p in run["pages"] if p["page"] == name), None)


def _target(run: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in run["load"]["targets"] if t["target"] == name)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1 or not Path(args[0]).is_file():
        print("usage: python -m benchmarks.report RESULTS.json", file=sys.stderr)
        return 2
    report = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    results = report["results"]
    for title, body in (("machine", machine(report)), ("table", table(results)), ("load", load_detail(results)),
                        ("files", files_detail(results)), ("growth", growth(results)),
                        ("targets", targets(results)), ("issue 20 targets", issue_targets.table(results)),
                        ("backup", backups(results))):
        print(f"<!-- {title} -->\n{body}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
