"""Scheduled reminders through fake SMS and Zalo servers on loopback: once a day, quiet hours,
opt-out, dry runs, failures, and the command's JSON."""
from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.exc import IntegrityError

from learnhub.auth.models import User
from learnhub.extensions import db
from learnhub.notifications import Notification
from learnhub.notify.models import ChannelName, DeliveryStatus, ReminderDelivery, ReminderPreference
from learnhub.notify.sender import send_due_reminders
from learnhub.settings import local_today, local_zone
from tests.notify.fakes import fake_server
from tests.plans.test_member_plans import complete, make_plan

ZALO_OK = {"error": 0, "message": "Success", "data": {"msg_id": "zalo-1", "sent_time": "1"}}


def at(hour: int) -> dt.datetime:
    """Today at ``hour`` o'clock, local time."""
    return dt.datetime.combine(local_today(), dt.time(hour), tzinfo=local_zone())


@pytest.fixture
def setup(app: Flask, town: dict, make_quiz, monkeypatch: pytest.MonkeyPatch) -> dict:
    """A plan due in two days for the whole town; An and Bình have mobiles, Bình turned Zalo off."""
    make_quiz(count=3)
    plan_id = make_plan(app, town, due_in=2, title='Kế hoạch "số 1" {phone}')
    with app.app_context():
        db.session.get_one(User, town["member_a"].id).phone = "+84912345678"
        db.session.get_one(User, town["member_b"].id).phone = "0987654321"  # stored before the rule
        db.session.add(ReminderPreference(user_id=town["member_b"].id, opted_out=["zalo"]))
        db.session.commit()
    monkeypatch.setitem(app.config, "REMINDER_QUIET_HOURS", "21:00-07:00")
    return {**town, "plan": plan_id}


@pytest.fixture
def servers(app: Flask, monkeypatch: pytest.MonkeyPatch):
    with fake_server({"CodeResult": "100", "SMSID": "sms-1"}) as sms, fake_server(ZALO_OK) as zalo:
        monkeypatch.setitem(app.config, "SMS_GATEWAY_URL", sms.url)
        monkeypatch.setitem(app.config, "SMS_GATEWAY_HEADERS", {"Authorization": "Bearer sms-secret"})
        monkeypatch.setitem(app.config, "SMS_GATEWAY_ID_FIELD", "SMSID")
        monkeypatch.setitem(app.config, "ZALO_API_URL", zalo.url)
        monkeypatch.setitem(app.config, "ZALO_ACCESS_TOKEN", "zalo-secret")
        monkeypatch.setitem(app.config, "ZALO_TEMPLATE_ID", "tpl-42")
        yield sms, zalo


def run(app: Flask, **kwargs) -> dict:
    with app.app_context():
        return send_due_reminders(**{"now": at(10), **kwargs}).as_dict()


def deliveries(app: Flask) -> list[tuple[int, str | None, str, str]]:
    with app.app_context():
        rows = db.session.execute(sa.select(ReminderDelivery).order_by(ReminderDelivery.user_id)).scalars()
        return [(d.user_id, d.channel.value if d.channel else None, d.status.value, d.provider_id) for d in rows]


