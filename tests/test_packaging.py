"""A wheel install, not only the checkout, carries and finds templates, static files,
translations, migrations and courses, and works from any working directory."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("packaging")  # one worker builds the wheel once


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(ROOT)],
        check=True,
    )
    [built] = out.glob("learnhub-*.whl")
    return built


def test_the_wheel_carries_every_resource(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = [
        "learnhub/_bundled/templates/base.html",
        "learnhub/_bundled/templates/study/lesson.html",
        "learnhub/_bundled/migrations/env.py",
        "learnhub/_bundled/migrations/alembic.ini",
        "learnhub/_bundled/courses/chi-thi-05-ct-tw/course.md",
        "learnhub/translations/vi/LC_MESSAGES/messages.mo",
        "learnhub/static/css/app.css",
        "learnhub/static/js/app.js",
        "learnhub/static/fonts/be-vietnam-pro/LICENSE",
        "learnhub/contests/fonts/BeVietnamPro-Regular.ttf",  # certificates (fpdf2 embeds TTF)
        "learnhub/contests/fonts/BeVietnamPro-Bold.ttf",
        "learnhub/contests/fonts/OFL.txt",
    ]
    assert [name for name in expected if name not in names] == []
    assert any(n.startswith("learnhub/_bundled/migrations/versions/") for n in names)
    assert any(n.endswith(".woff2") for n in names)


def test_an_installed_wheel_upgrades_loads_the_demo_and_serves(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(target),
        "LEARNHUB_INSTANCE_PATH": str(tmp_path / "instance"),
        "LEARNHUB_DATABASE_URL": f"sqlite:///{tmp_path / 'wheel.sqlite'}",
    }
    env.pop("LEARNHUB_TEST_DATABASE_URL", None)
    learnhub = [sys.executable, "-c", "from learnhub.cli import main; main()"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*learnhub, *args], cwd=elsewhere, env=env, capture_output=True, text=True)

    where = subprocess.run(
        [sys.executable, "-c", "import learnhub, learnhub.resources as r; print(learnhub.__file__); print(r.resource_dir('templates'))"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    assert where[0].startswith(str(target)) and where[1].startswith(str(target))

    upgraded = run("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    demo = run("demo")
    assert demo.returncode == 0, demo.stderr
    assert "chi-thi-05-ct-tw" in demo.stderr
    probe = (
        "from learnhub import create_app\n"
        "app = create_app()\n"
        "client = app.test_client()\n"
        "page = client.get('/login')\n"
        "css = client.get('/static/css/app.css')\n"
        "print(page.status_code, 'Đăng nhập LearnHub' in page.get_data(as_text=True), css.status_code)\n"
    )
    served = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert served.stdout.split() == ["200", "True", "200"], served.stderr
