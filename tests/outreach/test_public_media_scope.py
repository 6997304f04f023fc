"""The public pages serve only the images their introduction shows; a lesson's images stay with members."""
from __future__ import annotations

from flask import Flask

from learnhub.courses.format import MediaSource
from tests.conftest import login

PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)


def test_a_lesson_image_of_a_public_module_is_not_public(app: Flask, client, town, public_module) -> None:
    public_module(intro_markdown="![Sơ đồ](media/so-do.png)\n",
                  media=[MediaSource("so-do.png", "image/png", PNG), MediaSource("noi-bo.png", "image/png", PNG)])
    assert client.get("/public/nghi-quyet-cong-khai/media/so-do.png").status_code == 200
    assert client.get("/public/nghi-quyet-cong-khai/media/noi-bo.png").status_code == 404
    login(client, "an")  # a member who studies the module still sees it in the lessons
    assert client.get("/courses/nghi-quyet-cong-khai/media/noi-bo.png").status_code == 200
    assert client.get("/public/nghi-quyet-cong-khai/media/noi-bo.png").status_code == 404