def test_reminders_go_through_zalo_and_sms_once_a_day(app: Flask, setup: dict, servers) -> None:
    sms, zalo = servers
    first = run(app)
    # 7 on the roster: An by Zalo, Bình (no Zalo) by SMS, the five without a phone in LearnHub.
    assert first == {"sent": 7, "by_channel": {"in_app": 5, "sms": 1, "zalo": 1}, "skipped": 0}

    [zalo_request] = zalo.requests
    assert zalo_request["headers"]["access_token"] == "zalo-secret"
    body = zalo_request["body"]
    assert (body["phone"], body["template_id"]) == ("84912345678", "tpl-42")
    assert body["template_data"]["name"] == "Nguyễn Văn An"
    assert body["template_data"]["plan"] == 'Kế hoạch "số 1" {phone}'
    assert body["template_data"]["due"] == f"{local_today() + dt.timedelta(days=2):%d/%m/%Y}"
    assert "bài" in body["template_data"]["steps"]

    [sms_request] = sms.requests
    assert sms_request["method"] == "POST"
    assert sms_request["headers"]["authorization"] == "Bearer sms-secret"
    assert sms_request["body"]["phone"] == "84987654321"  # 0987654321 normalised
    text = sms_request["body"]["message"]
    # The title's quotes and braces stay text: the JSON body is built, never pasted together.
    assert 'Ke hoach "so 1" {phone}' in text and "Hoang Thi Binh" in text
    assert text.isascii()

    assert deliveries(app) == sorted([
        (setup["member_a"].id, "zalo", "sent", "zalo-1"), (setup["member_b"].id, "sms", "sent", "sms-1"),
        *[(setup[k].id, "in_app", "sent", "") for k in ("capuy", "bithu1", "bithu2", "admin", "propagandist")],
    ])
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 5

    second = run(app, now=at(15))  # the same day, later
    assert second == {"sent": 0, "by_channel": {}, "skipped": 7}
    assert (len(sms.requests), len(zalo.requests)) == (1, 1)
    assert len(deliveries(app)) == 7


def test_the_next_day_they_are_reminded_again(app: Flask, setup: dict, servers) -> None:
    run(app)
    assert run(app, now=at(10) + dt.timedelta(days=1))["sent"] == 7


def test_the_database_refuses_a_second_delivery_the_same_day(app: Flask, setup: dict) -> None:
    """Two overlapping runs: the unique constraint, not only the run's own check, keeps it to one."""
    with app.app_context():
        values = dict(user_id=setup["member_a"].id, plan_id=setup["plan"], day=local_today(),
                      channel=ChannelName.sms, status=DeliveryStatus.sending)
        db.session.add(ReminderDelivery(**values))
        db.session.commit()
        db.session.add(ReminderDelivery(**values))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_nothing_is_sent_in_the_quiet_hours(app: Flask, setup: dict, servers) -> None:
    sms, zalo = servers
    assert run(app, now=at(22)) == {"sent": 0, "by_channel": {}, "skipped": 7}
    assert run(app, now=at(6)) == {"sent": 0, "by_channel": {}, "skipped": 7}
    assert (sms.requests, zalo.requests, deliveries(app)) == ([], [], [])
    assert run(app, now=at(7))["sent"] == 7  # the quiet hours end at 07:00


def test_a_dry_run_sends_and_writes_nothing(app: Flask, setup: dict, servers) -> None:
    sms, zalo = servers
    assert run(app, dry_run=True) == {"sent": 7, "by_channel": {"in_app": 5, "sms": 1, "zalo": 1}, "skipped": 0}
    assert (sms.requests, zalo.requests, deliveries(app)) == ([], [], [])
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0


def test_opting_out_of_every_channel_stops_reminders(app: Flask, setup: dict, servers, client) -> None:
    from tests.conftest import login, post

    login(client, "an")
    response = post(client, "/account/reminders", {"preferred": ""})  # every box unticked
    assert response.status_code == 302
    assert run(app) == {"sent": 6, "by_channel": {"in_app": 5, "sms": 1}, "skipped": 1}
    assert (setup["member_a"].id, None, "skipped", "") in deliveries(app)
    assert all(r["body"]["phone"] != "84912345678" for r in servers[1].requests + servers[0].requests)


def test_a_preferred_channel_comes_first(app: Flask, setup: dict, servers) -> None:
    with app.app_context():
        db.session.add(ReminderPreference(user_id=setup["member_a"].id, preferred=ChannelName.sms, opted_out=[]))
        db.session.commit()
    run(app)
    assert (setup["member_a"].id, "sms", "sent", "sms-1") in deliveries(app)


