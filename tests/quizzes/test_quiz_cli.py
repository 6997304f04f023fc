"""Quiz banks through the command line: check and import report quiz problems at their lines,
GIFT essays need --skip-unsupported, and export-gift gives a bank that imports back the same."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from learnhub.extensions import db
from learnhub.quizzes.gift import export_gift, parse_gift
from learnhub.quizzes.models import QuizQuestion
from tests.courses.conftest import write_course

GIFT = """---
pass_score: 70
---
// Câu hỏi về Chỉ thị
::nam::Chỉ thị được ban hành năm nào? {#2016}

::co-quan::Cơ quan ban hành là {=Bộ Chính trị ~Ban Bí thư ~%50%Bộ Chính trị khóa XII}

::tu-luan::Hãy trình bày cảm nghĩ của đồng chí. {}
"""


def invoke(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_quiz_problems_are_reported_at_their_lines_and_block_the_import(app: Flask, tmp_path: Path) -> None:
    folder = write_course(tmp_path, **{"quiz.md": "---\npass_score: 80\n---\n\n## Câu một\n\n- [ ] A\n- [ ] B\n"})
    result = invoke(app, "courses", "check", str(tmp_path))
    assert result.exit_code == 1
    assert any(line.startswith(f"{folder}/quiz.md:5: ") for line in result.stderr.splitlines())
    assert invoke(app, "courses", "import", str(tmp_path)).exit_code == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizQuestion)) == 0


def test_gift_essays_need_skip_unsupported(app: Flask, tmp_path: Path) -> None:
    folder = write_course(tmp_path, **{"quiz.gift": GIFT})
    refused = invoke(app, "courses", "import", str(tmp_path))
    assert refused.exit_code == 1
    assert any(line.startswith(f"{folder}/quiz.gift:9: ") for line in refused.stderr.splitlines())
    accepted = invoke(app, "courses", "import", "--skip-unsupported", str(tmp_path))
    assert accepted.exit_code == 0, accepted.output
    assert f"{folder}/quiz.gift:9: warning:" in accepted.stderr
    with app.app_context():
        assert set(db.session.scalars(sa.select(QuizQuestion.qid))) == {"nam", "co-quan"}


def test_export_gift_of_the_shipped_courses_round_trips(app: Flask, tmp_path: Path) -> None:
    assert invoke(app, "courses", "import").exit_code == 0
    out = tmp_path / "chi-thi.gift"
    result = invoke(app, "quiz", "export-gift", "chi-thi-05-ct-tw", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    bank, problems = parse_gift(text)
    assert [p for p in problems if p.severity == "error"] == []
    assert export_gift(bank) == text  # export -> import -> export gives the same text
    stdout = invoke(app, "quiz", "export-gift", "chi-thi-05-ct-tw")
    assert stdout.stdout == text  # the same, on standard output alone
    assert invoke(app, "quiz", "export-gift", "khong-co").exit_code == 2
