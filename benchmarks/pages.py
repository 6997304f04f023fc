"""Committee pages timed in the app against the hand-written SQL of the same figures.

Both run in this process on the same database, one after the other, so the ratio (page ÷ SQL)
says what the app adds to the database's own work: ORM, Python, templates, extra queries.
"""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask

from benchmarks import reference_sql


@dataclass
class PageFigure:
    page: str
    url: str
    page_ms: float
    sql_ms: float
    queries: int
    bytes: int

    @property
    def ratio(self) -> float:
        return self.page_ms / self.sql_ms if self.sql_ms else float("nan")

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": round(self.ratio, 2)}


class QueryCounter:
    """Counts the statements the engine sends while it is on."""

    def __init__(self, engine: sa.Engine) -> None:
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1


def median_ms(action: Callable[[], Any], repeat: int) -> float:
    """The median wall time of ``repeat`` runs, after one run that warms the caches."""
    action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(app: Flask, *, committee: str, secretary: str, password: str, plan_id: int, root_id: int, cell_id: int,
            year: int, repeat: int) -> tuple[list[PageFigure], dict[str, Any]]:
    """The dashboard at the root (as the top committee sees it) and at a cell (as its secretary
    does), and the root's yearly report, each with its SQL. Returns the figures and the checks
    that the page's numbers equal the SQL's."""
    from learnhub.extensions import db
    from learnhub.orgs.models import Unit
    from learnhub.plans.completion import completion_report
    from learnhub.plans.models import PlanStatus, StudyPlan
    from learnhub.reports.yearly import plans_of_the_year

    clients = {who: _signed_in(app, who, password) for who in (committee, secretary)}
    figures: list[PageFigure] = []
    checks: dict[str, Any] = {}
    # Requests are made outside any app context: a request inside one would share its ``g`` (the
    # signed-in user among it) with every other request, and the secretary's page would be the admin's.
    with app.app_context():
        counter = QueryCounter(db.engine)
    # Every visit computes the figures (from the rows kept per member: learnhub.plans.kept).
    for name, unit_id, who in (("dashboard (root)", root_id, committee), ("dashboard (cell)", cell_id, secretary)):
        url = f"/plans/{plan_id}?unit={unit_id}"
        page_ms, queries, size = _page(clients[who], url, counter, repeat)
        with app.app_context():
            params = reference_sql.plan_parameters(db.session, plan_id, unit_id)
            sql_ms = median_ms(lambda p=params: reference_sql.dashboard(db.session, p), repeat)
            figures.append(PageFigure(name, url, page_ms, sql_ms, queries, size))
            sql = reference_sql.dashboard(db.session, params)
            report = completion_report(db.session.get(StudyPlan, plan_id), db.session.get(Unit, unit_id))
            checks[name] = {"page": [report.total.required, report.total.completed, report.total.on_time],
                            "sql": [sql["required"], sql["completed"], sql["on_time"]]}

    url = f"/reports/year?unit={root_id}&year={year}"
    page_ms, queries, size = _page(clients[committee], url, counter, repeat)
    with app.app_context():
        plans = [(p.id, p.status) for p in plans_of_the_year(root_id, year)]

        def yearly_sql() -> None:
            for plan, status in plans:
                if status == PlanStatus.closed:
                    reference_sql.snapshot_totals(db.session, plan, root_id)
                else:
                    reference_sql.plan_totals(db.session, reference_sql.plan_parameters(db.session, plan, root_id))
            reference_sql.conference_totals(db.session, root_id, year)

        figures.append(PageFigure("yearly report (root)", url, page_ms, median_ms(yearly_sql, repeat), queries, size))
    return figures, checks


def _signed_in(app: Flask, username: str, password: str):
    client = app.test_client()
    client.set_cookie("lh_lang", "vi")
    signed_in = client.post("/login", data={"username": username, "password": password})
    assert signed_in.status_code == 302, f"{username} could not sign in ({signed_in.status_code})"
    return client


def _page(client, url: str, counter: QueryCounter, repeat: int) -> tuple[float, int, int]:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    counter.count = 0
    client.get(url)
    queries = counter.count
    return median_ms(lambda: client.get(url), repeat), queries, len(response.data)


def member_statements(app: Flask, *, username: str, password: str, pages: dict[str, str]) -> dict[str, int]:
    """The SQL statements each member page sends, the sign-in excluded: the page opened once to warm
    what a worker keeps, then counted on its second visit (``pages``: name → URL)."""
    from learnhub.extensions import db

    client = _signed_in(app, username, password)
    counts: dict[str, int] = {}
    with app.app_context():
        engine = db.engine
    counter = QueryCounter(engine)
    for name, url in pages.items():  # outside any app context, as a worker serves them (see measure)
        assert client.get(url).status_code == 200, f"{url} as {username}"
        counter.count = 0
        client.get(url)
        counts[name] = counter.count
    sa.event.remove(engine, "before_cursor_execute", counter._seen)
    return counts
