"""A small browser for the load tests (standard library only): cookies, the page's CSRF token,
the quiz form read as a person would fill it in, and figures for every request."""
from __future__ import annotations

import http.client
import json
import random
import re
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
# What a dropped connection looks like to the browser (a worker killed mid-request).
CONNECTION_ERRORS = (OSError, http.client.HTTPException)


class OutOfTime(Exception):
    """The test's time budget is spent: no more requests."""


class Unexpected(Exception):
    """A response the member would not expect (a 5xx, an error page, a wrong redirect)."""

    def __init__(self, step: str, response: Response) -> None:
        snippet = re.sub(r"\s+", " ", response.body)[:300]
        super().__init__(f"{step}: {response.method} {response.path} -> {response.status} "
                         f"{response.location or ''} {snippet}")
        self.response = response


@dataclass
class Response:
    method: str
    path: str
    status: int
    location: str
    body: str

    @property
    def csrf(self) -> str:
        match = CSRF_META.search(self.body)
        assert match, f"no CSRF token on {self.path}"
        return match.group(1)


@dataclass
class Figures:
    """Every request's step, status and duration, shared by all the browsers of a run."""

    deadline: float
    samples: list[tuple[str, int, float]] = field(default_factory=list)
    connection_errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, step: str, status: int, seconds: float) -> None:
        with self.lock:
            self.samples.append((step, status, seconds))

    def dropped(self, step: str) -> None:
        with self.lock:
            self.connection_errors[step] += 1

    def server_errors(self) -> list[tuple[str, int, float]]:
        return [s for s in self.samples if s[1] >= 500]

    def summary(self, title: str, elapsed: float) -> str:
        times = sorted(s[2] for s in self.samples)
        statuses = Counter(s[1] for s in self.samples)
        lines = [
            f"{title}: {len(self.samples)} requests in {elapsed:.1f} s "
            f"({len(self.samples) / elapsed:.0f}/s), statuses {dict(sorted(statuses.items()))}, "
            f"dropped connections {sum(self.connection_errors.values())}",
            f"  all requests: p50 {_ms(percentile(times, 50))}, p95 {_ms(percentile(times, 95))}, "
            f"max {_ms(times[-1] if times else 0)}",
        ]
        steps: dict[str, list[float]] = {}
        for step, _status, seconds in self.samples:
            steps.setdefault(step, []).append(seconds)
        for step, values in steps.items():
            values.sort()
            lines.append(f"  {step:<12} n={len(values):<4} p50 {_ms(percentile(values, 50))}, "
                         f"p95 {_ms(percentile(values, 95))}, max {_ms(values[-1])}")
        return "\n".join(lines)


def percentile(values: list[float], p: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


class Browser:
    """One member's browser: a cookie jar and requests without automatic redirects."""

    def __init__(self, base_url: str, figures: Figures) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.figures = figures
        self.cookies: dict[str, str] = {}

    def request(self, step: str, method: str, path: str, *, form: Any = None,
                json_body: Any = None, headers: dict[str, str] | None = None) -> Response:
        if time.monotonic() > self.figures.deadline:
            raise OutOfTime(step)
        headers = dict(headers or {})
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers["Accept-Language"] = "vi"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", errors="replace")
        except CONNECTION_ERRORS:
            self.figures.dropped(step)
            raise
        finally:
            connection.close()
        self.figures.add(step, raw.status, time.perf_counter() - started)
        for header in raw.headers.get_all("Set-Cookie") or []:
            self._keep_cookie(header)
        location = raw.headers.get("Location", "")
        if location.startswith("http"):
            location = urlsplit(location)._replace(scheme="", netloc="").geturl()
        return Response(method, path, raw.status, location, text)

    def _keep_cookie(self, header: str) -> None:
        name, _, value = header.split(";", 1)[0].strip().partition("=")
        attributes = header.lower()
        if "max-age=0" in attributes or "expires=thu, 01 jan 1970" in attributes:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get(self, step: str, path: str) -> Response:
        return self.request(step, "GET", path)

    def post(self, step: str, path: str, form: Any) -> Response:
        return self.request(step, "POST", path, form=form)


def expect(step: str, response: Response, status: int, location: str | None = None) -> Response:
    """The status (and redirect target, a regular expression) the member expects."""
    if response.status != status or (location and not re.fullmatch(location, response.location.split("?")[0])):
        raise Unexpected(step, response)
    return response


@dataclass
class QuizForm:
    """The quiz page as the member sees it: each question's kind and the values it offers."""

    action: str = ""
    autosave: str = ""
    questions: dict[str, dict[str, Any]] = field(default_factory=dict)


class _QuizParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.form = QuizForm()
        self.current: dict[str, Any] | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "data-autosave-url" in a:
            self.form.action, self.form.autosave = a["action"], a["data-autosave-url"]
        elif tag == "fieldset" and "data-qid" in a:
            self.current = {"shape": a["data-shape"], "options": [], "selects": {}, "inputmode": ""}
            self.form.questions[a["data-qid"]] = self.current
        elif self.current is None:
            return
        elif tag == "input" and a.get("type") in ("radio", "checkbox"):
            self.current["options"].append(a["value"])
        elif tag == "input" and a.get("type") == "text":
            self.current["inputmode"] = a.get("inputmode", "")
        elif tag == "select":
            self.select = a["name"].rsplit("-", 1)[1]
            self.current["selects"][self.select] = []
        elif tag == "option" and self.select is not None and a.get("value"):
            self.current["selects"][self.select].append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "fieldset":
            self.current = None
        elif tag == "select":
            self.select = None


def read_quiz(html: str) -> QuizForm:
    parser = _QuizParser()
    parser.feed(html)
    return parser.form


def choose_answers(form: QuizForm, rng: random.Random) -> dict[str, Any]:
    """An answer for every question, as the form would send it (page tokens, not ids), read by the
    shape the page gives each question (as the page's own script does)."""
    answers: dict[str, Any] = {}
    for qid, question in form.questions.items():
        shape = question["shape"]
        if shape == "one":
            answers[qid] = rng.choice(question["options"])
        elif shape == "many":
            answers[qid] = sorted(rng.sample(question["options"], rng.randint(1, len(question["options"]))))
        elif shape in ("map", "list"):
            answers[qid] = {i: rng.choice(values) for i, values in question["selects"].items()}
        elif question["inputmode"] == "decimal":
            answers[qid] = rng.choice(["98", "97,5", "50"])
        else:
            answers[qid] = rng.choice(["lãnh đạo", "Lãnh Đạo", "quản lý"])
    return answers


def form_fields(answers: dict[str, Any], csrf: str) -> list[tuple[str, str]]:
    fields = [("csrf_token", csrf)]
    for qid, value in answers.items():
        if isinstance(value, dict):
            fields.extend((f"q-{qid}-{i}", token) for i, token in value.items())
        elif isinstance(value, list):
            fields.extend((f"q-{qid}", token) for token in value)
        else:
            fields.append((f"q-{qid}", value))
    return fields
