"""Page weight in Chromium: bytes and requests per page cold and warm, layout shift, time on a slow link.

    .venv/bin/python -m benchmarks.page_weight                  # builds the demo town, serves it with gunicorn
    .venv/bin/python -m benchmarks.page_weight --lighthouse /tmp/lh/node_modules/.bin/lighthouse

For each page (a member's home, a module, a lesson, the quiz, the plan dashboard, the conference
roster) a fresh browser profile signed in without loading any page opens it (cold), then opens it
again (warm: what a member's phone sends on the next visit). Bytes are what crossed the network,
headers included (Chromium's encodedDataLength), so compression and caching both show. The
cumulative layout shift (CLS) and the load time are measured cold on an emulated 400 kbit/s link
with 300 ms round trips, where the fonts arrive late enough to move text if they were going to.
With --lighthouse, Lighthouse's mobile performance score of each page is added (it needs Node; the
median of three runs).
Prints a Markdown table (the one in docs/performance.md) and writes JSON with --out.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
SLOW = {"offline": False, "latency": 300, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
PASSWORD = "hoctap2026"
MEMBER, COMMITTEE = "dangvien", "capuy"
CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
  .observe({type: "layout-shift", buffered: true});
"""
BIN = Path(sys.executable).parent


def log(message: str) -> None:
    """Progress, to standard error."""
    print(message, file=sys.stderr, flush=True)


@dataclass
class Weight:
    page: str
    path: str
    cold_bytes: int
    cold_requests: int
    warm_bytes: int
    warm_requests: int
    html_bytes: int
    slow_load_s: float
    cls: float
    lighthouse: int | None = None