def test_failures_are_logged_with_their_reason_and_the_run_goes_on(app: Flask, setup: dict, servers) -> None:
    sms, zalo = servers
    sms.status = 500
    zalo.answer = {"error": -124, "message": "Access token invalid"}
    summary = run(app)
    assert summary == {"sent": 5, "by_channel": {"in_app": 5}, "skipped": 0}
    with app.app_context():
        failed = {d.user_id: d.reason for d in db.session.scalars(
            sa.select(ReminderDelivery).where(ReminderDelivery.status == DeliveryStatus.failed))}
    assert failed[setup["member_a"].id] == "Zalo: Access token invalid"
    assert failed[setup["member_b"].id].startswith("HTTP 500")


def test_an_unreachable_gateway_is_a_failure_not_a_crash(app: Flask, setup: dict, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SMS_GATEWAY_URL", "http://127.0.0.1:9/send")  # nothing listens
    monkeypatch.setitem(app.config, "REMINDER_CHANNELS", ["sms", "in_app"])
    assert run(app)["by_channel"] == {"in_app": 5}
    assert {s for _u, c, s, _p in deliveries(app) if c == "sms"} == {"failed"}


def test_only_members_with_something_to_do_on_plans_due_soon(app: Flask, setup: dict) -> None:
    complete(app, setup["member_a"])
    make_plan(app, setup, due_in=10, title="Later")  # beyond REMINDER_DAYS (3)
    make_plan(app, setup, due_in=-1, title="Overdue")
    summary = run(app)
    assert summary == {"sent": 6, "by_channel": {"in_app": 6}, "skipped": 0}
    assert setup["member_a"].id not in {d[0] for d in deliveries(app)}


def test_the_command_prints_only_json(app: Flask, setup: dict, servers, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "REMINDER_QUIET_HOURS", "")
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"sent": 7, "by_channel": {"in_app": 5, "sms": 1, "zalo": 1}, "skipped": 0}
    assert "plan" in result.stderr
    again = app.test_cli_runner().invoke(args=["reminders", "send", "--dry-run", "--format", "json"])
    assert json.loads(again.stdout) == {"sent": 0, "by_channel": {}, "skipped": 7}


def test_bad_quiet_hours_are_one_line(app: Flask, setup: dict, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "REMINDER_QUIET_HOURS", "late")
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 1
    assert "REMINDER_QUIET_HOURS" in result.stderr


def test_the_delivery_log_shows_only_the_units_in_scope(app: Flask, setup: dict, servers, client) -> None:
    from tests.conftest import login

    run(app)
    login(client, "bithu2")  # Chi bộ Khu phố 2: Bình, and the secretary herself
    def table(url: str) -> str:
        return client.get(url).get_data(as_text=True).split("<tbody>", 1)[1].split("</tbody>", 1)[0]

    html = table("/reminders/log")
    assert "Hoàng Thị Bình" in html and "Nguyễn Văn An" not in html
    assert "Phạm Văn Nam" in html
    sms_only = table("/reminders/log?channel=sms")
    assert "Hoàng Thị Bình" in sms_only and "Phạm Văn Nam" not in sms_only
    assert client.get("/reminders/log?status=nonsense").status_code == 400


def test_an_email_carries_the_plan_and_a_stop_link_that_works_without_signing_in(
        app: Flask, setup: dict, monkeypatch, client) -> None:
    from tests.members.test_accounts import FakeSMTP

    FakeSMTP.sent = []
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.vn")
    with app.app_context():
        db.session.get_one(User, setup["capuy"].id).email = "hung@example.vn"
        db.session.commit()
    assert run(app)["by_channel"] == {"email": 1, "in_app": 6}
    [mail] = FakeSMTP.sent
    assert mail["To"] == "hung@example.vn"
    body = mail.get_content()
    assert f"/#plan-{setup['plan']}" in body
    stop_link = next(word for word in body.split() if "/reminders/stop/" in word)
    path = "/reminders/stop/" + stop_link.rsplit("/", 1)[1]

    assert client.get(path).status_code == 200  # nobody signed in
    assert client.get(path[:-3] + "abc").status_code == 404  # a forged link
    from tests.conftest import post

    assert post(client, path).status_code == 200
    with app.app_context():
        assert set(db.session.get_one(ReminderPreference, setup["capuy"].id).opted_out) == set(ChannelName)
    assert run(app, now=at(10) + dt.timedelta(days=1))["skipped"] == 1


