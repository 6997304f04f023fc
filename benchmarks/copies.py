"""Time the copied-reflections detection (learnhub.plans.copies) on 10,000 and 100,000 synthetic
reflections of one plan, with one in a hundred a lightly edited copy of another.

    .venv/bin/python -m benchmarks.copies                 # 10,000 and 100,000
    .venv/bin/python -m benchmarks.copies --sizes 2000    # a quick look

Prints, per size: seconds, pairs found, planted copies caught, and the pairs an all-pairs
comparison would have made (the work MinHash/LSH avoids). Not a test: nothing is asserted.
"""
from __future__ import annotations

import argparse
import random
import sys
import time

from learnhub.plans.copies import near_duplicates

SYLLABLES = ("học tập làm theo tư tưởng đạo đức phong cách Hồ Chí Minh nhân dân cán bộ đảng viên chi bộ "
             "trách nhiệm nêu gương phục vụ công việc cơ quan rèn luyện bản thân cam kết thực hiện kế hoạch "
             "tháng năm quý khu phố trường học ủy ban tiếp dân hồ sơ đúng hẹn giản dị cần kiệm liêm chính "
             "chí công vô tư đoàn kết giúp đỡ đồng nghiệp gia đình học sinh phụ huynh kiểm điểm báo cáo").split()


def reflections(count: int, seed: int = 16) -> tuple[dict[int, str], set[tuple[int, int]]]:
    """``count`` texts of about 100 words from one vocabulary (one topic), and the planted copies
    (every hundredth text copies an earlier one with five words changed)."""
    rng = random.Random(seed)
    texts: dict[int, str] = {}
    planted: set[tuple[int, int]] = set()
    for i in range(count):
        if i % 100 == 99:
            source = rng.randrange(i)
            tokens = texts[source].split()
            for position in rng.sample(range(len(tokens)), 5):
                tokens[position] = rng.choice(SYLLABLES)
            texts[i] = " ".join(tokens)
            planted.add((source, i))
        else:
            texts[i] = " ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(90, 130)))
    return texts, planted


def main(argv: list[str] | None = None) -> int:
    """Print the time and the pairs for each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args(argv)
    print(f"{'reflections':>12} {'seconds':>9} {'pairs':>7} {'planted':>8} {'caught':>7} {'all pairs':>15}")
    for size in args.sizes:
        texts, planted = reflections(size)
        started = time.perf_counter()
        pairs = near_duplicates(texts)
        seconds = time.perf_counter() - started
        found = {(a, b) for a, b, _score in pairs}
        print(f"{size:>12,} {seconds:>9.1f} {len(pairs):>7,} {len(planted):>8,} {len(planted & found):>7,} "
              f"{size * (size - 1) // 2:>15,}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