def free_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def demo_server(workdir: Path) -> Iterator[str]:
    """The demo town on SQLite, served by gunicorn as in production (two workers)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEARNHUB_")}
    env.update(LEARNHUB_INSTANCE_PATH=str(workdir / "instance"), LEARNHUB_SECRET_KEY="page-weight-benchmark")
    log("building the demo town…")
    subprocess.run([str(BIN / "learnhub"), "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "learnhub:create_app()"], env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def sign_in(context: Any, base: str, username: str) -> None:
    """Signs the profile in through its request API, so no page (and no static file) is cached yet."""
    form = context.request.get(f"{base}/login").text()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form) or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', form)
    assert token, "no CSRF token on the sign-in page"
    response = context.request.post(f"{base}/login", form={"csrf_token": token.group(1), "username": username,
                                                          "password": PASSWORD}, max_redirects=0)
    assert response.status in (302, 303), f"signing in as {username} failed: {response.status}"


class Traffic:
    """What one page's loading fetched from the network, read from Chromium's DevTools protocol."""

    def __init__(self, page: Any) -> None:
        self.session = page.context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.requests: dict[str, dict[str, Any]] = {}
        self.session.on("Network.requestWillBeSent", self._sent)
        self.session.on("Network.requestServedFromCache", self._cached)
        self.session.on("Network.responseReceived", self._response)
        self.session.on("Network.loadingFinished", self._finished)

    def _sent(self, event: dict) -> None:
        self.requests.setdefault(event["requestId"], {"url": event["request"]["url"], "bytes": 0, "cached": False})

    def _cached(self, event: dict) -> None:
        self.requests.setdefault(event["requestId"], {"url": "", "bytes": 0})["cached"] = True

    def _response(self, event: dict) -> None:
        entry = self.requests.setdefault(event["requestId"], {"url": event["response"]["url"], "bytes": 0, "cached": False})
        entry["status"] = event["response"]["status"]
        if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
            entry["cached"] = True

    def _finished(self, event: dict) -> None:
        self.requests.setdefault(event["requestId"], {"url": "", "cached": False})["bytes"] = event["encodedDataLength"]

    def reset(self) -> None:
        self.requests = {}

    def network(self) -> list[dict[str, Any]]:
        """The requests that went to the server (not answered from the browser's cache)."""
        return [r for r in self.requests.values() if not r.get("cached") and not r["url"].startswith("data:")]

    def throttle(self, conditions: dict[str, Any] | None) -> None:
        self.session.send("Network.emulateNetworkConditions",
                          conditions or {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def open_page(page: Any, url: str) -> None:
    """Opens ``url`` and waits for the load event and for the network to go quiet (at most 5 s)."""
    page.goto(url, wait_until="load")
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=5000)


def measure(browser: Any, base: str, name: str, username: str, find_path: Any) -> Weight:
    """One page cold and warm at full speed, then cold on the slow link for its load time and CLS."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN")
    sign_in(context, base, username)
    path = find_path(context, base)
    page = context.new_page()
    page.add_init_script(CLS_OBSERVER)
    traffic = Traffic(page)
    open_page(page, base + path)
    cold = traffic.network()
    html = next((r["bytes"] for r in cold if r["url"] == base + path), 0)
    traffic.reset()
    open_page(page, base + path)
    warm = traffic.network()
    context.close()

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN")
    sign_in(context, base, username)
    page = context.new_page()
    page.add_init_script(CLS_OBSERVER)
    traffic = Traffic(page)
    traffic.throttle(SLOW)
    started = time.perf_counter()
    page.goto(base + path, wait_until="load", timeout=120_000)
    slow_load = time.perf_counter() - started
    page.wait_for_timeout(1500)
    cls = page.evaluate("window.__cls")
    cookies = context.cookies()
    context.close()
    weight = Weight(name, path, sum(r["bytes"] for r in cold), len(cold), sum(r["bytes"] for r in warm), len(warm),
                    html, round(slow_load, 2), round(cls, 3))
    weight.__dict__["_cookies"] = cookies
    return weight


def first_link(context: Any, base: str, path: str, pattern: str) -> str:
    """The first address on the page at ``path`` that ``pattern`` (one group) matches."""
    html = context.request.get(base + path).text()
    match = re.search(pattern, html)
    assert match, f"no link matching {pattern} on {path}"
    return match.group(1)


def quiz_path(context: Any, base: str) -> str:
    """An attempt in progress: starting the quiz is a POST from the quiz page."""
    module = first_link(context, base, "/", r'href="(/courses/[^/"]+/)"')
    quiz = context.request.get(f"{base}{module}quiz").text()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', quiz) or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', quiz)
    action = re.search(r'action="(/(?:courses/[^"]+/quiz/start|attempts/\d+))"', quiz)
    assert token and action, "the quiz page offers no attempt"
    if action.group(1).startswith("/attempts/"):
        return action.group(1)
    response = context.request.post(base + action.group(1), form={"csrf_token": token.group(1)}, max_redirects=0)
    return response.headers["location"].replace(base, "")


PAGES = [
    ("home", MEMBER, lambda c, b: "/"),
    ("module", MEMBER, lambda c, b: first_link(c, b, "/", r'href="(/courses/[^/"]+/)"')),
    ("lesson", MEMBER, lambda c, b: first_link(c, b, first_link(c, b, "/", r'href="(/courses/[^/"]+/)"'),
                                               r'href="(/courses/[^/"]+/[^/"?#]+)"')),
    ("quiz", MEMBER, quiz_path),
    ("plan dashboard", COMMITTEE, lambda c, b: first_link(c, b, "/plans/", r'href="(/plans/\d+)"')),
    ("conference roster", COMMITTEE, lambda c, b: first_link(c, b, "/conferences/", r'href="(/conferences/\d+)"') + "/roster"),
]


def lighthouse_score(lighthouse: str, url: str, cookies: list[dict[str, Any]], workdir: Path) -> int | None:
    """Lighthouse's mobile performance score (0-100), or None if it could not run."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
    out = workdir / "lighthouse.json"
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(
        [lighthouse, url, "--quiet", "--only-categories=performance", "--output=json", f"--output-path={out}",
         "--chrome-flags=--headless --no-sandbox --disable-gpu", f"--extra-headers={json.dumps({'Cookie': cookie})}"],
        env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not out.exists():
        log(f"lighthouse failed on {url}: {result.stderr.strip()[-300:]}")
        return None
    score = json.loads(out.read_text(encoding="utf-8"))["categories"]["performance"]["score"]
    return round(score * 100) if score is not None else None


def table(weights: list[Weight]) -> str:
    """The Markdown table of docs/performance.md."""
    lines = ["| page | cold KB | cold requests | warm KB | warm requests | HTML KB | load at 400 kbit/s | CLS | Lighthouse mobile |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for w in weights:
        lines.append(f"| {w.page} | {w.cold_bytes / 1000:.1f} | {w.cold_requests} | {w.warm_bytes / 1000:.1f} | "
                     f"{w.warm_requests} | {w.html_bytes / 1000:.1f} | {w.slow_load_s:.1f} s | {w.cls:.3f} | "
                     f"{'' if w.lighthouse is None else w.lighthouse} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure every page and print the table; --url measures a server already running the demo town."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running LearnHub with the demo town (default: build one and serve it)")
    parser.add_argument("--lighthouse", default=shutil.which("lighthouse"), help="the lighthouse command")
    parser.add_argument("--lighthouse-runs", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        base = args.url.rstrip("/") if args.url else stack.enter_context(demo_server(Path(tmp)))
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        weights = []
        for name, username, find_path in PAGES:
            log(f"measuring {name}…")
            weight = measure(browser, base, name, username, find_path)
            cookies = weight.__dict__.pop("_cookies")
            if args.lighthouse:  # the median of a few runs: one score moves with the machine's load
                scores = [lighthouse_score(args.lighthouse, base + weight.path, cookies, Path(tmp))
                          for _ in range(args.lighthouse_runs)]
                known = sorted(s for s in scores if s is not None)
                weight.lighthouse = known[len(known) // 2] if known else None
            weights.append(weight)
        browser.close()
    print(table(weights))
    if args.out:
        args.out.write_text(json.dumps([asdict(w) for w in weights], ensure_ascii=False, indent=2) + "\n",
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
