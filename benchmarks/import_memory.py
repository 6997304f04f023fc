"""Member import memory: a zip-bomb workbook is refused at once, and a real workbook imports in bounded memory.

    .venv/bin/python -m benchmarks.import_memory                 # SQLite, a 100,000-row workbook
    .venv/bin/python -m benchmarks.import_memory --rows 1000     # a quick look

Every figure is one process's own time and peak memory (GNU time, as in benchmarks/files.py):

1. ``learnhub members import`` of a one-row workbook: the baseline (the app itself);
2. ``learnhub members import`` of a zip bomb: a valid 1.5 MB workbook whose shared strings part
   unpacks to 1.5 GB, refused from the zip's directory before anything is decompressed;
3. the same file handed straight to openpyxl, as the import did before it looked inside the zip
   (limited to ``--cap-gb`` of address space so that it cannot take the machine down);
4. ``learnhub members import`` of a workbook of ``--rows`` members (new, spread over the cells).

It prints a Markdown table and writes the figures as JSON (--out); progress goes to stderr.
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks import files
from benchmarks.run import log, machine
from tests.load.server import BIN, fresh_database, migrate, server_environment

UNGUARDED = """
import resource, sys
from openpyxl import load_workbook
cap = int(float(sys.argv[2]) * 1024 ** 3)
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
try:
    with open(sys.argv[1], "rb") as handle:
        book = load_workbook(handle, read_only=True, data_only=True)
        rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    print(f"read {rows} rows")
except MemoryError:
    print(f"MemoryError at the {sys.argv[2]} GB cap")
    sys.exit(1)
"""


def workbook(path: Path, rows: list[list[str]]) -> Path:
    """A member list as an .xlsx, written row by row."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def bomb(path: Path, unpacked_bytes: int) -> Path:
    """A one-row member list with a shared strings part of ``unpacked_bytes`` (one long string),
    deflated about a thousand times: valid for openpyxl, which reads that part whole."""
    plain = workbook(path.with_suffix(".plain.xlsx"), [["Họ và tên"], ["Nguyễn Văn Hải"]])
    chunk = b"x" * 1024 * 1024
    opening = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            out.writestr(info.filename, data)
        with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(opening)
            for _ in range(unpacked_bytes // len(chunk)):
                strings.write(chunk)
            strings.write(b"</t></si></sst>")
    plain.unlink()
    return path


def member_workbook(path: Path, rows: int, cells: list[str]) -> Path:
    """The benchmark's member list (benchmarks/files.py) as an .xlsx."""
    text = files.member_file(path.with_suffix(".csv"), rows, cells)
    with text.open(encoding="utf-8", newline="") as handle:
        workbook(path, list(csv.reader(handle)))
    text.unlink()
    return path


def measure(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """The four figures, on a fresh SQLite database holding ``learnhub bench generate``'s units."""
    with fresh_database(workdir, base="", name="import_memory") as url:
        instance = workdir / "instance"
        instance.mkdir()
        env = server_environment(url, instance)
        migrate(url, instance)
        log("generating the organisation ...")
        subprocess.run([str(BIN / "learnhub"), "bench", "generate", "--members", "1000", "--plans", "1", "--seed", "1"],
                       env=env, cwd=instance, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        from learnhub import models  # noqa: F401  (every mapped class, so that Unit configures)
        from learnhub.orgs.models import Unit, UnitKind

        engine = sa.create_engine(url)
        with engine.connect() as connection:
            cells = list(connection.scalars(sa.select(Unit.name).where(Unit.kind == UnitKind.cell)
                                            .order_by(Unit.id).limit(50)))
        engine.dispose()

        small = workbook(workdir / "mot-dong.xlsx", [["Họ và tên", "Chi bộ"], ["Nguyễn Văn Hải", cells[0]]])
        log(f"building a zip bomb that unpacks to {args.bomb_mb:,} MB ...")
        hostile = bomb(workdir / "bom.xlsx", args.bomb_mb * 1024 * 1024)
        log(f"building a {args.rows:,}-row workbook ...")
        real = member_workbook(workdir / "danh-sach.xlsx", args.rows, cells)
        figures: dict[str, Any] = {"bomb_file_mb": round(hostile.stat().st_size / 1e6, 2),
                                   "bomb_unpacked_mb": args.bomb_mb, "rows": args.rows,
                                   "workbook_mb": round(real.stat().st_size / 1e6, 2)}
        runs = {
            "baseline (one-row workbook)": [str(BIN / "learnhub"), "members", "import", str(small), "--dry-run"],
            "zip bomb, checked (today)": [str(BIN / "learnhub"), "members", "import", str(hostile)],
            "zip bomb, straight to openpyxl (before)": [sys.executable, "-c", UNGUARDED, str(hostile), str(args.cap_gb)],
            f"{args.rows:,}-row workbook": [str(BIN / "learnhub"), "members", "import", str(real)],
        }
        figures["runs"] = {}
        for name, command in runs.items():
            log(f"  {name} ...")
            figure = files._timed(command, env, instance)
            figures["runs"][name] = figure
            log(f"    exit {figure['exit']}, {figure['seconds']} s, peak {figure['peak_rss_mb']} MB: "
                f"{figure['stderr'] or figure['stdout']}")
    return figures


def table(figures: dict[str, Any]) -> str:
    """The figures as a Markdown table."""
    lines = ["| run | exit | seconds | peak RSS MB | last line |", "|---|---|---|---|---|"]
    for name, f in figures["runs"].items():
        said = (f["stderr"] or f["stdout"]).replace("|", "/")
        lines.append(f"| {name} | {f['exit']} | {f['seconds']} | {f['peak_rss_mb']} | {said[-120:]} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_memory", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the real workbook")
    parser.add_argument("--bomb-mb", type=int, default=1536, help="what the zip bomb unpacks to, in MB")
    parser.add_argument("--cap-gb", type=float, default=4.0, help="address space allowed to the unchecked read")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/import-memory.json"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="learnhub-import-memory-") as tmp:
        figures = measure(args, Path(tmp))
    report = {"machine": machine(), "arguments": {k: str(v) for k, v in vars(args).items()}, **figures}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"zip bomb: {figures['bomb_file_mb']} MB unpacking to {figures['bomb_unpacked_mb']:,} MB; "
          f"workbook: {figures['rows']:,} rows, {figures['workbook_mb']} MB\n")
    print(table(figures))
    log(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
