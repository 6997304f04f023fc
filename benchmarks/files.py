"""A 100,000-row member import and the root dashboard's .xlsx exports, each in its own process so
that its time and peak memory (the child's maximum RSS) are its own."""
from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent


TIME = Path("/usr/bin/time")  # GNU time: the child's own peak memory
MAXRSS = "learnhub-bench-maxrss-kb="


def _timed(command: list[str], env: dict[str, str], cwd: Path) -> dict[str, Any]:
    """Run ``command``; its wall time, its own peak RSS in MB, exit status and the last line it
    printed on each stream. The peak comes from GNU time, which starts the command from its own
    small process: a child forked straight from this (large) process would report this process's
    memory as its own peak, since Linux carries the high-water mark across fork and exec."""
    import tempfile

    measured = [str(TIME), "-f", f"{MAXRSS}%M", *command] if TIME.exists() else command
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(measured, env=env, cwd=cwd, stdout=out, stderr=err, text=True)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().strip().splitlines(), err.read().strip().splitlines()
    peak_kb = usage.ru_maxrss
    if stderr and stderr[-1].startswith(MAXRSS):
        peak_kb = int(stderr.pop()[len(MAXRSS):])
        if stderr and stderr[-1].startswith("Command exited with non-zero status"):
            stderr.pop()  # GNU time's own line: the command's last line is the one before
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak_kb / 1024, 1), "exit": process.returncode,
            "stdout": (stdout or [""])[-1], "stderr": (stderr or [""])[-1]}


def member_file(path: Path, rows: int, cells: list[str], seed: int = 3) -> Path:
    """A member list in the import format: new members spread over the given cells, no two with the
    same full name and date of birth (the import would take them for one person)."""
    from learnhub.demo.names import random_full_name

    rng = random.Random(seed)
    people: set[tuple[str, str]] = set()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Họ và tên", "Chi bộ", "Đối tượng", "Ngày sinh", "Giới tính", "Số điện thoại"])
        while len(people) < rows:
            name, gender = random_full_name(rng)
            born = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1950, 2004)}"
            if (name, born) in people:
                continue
            people.add((name, born))
            writer.writerow([name, cells[len(people) % len(cells)], rng.choice(["Đảng viên", "CBCCVC", "Quần chúng"]),
                             born, "Nam" if gender == "male" else "Nữ", f"09{rng.randrange(10**8):08d}"])
    return path


def import_members(env: dict[str, str], cwd: Path, path: Path) -> dict[str, Any]:
    """`learnhub members import FILE`, as an administrator runs it."""
    return _timed([str(BIN / "learnhub"), "members", "import", str(path)], env, cwd)


def export(env: dict[str, str], cwd: Path, username: str, password: str, url: str) -> dict[str, Any]:
    """One signed-in GET of ``url`` in a fresh process (see ``_probe``)."""
    return _timed([sys.executable, "-m", "benchmarks.files", username, password, url], env, cwd)


def _probe(username: str, password: str, url: str) -> None:
    """Sign in and GET ``url`` once, in-process; print the bytes and the seconds of the request."""
    from learnhub import create_app

    app = create_app()
    client = app.test_client()
    page = client.get("/login")
    assert page.status_code == 200
    client.post("/login", data={"username": username, "password": password,
                                "csrf_token": _csrf(page.get_data(as_text=True))})
    started = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        sys.exit(f"{url}: {response.status_code}")
    print(f"{len(response.data)} bytes in {seconds:.2f} s")


def _csrf(html: str) -> str:
    import re

    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


if __name__ == "__main__":
    _probe(*sys.argv[1:4])
