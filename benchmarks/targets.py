"""Issue 20's targets, each judged from one run's figures: met, missed (with the figure), or not
measured in this run (its size or database was not part of it)."""
from __future__ import annotations

from typing import Any

ROOT_MS = {100_000: 300, 1_000_000: 1000}  # the top unit's dashboard, computed, by members
ROOT_AT_100K_DATABASES = ("sqlite", "postgresql")
CELL_MS_AT_1M = 50
YEARLY_MS_AT_1M = 2000
CPU_MS = {"home": 6, "lesson": 4, "quiz submission": 8}  # the workers' CPU per request
STATEMENTS_PER_PAGE = 6  # SQL statements per member page, the sign-in excluded
GENERATE_S_AT_1M = 15 * 60
MILLION = 1_000_000


def _page(run: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((p for p in run.get("pages", []) if p["page"] == name), None)


def _load(run: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((t for t in (run.get("load") or {}).get("targets", []) if t["target"] == name), None)


def checks(results: list[dict[str, Any]]) -> list[tuple[str, bool | None, str]]:
    """(target, met — None when not measured —, the deciding figure), in the issue's order."""
    found: list[tuple[str, bool | None, str]] = []
    by = {(r["database"], r["members"]): r for r in results}

    def page_target(label: str, kind: str, members: int, page: str, limit: float) -> None:
        run = by.get((kind, members))
        figure = _page(run, page) if run else None
        if figure is None:
            found.append((label, None, "not measured in this run"))
        else:
            found.append((label, figure["page_ms"] <= limit, f"{figure['page_ms']:,.0f} ms"))

    for kind in ROOT_AT_100K_DATABASES:
        page_target(f"top dashboard computed ≤ {ROOT_MS[100_000]} ms ({kind}, 100,000)", kind, 100_000,
                    "dashboard (root)", ROOT_MS[100_000])
    page_target(f"top dashboard computed ≤ {ROOT_MS[MILLION] / 1000:.0f} s (postgresql, 1,000,000)", "postgresql",
                MILLION, "dashboard (root)", ROOT_MS[MILLION])
    page_target(f"cell dashboard ≤ {CELL_MS_AT_1M} ms (postgresql, 1,000,000)", "postgresql", MILLION,
                "dashboard (cell)", CELL_MS_AT_1M)
    page_target(f"top yearly report ≤ {YEARLY_MS_AT_1M / 1000:.0f} s (postgresql, 1,000,000)", "postgresql", MILLION,
                "yearly report (root)", YEARLY_MS_AT_1M)
    for r in results:
        where = f"{r['database']}, {r['members']:,}"
        cpu = {name: _load(r, name) for name in CPU_MS}
        if any(v is None for v in cpu.values()):
            found.append((f"workers' CPU per request ({where})", None, "not measured in this run"))
        else:
            met = all(cpu[name]["worker_cpu_ms_per_request"] <= limit for name, limit in CPU_MS.items())
            found.append((f"workers' CPU per request ≤ {CPU_MS['home']} ms home, ≤ {CPU_MS['lesson']} ms lesson, "
                          f"≤ {CPU_MS['quiz submission']} ms quiz submission ({where})", met,
                          ", ".join(f"{name} {cpu[name]['worker_cpu_ms_per_request']} ms" for name in CPU_MS)))
        statements = r.get("member_page_statements")
        if not statements:
            found.append((f"SQL statements per member page ({where})", None, "not measured in this run"))
        else:
            found.append((f"≤ {STATEMENTS_PER_PAGE} SQL statements per member page ({where})",
                          max(statements.values()) <= STATEMENTS_PER_PAGE,
                          ", ".join(f"{page} {count}" for page, count in statements.items())))
    run = by.get(("postgresql", MILLION))
    if run is None:
        found.append((f"bench generate ≤ {GENERATE_S_AT_1M // 60} min (postgresql, 1,000,000)", None,
                      "not measured in this run"))
    else:
        seconds = run["generate_seconds"]
        found.append((f"bench generate ≤ {GENERATE_S_AT_1M // 60} min (postgresql, 1,000,000)",
                      seconds <= GENERATE_S_AT_1M, f"{seconds / 60:.1f} min"))
    return found


def table(results: list[dict[str, Any]]) -> str:
    """The targets as a Markdown table."""
    lines = ["| target | met | figure |", "|---|---|---|"]
    for name, met, figure in checks(results):
        verdict = "yes" if met else "not measured" if met is None else "**no**"
        lines.append(f"| {name} | {verdict} | {figure} |")
    return "\n".join(lines)
