"""Text typed into a conference (title, place, presenters, agenda, guests) never runs as script.

The pages have the app's own forms, which the checker also reports; so each page is compared with
itself holding plain text: the payloads must add no executable fragment."""
from __future__ import annotations

import re

from flask import Flask

from learnhub.conferences import attendance
from learnhub.conferences.models import Conference, GuestKind
from learnhub.extensions import db
from tests.conftest import login
from tests.xss import executable_fragments, load_payloads


def fragments(html: str) -> set[str]:
    main = html.split('<main class="lh-main" id="main">', 1)[1].split("</main>", 1)[0]
    return {re.sub(r'value="[^"]*"', 'value=""', re.sub(r"\d+", "N", f)) for f in executable_fragments(main)}


def fill(app: Flask, conference_id: int, texts: list[str]) -> str:
    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        conference.title = " ".join(texts[:10])[:300]
        conference.place = " ".join(texts[10:20])[:300]
        conference.presenters = "\n".join(texts[20:60])
        conference.agenda = "\n\n".join(texts)
        for text in texts[60:80]:
            attendance.add_guest(conference, kind=GuestKind.citizen, name=text[:200], organisation=text[-200:])
        db.session.commit()
        return conference.check_in_token


def test_payloads_in_every_field_add_nothing_executable(app: Flask, client, town, cell_conference) -> None:
    payloads = load_payloads()
    token = fill(app, cell_conference, [f"Văn bản {n}" for n in range(len(payloads))])
    login(client, "bithu1")
    urls = [f"/conferences/{cell_conference}", f"/conferences/{cell_conference}/notice",
            f"/conferences/{cell_conference}/roster", f"/conferences/{cell_conference}/screen", "/conferences/",
            f"/conferences/check-in/{token}", f"/conferences/{cell_conference}/edit"]
    plain = {url: fragments(client.get(url).get_data(as_text=True)) for url in urls}
    with app.app_context():
        db.session.query(attendance.ConferenceGuest).delete()
        db.session.commit()
    fill(app, cell_conference, payloads)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        added = fragments(response.get_data(as_text=True)) - plain[url]
        assert added == set(), f"{url}: {added}"
