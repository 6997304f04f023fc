"""Light pages: compressed text, static URLs that carry their content's hash and are cached for a
year, fonts under hashed names that exist, and a favicon."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
from flask import Flask

from learnhub.assets import IMMUTABLE
from learnhub.resources import PACKAGE_DIR, resource_dir
from tests.conftest import login

STATIC = PACKAGE_DIR / "static"
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}


def static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_and_static_text_are_compressed_and_fonts_are_not(app: Flask, town) -> None:
    client = app.test_client()
    login(client, "an")
    page = client.get("/my-study", headers=BROWSER)
    assert page.headers["Content-Encoding"] == "br" and "Accept-Encoding" in page.headers["Vary"]
    assert "<html" in brotli.decompress(page.get_data()).decode()
    old_phone = client.get("/my-study", headers={"Accept-Encoding": "gzip"})
    assert old_phone.headers["Content-Encoding"] == "gzip"
    assert "<html" in gzip.decompress(old_phone.get_data()).decode()
    assert "Content-Encoding" not in client.get("/my-study").headers  # asked for nothing: plain

    css = client.get(next(u for u in static_urls(brotli.decompress(page.get_data()).decode()) if "app.css" in u),
                     headers=BROWSER)
    assert css.headers["Content-Encoding"] == "br"
    assert len(css.get_data()) < (STATIC / "css/app.css").stat().st_size / 3
    font = next(STATIC.glob("fonts/be-vietnam-pro/*.woff2")).relative_to(STATIC).as_posix()
    assert "Content-Encoding" not in client.get(f"/static/{font}", headers=BROWSER).headers
    assert "Content-Encoding" not in client.get("/healthz", headers=BROWSER).headers  # too small to gain


def test_compression_can_be_left_to_a_proxy(tmp_path: Path, monkeypatch) -> None:
    from learnhub import create_app

    monkeypatch.setenv("LEARNHUB_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                      "COMPRESS_RESPONSES": False})
    response = app.test_client().get("/static/css/app.css", headers=BROWSER)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers


def test_static_urls_carry_the_content_hash_and_are_cached_for_a_year(app: Flask, town) -> None:
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    urls = static_urls(html)
    assert any("/static/css/app.css?v=" in u for u in urls) and any("/static/js/app.js?v=" in u for u in urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url
    # Without the hash, or with one that is not the file's, the browser must check again.
    assert client.get("/static/css/app.css").headers["Cache-Control"] == "no-cache"
    assert client.get("/static/css/app.css?v=0123456789").headers["Cache-Control"] == "no-cache"


def test_a_changed_file_gets_a_new_url(app: Flask, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "site.css").write_text("body { color: red }", encoding="utf-8")
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    with app.test_request_context():
        from flask import url_for

        before = url_for("static", filename="site.css")
        (tmp_path / "site.css").write_text("body { color: blue }", encoding="utf-8")
        after = url_for("static", filename="site.css")
        assert before != after and before.startswith("/static/site.css?v=")
        assert url_for("static", filename="missing.css") == "/static/missing.css"


def test_every_file_css_names_exists_under_its_own_hash_and_the_preload_matches() -> None:
    names = []
    for css in STATIC.glob("css/*.css"):
        for ref in re.findall(r'url\("?([^")]+)"?\)', css.read_text(encoding="utf-8")):
            if ref.startswith("data:"):
                continue
            path = (css.parent / ref).resolve()
            assert path.is_file(), f"{css.name}: {ref}"
            names.append(path.relative_to(STATIC).as_posix())
    fonts = sorted(STATIC.glob("fonts/be-vietnam-pro/*.woff2"))
    assert len(fonts) == 2  # regular and bold: nothing else to download
    assert sorted(f.relative_to(STATIC).as_posix() for f in fonts) == sorted(n for n in names if n.endswith(".woff2"))
    import hashlib

    for font in fonts:  # immutable for a year: the name must change whenever the bytes do
        assert hashlib.sha256(font.read_bytes()).hexdigest()[:10] in font.name
    base = (resource_dir("templates") / "base.html").read_text(encoding="utf-8")
    [preloaded] = re.findall(r"filename='(fonts/[^']+)'\) }}\" as=\"font\"", base)
    assert preloaded in names and "400" in preloaded


def test_the_favicon_is_there_for_every_browser(app: Flask) -> None:
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    [icon] = re.findall(r'<link rel="icon" href="([^"]+)"', html)
    assert client.get(icon).status_code == 200
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"<svg" in response.get_data()