def test_a_text_ends_with_the_stop_link_unless_a_footer_is_set(app: Flask, setup: dict, servers, monkeypatch) -> None:
    sms, _zalo = servers
    run(app)
    assert "/reminders/stop/" in sms.requests[0]["body"]["message"]
    monkeypatch.setitem(app.config, "SMS_FOOTER", "Tu choi: soan TC gui 8077")
    run(app, now=at(10) + dt.timedelta(days=1))
    assert sms.requests[1]["body"]["message"].endswith("Tu choi: soan TC gui 8077")
    assert "/reminders/stop/" not in sms.requests[1]["body"]["message"]


def test_a_member_claimed_by_an_overlapping_run_is_skipped_not_sent_twice(
        app: Flask, setup: dict, servers, monkeypatch) -> None:
    """Another run commits An's row after this run read the day's deliveries: the insert fails on the
    unique constraint and An is skipped, so the fake Zalo server hears nothing."""
    from learnhub.notify import sender

    original = sender.to_remind

    def racing(plan):
        with db.engine.begin() as other:  # the other run, on its own connection
            other.execute(sa.insert(ReminderDelivery).values(
                user_id=setup["member_a"].id, plan_id=plan.id, day=local_today(), channel="zalo",
                status="sending", reason="", provider_id="", created_at=dt.datetime.now(dt.UTC),
                updated_at=dt.datetime.now(dt.UTC)))
        yield from original(plan)

    monkeypatch.setattr(sender, "to_remind", racing)
    assert run(app) == {"sent": 6, "by_channel": {"in_app": 5, "sms": 1}, "skipped": 1}
    assert servers[1].requests == []


def test_a_template_that_is_not_json_is_refused_before_anything_is_sent(app: Flask, setup: dict, servers,
                                                                       monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SMS_GATEWAY_BODY", '{"phone": "{phone}", "message": {text}}')
    monkeypatch.setitem(app.config, "REMINDER_QUIET_HOURS", "")
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 1 and "SMS_GATEWAY_BODY: not JSON" in result.output
    assert deliveries(app) == []


def test_settings_given_as_json_text_in_the_instance_file_work(app: Flask, setup: dict, servers, monkeypatch) -> None:
    sms, zalo = servers
    monkeypatch.setitem(app.config, "SMS_GATEWAY_HEADERS", '{"X-Key": "k"}')
    monkeypatch.setitem(app.config, "ZALO_TEMPLATE_DATA", '{"ten": "{name}", "huy": "{stop}"}')
    run(app)
    assert sms.requests[0]["headers"]["x-key"] == "k"
    assert zalo.requests[0]["body"]["template_data"]["ten"] == "Nguyễn Văn An"
    assert "/reminders/stop/" in zalo.requests[0]["body"]["template_data"]["huy"]


def test_the_delivery_log_downloads_what_the_page_shows(app: Flask, setup: dict, servers, client) -> None:
    from tests.conftest import login

    run(app)
    login(client, "bithu2")
    response = client.get("/reminders/log?download=csv&channel=sms")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    assert "Hoàng Thị Bình" in text and "sms-1" in text
    assert "Phạm Văn Nam" not in text and "Nguyễn Văn An" not in text  # another channel; another cell
    assert client.get("/reminders/log?download=xlsx").mimetype.endswith("spreadsheetml.sheet")


def test_a_value_holding_a_place_name_is_sent_as_written_never_filled_in_turn() -> None:
    """A plan titled "{stop}" or a member named "{phone}" cannot pull another value into a message."""
    from learnhub.notify.channels import fill

    values = {"name": "{phone}", "plan": "Kế hoạch {stop} \"x\"", "stop": "https://x/stop/secret", "phone": "+84912345678"}
    body = fill({"to": "{phone}", "text": ["{name}: {plan}", "{unknown}"]}, values)
    assert body == {"to": "+84912345678", "text": ["{phone}: Kế hoạch {stop} \"x\"", "{unknown}"]}
