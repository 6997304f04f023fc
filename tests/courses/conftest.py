"""Helpers that write course folders to disk."""
from __future__ import annotations

from pathlib import Path

import pytest

COURSE_MD = """---
title: "Học tập Nghị quyết số 21-NQ/TW"
kind: resolution
document:
  number: "21-NQ/TW"
  issued_by: "Ban Chấp hành Trung ương"
  issued_on: 2021-06-16
summary: "Tóm tắt một đoạn."
tags: [tổ chức cơ sở đảng]
---
Giới thiệu học phần.
"""

LESSON_MD = """---
title: "{title}"
minutes: 10
key_points:
  - "Ý chính thứ nhất"
  - "Ý chính thứ hai"
---
## Nội dung

Đoạn văn của bài {title}.
"""


def write_course(root: Path, slug: str = "nghi-quyet-21", lessons: int = 3, **files: str) -> Path:
    """A valid course folder; ``files`` add or replace files (name -> text, '' deletes)."""
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.md").write_text(COURSE_MD, encoding="utf-8")
    for n in range(1, lessons + 1):
        (folder / f"{n:02d}-bai-{n}.md").write_text(LESSON_MD.format(title=f"Bài {n}"), encoding="utf-8")
    for name, text in files.items():
        path = folder / name.replace("__", "/")
        if text == "":
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    return write_course(tmp_path)
