"""Rebuild LearnHub's two Be Vietnam Pro files and print their fallback metrics (docs/performance.md).

    npm pack @fontsource/be-vietnam-pro@5.3.0 && tar xzf fontsource-be-vietnam-pro-5.3.0.tgz
    python scripts/subset_fonts.py package/files learnhub/static/fonts/be-vietnam-pro \
        --fallback 400:Arial=/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf \
        --fallback 700:Arial=/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf \
        --fallback 400:Roboto=/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf \
        --fallback 700:Roboto=/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Bold.ttf

Fontsource splits each weight into unicode-range subsets; a Vietnamese page needs two of them
(latin and vietnamese), so each weight is merged back into one font and cut to the characters
Vietnamese text uses. The output names carry the first 10 hex digits of the file's SHA-256 (served
with a year's immutable caching; learnhub/assets.py). Needs fontTools (`pip install fonttools brotli`),
at build time only: the app serves the committed files.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger, Options
from fontTools.ttLib import TTFont

WEIGHTS = (400, 700)
UNICODES = ("U+0000-00FF,U+0102-0103,U+0110-0111,U+0128-0129,U+0168-0169,U+01A0-01A1,U+01AF-01B0,"
            "U+0300-0301,U+0303-0304,U+0308-0309,U+0323,U+0329,U+1EA0-1EF9,U+20AB,U+2000-206F")
# Letters of ordinary Vietnamese prose, for the average advance the fallback is scaled to.
SAMPLE = ("Học tập, quán triệt chỉ thị, nghị quyết của Đảng là nhiệm vụ thường xuyên của mỗi cán bộ, "
          "đảng viên. Chi bộ Khu phố 1 tổ chức hội nghị, đảng viên đọc bài học trên điện thoại, làm bài "
          "kiểm tra và viết bài thu hoạch; cấp ủy theo dõi tỷ lệ học tập của từng đơn vị.")


def merged_subset(files: Path, weight: int, work: Path) -> TTFont:
    """The latin and vietnamese subsets of one weight merged and cut to UNICODES."""
    parts = []
    for name in ("latin", "vietnamese"):
        font = TTFont(files / f"be-vietnam-pro-{name}-{weight}-normal.woff2")
        font.flavor = None
        path = work / f"{name}-{weight}.ttf"
        font.save(path)
        parts.append(str(path))
    font = Merger(options=Options()).merge(parts)
    options = subset.Options()
    options.layout_features = ["*"]
    options.flavor = "woff2"
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    font.flavor = "woff2"
    font.recalcTimestamp = False  # keep the sources' date (the merge itself may still order tables differently)
    return font


def average_advance(font: TTFont) -> float:
    """The mean advance of SAMPLE's characters, in ems."""
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    units = [metrics[cmap[ord(c)]][0] for c in SAMPLE if ord(c) in cmap]
    return sum(units) / len(units) / font["head"].unitsPerEm


def main(argv: list[str] | None = None) -> int:
    """Write the two fonts, then print their names and each fallback's @font-face descriptors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, help="the fontsource package's files/ folder")
    parser.add_argument("out", type=Path)
    parser.add_argument("--fallback", action="append", default=[], metavar="WEIGHT:LOCAL=PATH")
    args = parser.parse_args(argv)
    written: dict[int, TTFont] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for weight in WEIGHTS:
            font = merged_subset(args.files, weight, Path(tmp))
            path = Path(tmp) / "out.woff2"
            font.save(path)
            data = path.read_bytes()
            name = f"be-vietnam-pro-{weight}.{hashlib.sha256(data).hexdigest()[:10]}.woff2"
            (args.out / name).write_bytes(data)
            print(f"{name}: {len(data)} bytes", file=sys.stderr)
            written[weight] = TTFont(args.out / name)
    for spec in args.fallback:
        target, _, path = spec.partition("=")
        weight, _, local = target.partition(":")
        font = written[int(weight)]
        upem, hhea = font["head"].unitsPerEm, font["hhea"]
        adjust = average_advance(font) / average_advance(TTFont(path))
        print(f'/* {weight} local("{local}") */ size-adjust: {adjust:.2%}; ascent-override: {hhea.ascent / upem / adjust:.2%}; '
              f"descent-override: {-hhea.descent / upem / adjust:.2%}; line-gap-override: {hhea.lineGap / upem / adjust:.2%};")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
