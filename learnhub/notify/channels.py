"""The channels a reminder can take: in-app, e-mail, SMS through an HTTP gateway, Zalo OA template
messages. Each says whether it is set up, whether it reaches a recipient, and sends one message."""
from __future__ import annotations

import json
import re
import smtplib
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import current_app

from learnhub.extensions import db
from learnhub.mail import mail_configured, send_mail
from learnhub.notifications import Notification
from learnhub.notify.models import ChannelName


class DeliveryFailed(Exception):
    """The channel could not deliver; the message is the reason kept in the delivery log."""


@dataclass(frozen=True)
class Recipient:
    user_id: int
    name: str
    phone: str | None  # +84..., already checked by learnhub.phones
    email: str | None


@dataclass(frozen=True)
class Message:
    """One reminder, already written in the organisation's language."""

    title: str
    text: str  # the message, for in-app
    email: str  # with the links to the plan and to stop reminders
    short: str  # the text message (SMS), with the links or the SMS_FOOTER
    link: str  # a path on this site
    url: str  # the same, absolute
    fields: dict[str, str] = field(default_factory=dict)  # name, plan, due, steps, link, stop: for templates


class Channel(Protocol):
    name: ChannelName

    def configured(self) -> bool:
        """Whether the organisation set this channel up."""

    def reaches(self, recipient: Recipient) -> bool:
        """Whether the recipient has what the channel needs (a phone, an address)."""

    def send(self, recipient: Recipient, message: Message) -> str:
        """Deliver; returns the provider's message id ("" when none); raises DeliveryFailed."""


_PLACE = re.compile(r"\{([a-z0-9_]+)\}")


def fill(template: Any, values: dict[str, str]) -> Any:
    """``template`` (parsed JSON) with each ``{key}`` in its strings replaced by the value: the values
    are inserted into decoded strings and encoded again, so quotes or braces in a message cannot
    change the body's structure; each place is filled once, so a value (a plan's title, a member's
    name) that holds ``{stop}`` or ``{phone}`` is sent as written, never filled in turn."""
    if isinstance(template, str):  # one pass: a value holding "{stop}" or "{phone}" stays as written
        return _PLACE.sub(lambda match: values.get(match[1], match[0]), template)
    if isinstance(template, dict):
        return {key: fill(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(value, values) for value in template]
    return template


_PLAIN = str.maketrans({"đ": "d", "Đ": "D", "“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "…": "..."})


def without_diacritics(text: str) -> str:
    """Vietnamese written without tones and marks ("Nhắc nhở" → "Nhac nho"), đ as d."""
    text = text.translate(_PLAIN)
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def http_json(url: str, *, method: str = "POST", headers: dict[str, str] | None = None, body: Any) -> Any:
    """Send ``body`` as JSON and read the JSON answer (None when it is not JSON); raises DeliveryFailed
    on a network error, a timeout or an HTTP error status."""
    request = urllib.request.Request(
        url, data=json.dumps(body, ensure_ascii=False).encode(), method=method.upper(),
        headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json",
                 **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=float(current_app.config["NOTIFY_TIMEOUT"])) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as error:
        raise DeliveryFailed(f"HTTP {error.code}: {error.read(300).decode(errors='replace')}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:  # refused, timed out, bad URL
        raise DeliveryFailed(str(getattr(error, "reason", error)) or type(error).__name__) from None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _json(value: Any) -> Any:
    """A setting given as JSON text (the instance file may hold either) or as the value itself."""
    return json.loads(value) if isinstance(value, str) else value


def _dig(answer: Any, path: str) -> str:
    """The value at a dotted ``path`` of a JSON answer, as text ("" when missing)."""
    for key in path.split(".") if path else []:
        answer = answer.get(key) if isinstance(answer, dict) else None
    return "" if answer is None or isinstance(answer, dict | list) else str(answer)


class InApp:
    name = ChannelName.in_app

    def configured(self) -> bool:
        return True

    def reaches(self, recipient: Recipient) -> bool:
        return True

    def send(self, recipient: Recipient, message: Message) -> str:
        db.session.add(Notification(user_id=recipient.user_id, kind="reminder", title=message.title,
                                    body=message.text, link=message.link))
        return ""


class Email:
    name = ChannelName.email

    def configured(self) -> bool:
        return mail_configured()

    def reaches(self, recipient: Recipient) -> bool:
        return bool(recipient.email)

    def send(self, recipient: Recipient, message: Message) -> str:
        try:
            send_mail(str(recipient.email), message.title, message.email)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryFailed(str(error) or type(error).__name__) from None
        return ""


class Sms:
    name = ChannelName.sms

    def configured(self) -> bool:
        return bool(current_app.config["SMS_GATEWAY_URL"])

    def reaches(self, recipient: Recipient) -> bool:
        return bool(recipient.phone)

    def send(self, recipient: Recipient, message: Message) -> str:
        config = current_app.config
        phone = str(recipient.phone)
        text = without_diacritics(message.short) if config["SMS_ASCII"] else message.short
        body = fill(_json(config["SMS_GATEWAY_BODY"]),
                    {"phone": phone, "phone84": phone.removeprefix("+"), "phone0": "0" + phone.removeprefix("+84"),
                     "text": text})
        answer = http_json(config["SMS_GATEWAY_URL"], method=config["SMS_GATEWAY_METHOD"],
                           headers=dict(_json(config["SMS_GATEWAY_HEADERS"])), body=body)
        return _dig(answer, config["SMS_GATEWAY_ID_FIELD"])


class Zalo:
    """Zalo Notification Service: POST {phone, template_id, template_data, tracking_id} with the OA's
    access token; the answer's ``error`` is 0 on success and ``data.msg_id`` names the message."""

    name = ChannelName.zalo

    def configured(self) -> bool:
        config = current_app.config
        return bool(config["ZALO_ACCESS_TOKEN"] and config["ZALO_TEMPLATE_ID"])

    def reaches(self, recipient: Recipient) -> bool:
        return bool(recipient.phone)

    def send(self, recipient: Recipient, message: Message) -> str:
        config = current_app.config
        body = {"phone": str(recipient.phone).removeprefix("+"), "template_id": str(config["ZALO_TEMPLATE_ID"]),
                "template_data": fill(_json(config["ZALO_TEMPLATE_DATA"]), message.fields),
                "tracking_id": f"{recipient.user_id}-{message.fields.get('tracking', '')}"}
        answer = http_json(config["ZALO_API_URL"], headers={"access_token": str(config["ZALO_ACCESS_TOKEN"])},
                           body=body)
        if not isinstance(answer, dict) or answer.get("error") != 0:
            detail = answer.get("message", answer.get("error")) if isinstance(answer, dict) else "no JSON answer"
            raise DeliveryFailed(f"Zalo: {detail}")
        return _dig(answer, "data.msg_id")


CHANNELS: dict[ChannelName, Channel] = {channel.name: channel for channel in (Zalo(), Sms(), Email(), InApp())}
